package io.pulse.events.serde;

import io.pulse.events.EventDecoder;
import io.pulse.events.EventDecodingException;
import io.pulse.events.EventType;
import io.pulse.events.KafkaWriterSchemas;
import io.pulse.events.SchemaRegistryClient;
import io.pulse.events.Topics;
import io.pulse.events.UnknownWriterSchemaException;
import java.util.Map;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.errors.SerializationException;

/**
 * What the deserializers share: the decoder their configuration asks for, with its schemas-topic
 * reader and its schema registry ({@link EventDecoder} reads both single-object encoding and
 * Confluent's wire format).
 */
final class Decoding implements AutoCloseable {
    private volatile Reading reading = new Reading(EventDecoder.releasedOnly());
    private KafkaWriterSchemas writerSchemas;

    /** The decoder of the last configuration. */
    private record Reading(EventDecoder decoder) {}

    /** Kafka may configure a deserializer more than once (Streams does for some): the last one counts. */
    synchronized void configure(Map<String, ?> configs) {
        PulseSerdeConfig config = PulseSerdeConfig.parse(configs);
        close();
        KafkaWriterSchemas topic = config.schemaLookup()
                ? new KafkaWriterSchemas(configs, Topics.schemas(config.topicPrefix()), config.schemaLookupTimeout())
                : null;
        writerSchemas = topic;
        SchemaRegistryClient registry = config.registryClient();
        reading = new Reading(new EventDecoder(
                fingerprint -> {
                    if (topic == null) {
                        throw new UnknownWriterSchemaException(
                                fingerprint, PulseSerdeConfig.SCHEMA_LOOKUP + " is false");
                    }
                    return topic.resolve(fingerprint);
                },
                registry));
    }

    /**
     * The event in {@code data}, or null for a tombstone or a removal; throws Kafka's
     * {@link SerializationException} (the cause an {@link EventDecodingException}) for bytes that
     * are no such event, in single-object encoding or Confluent's wire format.
     */
    SpecificRecord decode(EventType type, String topic, byte[] data) {
        if (data == null || type == EventType.NODE_REMOVED) {
            return null;
        }
        EventDecoder decoder = reading.decoder();
        try {
            if (type == EventType.FAILURE) {
                return decoder.decodeFailure(data);
            }
            return type == EventType.HEARTBEAT ? decoder.decodeHeartbeat(data) : decoder.decodeStatusChange(data);
        } catch (EventDecodingException e) {
            throw new SerializationException("cannot deserialize a record of " + topic + ": " + e.getMessage(), e);
        }
    }

    @Override
    public synchronized void close() {
        reading = new Reading(EventDecoder.releasedOnly());
        if (writerSchemas != null) {
            writerSchemas.close();
            writerSchemas = null;
        }
    }
}
