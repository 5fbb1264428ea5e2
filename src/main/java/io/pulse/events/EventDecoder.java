package io.pulse.events;

import java.util.Objects;
import org.apache.avro.Schema;
import org.apache.avro.message.BinaryMessageDecoder;
import org.apache.avro.message.SchemaStore;

/**
 * Decodes Pulse's events written with any compatible writer schema: the current one, a released
 * one, or one its {@link WriterSchemaResolver} finds (a newer Pulse's, from the schemas topic).
 *
 * <pre>{@code
 * EventDecoder decoder = new EventDecoder(fingerprint -> schemasByFingerprint.get(fingerprint));
 * FailureMessage failure = decoder.decodeFailure(record.value());
 * }</pre>
 *
 * Avro's schema resolution fills a field the writer lacks with the reader's default, skips a field
 * the reader lacks, and reads an enum symbol the reader lacks as the enum's declared default
 * ({@code UNKNOWN}). A schema the resolver found is kept for later values. Thread-safe.
 */
public final class EventDecoder {
    private final BinaryMessageDecoder<FailureMessage> failures;
    private final BinaryMessageDecoder<StatusChange> statusChanges;

    /** A decoder that asks {@code resolver} for writer schemas it does not ship. */
    public EventDecoder(WriterSchemaResolver resolver) {
        this(new Store(Objects.requireNonNull(resolver, "resolver")));
    }

    /** Released schemas only, and Avro's own message for any other fingerprint. */
    static EventDecoder releasedOnly() {
        return new EventDecoder((Store) null);
    }

    /** {@code store} null: released schemas only. */
    private EventDecoder(Store store) {
        this.failures = EventCodec.withHistory(FailureMessage.createDecoder(store), FailureMessage.getClassSchema(),
                SchemaHistory.released(FailureMessage.getClassSchema().getName()));
        this.statusChanges = EventCodec.withHistory(StatusChange.createDecoder(store), StatusChange.getClassSchema(),
                SchemaHistory.released(StatusChange.getClassSchema().getName()));
    }

    /** Throws {@link EventDecodingException} if {@code value} is not a FailureMessage this decoder can read. */
    public FailureMessage decodeFailure(byte[] value) {
        return EventCodec.decode(failures, value, EventCodec.withEmptyArrays(new FailureMessage()));
    }

    /** Throws {@link EventDecodingException} if {@code value} is not a StatusChange this decoder can read. */
    public StatusChange decodeStatusChange(byte[] value) {
        return EventCodec.decode(statusChanges, value, EventCodec.withEmptyArrays(new StatusChange()));
    }

    /**
     * Avro's decoder asks its store only for a fingerprint it does not know, and adds what it gets
     * under that schema's own fingerprint: a resolver's answer must have the one asked for.
     */
    private record Store(WriterSchemaResolver resolver) implements SchemaStore {
        @Override
        public Schema findByFingerprint(long fingerprint) {
            Schema schema = resolver.resolve(fingerprint);
            if (schema == null || EventCodec.fingerprint(schema) != fingerprint) {
                throw new UnknownWriterSchemaException(fingerprint, schema == null ? "the resolver has none"
                        : "the resolver answered " + schema.getFullName() + " " + SchemaTopic.key(schema));
            }
            return schema;
        }
    }
}
