package io.pulse.events.serde;

import io.pulse.events.EventCodec;
import io.pulse.events.EventDecoder;
import io.pulse.events.EventDecodingException;
import io.pulse.events.EventType;
import io.pulse.events.KafkaWriterSchemas;
import io.pulse.events.Topics;
import java.util.Map;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.errors.SerializationException;

/** What the deserializers share: the decoder their configuration asks for, and its schemas-topic reader. */
final class Decoding implements AutoCloseable {
    private volatile EventDecoder decoder; // null: not configured, the shipped schemas only
    private KafkaWriterSchemas writerSchemas;

    /** Kafka may configure a deserializer more than once (Streams does for some): the last one counts. */
    synchronized void configure(Map<String, ?> configs) {
        PulseSerdeConfig config = PulseSerdeConfig.parse(configs);
        close();
        if (config.schemaLookup()) {
            writerSchemas = new KafkaWriterSchemas(configs, Topics.schemas(config.topicPrefix()),
                    config.schemaLookupTimeout());
            decoder = new EventDecoder(writerSchemas);
        }
    }

    /**
     * The event in {@code data}, or null for a tombstone or a removal; throws Kafka's
     * {@link SerializationException} (the cause an {@link EventDecodingException}) for bytes that
     * are no such event.
     */
    SpecificRecord decode(EventType type, String topic, byte[] data) {
        if (data == null || type == EventType.NODE_REMOVED) {
            return null;
        }
        EventDecoder configured = decoder;
        try {
            if (type == EventType.FAILURE) {
                return configured == null ? EventCodec.decodeFailure(data) : configured.decodeFailure(data);
            }
            return configured == null ? EventCodec.decodeStatusChange(data) : configured.decodeStatusChange(data);
        } catch (EventDecodingException e) {
            throw new SerializationException("cannot deserialize a record of " + topic + ": " + e.getMessage(), e);
        }
    }

    @Override
    public synchronized void close() {
        decoder = null;
        if (writerSchemas != null) {
            writerSchemas.close();
            writerSchemas = null;
        }
    }
}
