package io.pulse.kafka;

import io.pulse.events.ConfluentFormat;
import io.pulse.events.EventCodec;
import io.pulse.events.FailureMessage;
import io.pulse.events.Heartbeat;
import io.pulse.events.SchemaHistory;
import io.pulse.events.SchemaRegistryClient;
import io.pulse.events.SchemaRegistryException;
import io.pulse.events.StatusChange;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.avro.Schema;
import org.apache.kafka.common.errors.SerializationException;

/**
 * The publisher's values in Confluent's wire format ({@code pulse.value.format=confluent}): the
 * outbox keeps single-object bytes, and the sender turns each into magic byte 0, the writer
 * schema's registry id and the same body as it sends it. The writer schemas are registered under
 * {@code <topic>-value} before the first event ({@link #registerWriterSchemas}); a value the
 * outbox kept from an older Pulse gets its released schema registered on the way.
 *
 * <pre>{@code
 * ConfluentValues confluent = ConfluentValues.of(config);   // null: single-object encoding
 * confluent.registerWriterSchemas();
 * byte[] value = confluent.frame(config.statusTopic(), record.value());
 * }</pre>
 *
 * Thread-safe (the registry client caches the ids).
 */
final class ConfluentValues {
    /** How long one registry request may take; the sender retries after its back-off. */
    static final Duration REGISTRY_TIMEOUT = Duration.ofSeconds(10);

    private final PublisherConfig config;
    private final SchemaRegistryClient registry;
    /** Every schema the outbox may hold a value of: the current ones and the released ones. */
    private final Map<Long, Schema> schemasByFingerprint = new HashMap<>();

    private ConfluentValues(PublisherConfig config, SchemaRegistryClient registry) {
        this.config = config;
        this.registry = registry;
        for (Schema current :
                List.of(FailureMessage.getClassSchema(), StatusChange.getClassSchema(), Heartbeat.getClassSchema())) {
            schemasByFingerprint.put(EventCodec.fingerprint(current), current);
            for (Schema released : SchemaHistory.released(current.getName())) {
                schemasByFingerprint.putIfAbsent(EventCodec.fingerprint(released), released);
            }
        }
    }

    /** Null unless the configuration asks for Confluent's wire format. */
    static ConfluentValues of(PublisherConfig config) {
        return config.schemaRegistryUrl() == null
                ? null
                : new ConfluentValues(
                        config,
                        new SchemaRegistryClient(
                                config.schemaRegistryUrl(), config.basicAuthUserInfo(), REGISTRY_TIMEOUT));
    }

    /**
     * Registers the current writer schemas under their topics' subjects (the heartbeat's only if
     * heartbeats are on); throws {@link SchemaRegistryException}.
     */
    void registerWriterSchemas() {
        registry.register(subject(config.failuresTopic()), FailureMessage.getClassSchema());
        registry.register(subject(config.statusTopic()), StatusChange.getClassSchema());
        if (!config.heartbeatInterval().isZero()) {
            registry.register(subject(config.heartbeatsTopic()), Heartbeat.getClassSchema());
        }
    }

    /**
     * {@code singleObject} in Confluent's wire format for {@code topic}. Throws
     * {@link SchemaRegistryException} if the registry cannot be asked (send again later), Kafka's
     * {@link SerializationException} if the bytes are no value this Pulse wrote (never sendable).
     */
    byte[] frame(String topic, byte[] singleObject) {
        Schema schema = singleObject.length < EventCodec.HEADER_BYTES
                ? null
                : schemasByFingerprint.get(ByteBuffer.wrap(singleObject, 2, 8)
                        .order(ByteOrder.LITTLE_ENDIAN)
                        .getLong());
        if (schema == null) {
            throw new SerializationException("an outbox value for " + topic + " with no schema this Pulse knows");
        }
        return ConfluentFormat.frame(registry.register(subject(topic), schema), singleObject);
    }

    /** Confluent's TopicNameStrategy. */
    private static String subject(String topic) {
        return topic + "-value";
    }
}
