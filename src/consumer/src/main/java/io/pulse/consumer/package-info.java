/**
 * The library downstream services use to react to Pulse's topics: {@link io.pulse.consumer.PulseConsumer}
 * calls your handlers for failures, status changes and removals (at least once, duplicates dropped,
 * poison records to a dead-letter topic), and {@link io.pulse.consumer.ClusterView} keeps every
 * node's latest status from the compacted status topic.
 *
 * <p>It needs only kafka-clients and the generated Avro classes of {@code io.pulse.events}: never
 * Netty, never the engine. Nothing here accepts or returns {@code null} unless its javadoc says so.
 */
package io.pulse.consumer;
