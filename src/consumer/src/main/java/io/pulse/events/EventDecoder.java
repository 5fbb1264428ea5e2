package io.pulse.events;

import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
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
 * ({@code UNKNOWN}). A schema the resolver found is kept for later values.
 *
 * <p>Given a schema registry, it also reads values in Confluent's wire format (first byte 0, see
 * {@link ConfluentFormat}): the writer schema comes from the registry by id, and the body is
 * decoded like single-object encoding's. Without one, such a value fails with a message saying
 * that a registry is needed. Thread-safe.
 */
public final class EventDecoder {
    private final BinaryMessageDecoder<FailureMessage> failures;
    private final BinaryMessageDecoder<StatusChange> statusChanges;
    private final BinaryMessageDecoder<Heartbeat> heartbeats;
    private final SchemaRegistryClient registry;
    /** Writer schemas the registry gave, by fingerprint; the store asks here before the resolver. */
    private final ConcurrentMap<Long, Schema> fromRegistry;

    /** A decoder that asks {@code resolver} for writer schemas it does not ship. */
    public EventDecoder(WriterSchemaResolver resolver) {
        this(resolver, null);
    }

    /**
     * A decoder that asks {@code resolver} for writer schemas it does not ship, and reads Confluent's
     * wire format through {@code registry} (null: none, such values fail).
     */
    public EventDecoder(WriterSchemaResolver resolver, SchemaRegistryClient registry) {
        this(new ConcurrentHashMap<>(), Objects.requireNonNull(resolver, "resolver"), registry);
    }

    /** Released schemas only, and Avro's own message for any other fingerprint; no registry. */
    public static EventDecoder releasedOnly() {
        return new EventDecoder(null, null, null);
    }

    /** {@code resolver} null: released schemas only. */
    private EventDecoder(
            ConcurrentMap<Long, Schema> fromRegistry, WriterSchemaResolver resolver, SchemaRegistryClient registry) {
        this.registry = registry;
        this.fromRegistry = fromRegistry;
        Store store = resolver == null
                ? null
                : new Store(fingerprint -> {
                    Schema schema = fromRegistry.get(fingerprint);
                    return schema != null ? schema : resolver.resolve(fingerprint);
                });
        this.failures = EventCodec.withHistory(
                FailureMessage.createDecoder(store),
                FailureMessage.getClassSchema(),
                SchemaHistory.released(FailureMessage.getClassSchema().getName()));
        this.statusChanges = EventCodec.withHistory(
                StatusChange.createDecoder(store),
                StatusChange.getClassSchema(),
                SchemaHistory.released(StatusChange.getClassSchema().getName()));
        this.heartbeats = EventCodec.withHistory(
                Heartbeat.createDecoder(store),
                Heartbeat.getClassSchema(),
                SchemaHistory.released(Heartbeat.getClassSchema().getName()));
    }

    /** Throws {@link EventDecodingException} if {@code value} is not a FailureMessage this decoder can read. */
    public FailureMessage decodeFailure(byte[] value) {
        return EventCodec.decode(failures, singleObject(value), EventCodec.withEmptyArrays(new FailureMessage()));
    }

    /** Throws {@link EventDecodingException} if {@code value} is not a StatusChange this decoder can read. */
    public StatusChange decodeStatusChange(byte[] value) {
        return EventCodec.decode(statusChanges, singleObject(value), EventCodec.withEmptyArrays(new StatusChange()));
    }

    /** Throws {@link EventDecodingException} if {@code value} is not a Heartbeat this decoder can read. */
    public Heartbeat decodeHeartbeat(byte[] value) {
        return EventCodec.decode(heartbeats, singleObject(value), EventCodec.withEmptyArrays(new Heartbeat()));
    }

    /**
     * {@code value} itself, or, in Confluent's wire format, the same body in single-object encoding
     * with the registry's writer schema remembered under its fingerprint. Throws
     * {@link EventDecodingException} without a registry, {@link SchemaRegistryException} if the
     * registry fails.
     */
    private byte[] singleObject(byte[] value) {
        if (value == null || !ConfluentFormat.isConfluent(value)) {
            return value;
        }
        int id = ConfluentFormat.schemaId(value);
        if (registry == null) {
            throw new EventDecodingException(
                    "it is in Confluent's wire format (schema id " + id + "), which needs "
                            + SchemaRegistryClient.URL_PROPERTY,
                    null);
        }
        Schema writer;
        try {
            writer = registry.schema(id);
        } catch (SchemaRegistryException e) {
            throw new EventDecodingException(e.getMessage(), e);
        }
        long fingerprint = EventCodec.fingerprint(writer);
        fromRegistry.putIfAbsent(fingerprint, writer);
        return ConfluentFormat.toSingleObject(value, fingerprint);
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
                throw new UnknownWriterSchemaException(
                        fingerprint,
                        schema == null
                                ? "the resolver has none"
                                : "the resolver answered " + schema.getFullName() + " " + SchemaTopic.key(schema));
            }
            return schema;
        }
    }
}
