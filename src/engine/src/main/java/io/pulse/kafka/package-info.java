/**
 * The Kafka publisher: every decision of the detector goes to a durable local outbox first and
 * to Kafka from there, so nothing detected is lost while Kafka is unreachable or across a
 * restart of Pulse. Start at {@link io.pulse.kafka.PulsePublisher}; its settings are declared in
 * {@link io.pulse.kafka.PublisherConfig}.
 *
 * <h2>Delivery</h2>
 * At least once, in order per node: {@code publish} writes the event to the outbox (a RocksDB
 * journal) and returns; a sender thread hands journaled events in order to an idempotent
 * producer ({@code acks=all}) and deletes each from the journal when Kafka acknowledges it.
 * Events sent but not acknowledged before a crash are sent again after the restart; every record
 * carries an event id ({@link io.pulse.events.EventHeaders#EVENT_ID}) for consumers to drop the copy.
 *
 * <p>Nulls: parameters and results are non-null unless their javadoc says otherwise.
 */
package io.pulse.kafka;
