package io.pulse.events.serde;

import io.pulse.events.EventCodec;
import io.pulse.events.EventDecoder;
import io.pulse.events.EventDecodingException;
import io.pulse.events.EventType;
import io.pulse.events.KafkaWriterSchemas;
import io.pulse.events.Topics;
import io.pulse.events.UnknownWriterSchemaException;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import org.apache.avro.Schema;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.errors.SerializationException;

/**
 * What the deserializers share: the decoder their configuration asks for, its schemas-topic reader
 * and its schema registry. A value in Confluent's wire format (first byte 0) gets the writer
 * schema from the registry by id and is then decoded as the same body in single-object encoding
 * would be, so both formats go through one decoder.
 */
final class Decoding implements AutoCloseable {
    private volatile Reading reading = new Reading(null, null, null);
    private KafkaWriterSchemas writerSchemas;

    /**
     * {@code decoder} null: the shipped schemas only; {@code registry} null: none configured;
     * {@code fromRegistry}: the writer schemas the registry gave, by fingerprint, for {@code decoder}.
     */
    private record Reading(EventDecoder decoder, SchemaRegistryClient registry, ConcurrentMap<Long, Schema> fromRegistry) {
    }

    /** Kafka may configure a deserializer more than once (Streams does for some): the last one counts. */
    synchronized void configure(Map<String, ?> configs) {
        PulseSerdeConfig config = PulseSerdeConfig.parse(configs);
        close();
        KafkaWriterSchemas topic = config.schemaLookup() ? new KafkaWriterSchemas(configs,
                Topics.schemas(config.topicPrefix()), config.schemaLookupTimeout()) : null;
        writerSchemas = topic;
        SchemaRegistryClient registry = config.registryClient();
        if (topic == null && registry == null) {
            return;
        }
        ConcurrentMap<Long, Schema> fromRegistry = new ConcurrentHashMap<>();
        EventDecoder decoder = new EventDecoder(fingerprint -> {
            Schema schema = fromRegistry.get(fingerprint);
            if (schema != null) {
                return schema;
            }
            if (topic == null) {
                throw new UnknownWriterSchemaException(fingerprint, PulseSerdeConfig.SCHEMA_LOOKUP + " is false");
            }
            return topic.resolve(fingerprint);
        });
        reading = new Reading(decoder, registry, fromRegistry);
    }

    /**
     * The event in {@code data}, or null for a tombstone or a removal; throws Kafka's
     * {@link SerializationException} (the cause an {@link EventDecodingException}, or a
     * {@link SchemaRegistryException}) for bytes that are no such event.
     */
    SpecificRecord decode(EventType type, String topic, byte[] data) {
        if (data == null || type == EventType.NODE_REMOVED) {
            return null;
        }
        Reading configured = reading;
        try {
            byte[] singleObject = ConfluentFormat.isConfluent(data) ? fromConfluent(configured, topic, data) : data;
            if (type == EventType.FAILURE) {
                return configured.decoder == null ? EventCodec.decodeFailure(singleObject)
                        : configured.decoder.decodeFailure(singleObject);
            }
            return configured.decoder == null ? EventCodec.decodeStatusChange(singleObject)
                    : configured.decoder.decodeStatusChange(singleObject);
        } catch (EventDecodingException | SchemaRegistryException e) {
            throw new SerializationException("cannot deserialize a record of " + topic + ": " + e.getMessage(), e);
        }
    }

    private static byte[] fromConfluent(Reading configured, String topic, byte[] data) {
        int id = ConfluentFormat.schemaId(data);
        if (configured.registry == null) {
            throw new SerializationException("cannot deserialize a record of " + topic + ": it is in Confluent's wire "
                    + "format (schema id " + id + "), which needs " + PulseSerdeConfig.SCHEMA_REGISTRY_URL);
        }
        Schema writer = configured.registry.schema(id);
        long fingerprint = EventCodec.fingerprint(writer);
        configured.fromRegistry.putIfAbsent(fingerprint, writer);
        return ConfluentFormat.toSingleObject(data, fingerprint);
    }

    @Override
    public synchronized void close() {
        reading = new Reading(null, null, null);
        if (writerSchemas != null) {
            writerSchemas.close();
            writerSchemas = null;
        }
    }
}
