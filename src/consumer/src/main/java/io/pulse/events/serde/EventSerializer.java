package io.pulse.events.serde;

import io.pulse.events.ConfluentFormat;
import io.pulse.events.EventHeaders;
import io.pulse.events.EventType;
import io.pulse.events.SchemaRegistryClient;
import io.pulse.events.SchemaRegistryException;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.function.Function;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.serialization.Serializer;

/**
 * The serializers' common part: single-object encoding, or Confluent's wire format if configured
 * so ({@link PulseSerdeConfig#FORMAT}), and the headers the publisher writes ({@code content-type},
 * {@code event-id}, {@code event-type}) when the producer passes headers.
 *
 * <p>In Confluent's format the writer schema is registered under the subject {@code <topic>-value}
 * ({@code <topic>-key} for a key serializer; Confluent's TopicNameStrategy) on the first record of a
 * topic; the registry's answer is cached.
 */
abstract class EventSerializer<T extends SpecificRecord> implements Serializer<T> {
    private static final byte[] SINGLE_OBJECT = EventHeaders.AVRO_SINGLE_OBJECT.getBytes(StandardCharsets.UTF_8);
    private static final byte[] CONFLUENT = EventHeaders.AVRO_CONFLUENT.getBytes(StandardCharsets.UTF_8);

    private final EventType type;
    private final Function<T, byte[]> encoder;
    private final Function<T, Object> eventId;
    private volatile Writing writing = new Writing(null, "-value");

    /** {@code registry} null: single-object encoding. */
    private record Writing(SchemaRegistryClient registry, String subjectSuffix) {}

    EventSerializer(EventType type, Function<T, byte[]> encoder, Function<T, Object> eventId) {
        this.type = type;
        this.encoder = encoder;
        this.eventId = eventId;
    }

    /** Throws Kafka's {@code ConfigException} naming the key for an invalid setting. */
    @Override
    public void configure(Map<String, ?> configs, boolean isKey) {
        PulseSerdeConfig config = PulseSerdeConfig.parseForWriting(configs);
        writing = new Writing(
                config.format() == PulseSerdeConfig.Format.CONFLUENT ? config.registryClient() : null,
                isKey ? "-key" : "-value");
    }

    /** Throws Kafka's {@link SerializationException} (the cause a {@link SchemaRegistryException}) if registering fails. */
    @Override
    public byte[] serialize(String topic, T data) {
        if (data == null) {
            return null;
        }
        Writing configured = writing;
        byte[] singleObject = encoder.apply(data);
        if (configured.registry == null) {
            return singleObject;
        }
        try {
            int id = configured.registry.register(topic + configured.subjectSuffix, data.getSchema());
            return ConfluentFormat.frame(id, singleObject);
        } catch (SchemaRegistryException e) {
            throw new SerializationException("cannot serialize a record of " + topic + ": " + e.getMessage(), e);
        }
    }

    @Override
    public byte[] serialize(String topic, Headers headers, T data) {
        if (data != null && headers != null) {
            headers.remove(EventHeaders.CONTENT_TYPE)
                    .add(EventHeaders.CONTENT_TYPE, writing.registry == null ? SINGLE_OBJECT : CONFLUENT);
            headers.remove(EventHeaders.EVENT_ID)
                    .add(EventHeaders.EVENT_ID, eventId.apply(data).toString().getBytes(StandardCharsets.UTF_8));
            headers.remove(EventHeaders.EVENT_TYPE)
                    .add(EventHeaders.EVENT_TYPE, type.headerValue().getBytes(StandardCharsets.UTF_8));
        }
        return serialize(topic, data);
    }
}
