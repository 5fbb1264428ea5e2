/**
 * Read-only readers of Pulse's topics with the sidecar's Kafka settings ({@link io.pulse.sidecar.tail.TopicTail}:
 * partitions assigned, no consumer group, no commits, no topic created), shared by {@code pulse tail}
 * and {@code pulse dashboard}.
 */
package io.pulse.sidecar.tail;
