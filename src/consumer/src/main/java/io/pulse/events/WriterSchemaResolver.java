package io.pulse.events;

import org.apache.avro.Schema;

/**
 * Where a reader finds a writer schema it does not ship: one written by a newer Pulse, for instance.
 *
 * <pre>{@code
 * try (KafkaWriterSchemas schemas = new KafkaWriterSchemas(consumerProperties, Topics.schemas("pulse"),
 *         KafkaWriterSchemas.DEFAULT_LOOKUP_TIMEOUT)) {
 *     EventDecoder decoder = new EventDecoder(schemas);
 *     StatusChange change = decoder.decodeStatusChange(record.value());
 * }
 * }</pre>
 *
 * An {@link EventDecoder} asks only for a fingerprint that is neither the current schema nor a
 * released one, and remembers the answer. Implementations must be thread-safe.
 */
@FunctionalInterface
public interface WriterSchemaResolver {
    /**
     * The schema whose CRC-64-AVRO parsing fingerprint is {@code fingerprint}; throws
     * {@link UnknownWriterSchemaException}, saying why, if there is none.
     */
    Schema resolve(long fingerprint);
}
