package io.pulse.events.serde;

import io.pulse.events.EventHeaders;
import io.pulse.events.EventType;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.serialization.Deserializer;

/**
 * One Kafka {@code Deserializer} for Pulse's topics: the record's {@code event-type} header
 * says what the value is. A {@link io.pulse.events.FailureMessage}, a
 * {@link io.pulse.events.StatusChange}, a {@link io.pulse.events.Heartbeat}, or null for a removed
 * node or a stopped observer (a tombstone).
 *
 * <pre>{@code
 * props.put("value.deserializer", PulseEventDeserializer.class.getName());
 * try (KafkaConsumer<String, SpecificRecord> consumer = new KafkaConsumer<>(props)) {
 *     consumer.subscribe(List.of("pulse.failures", "pulse.status"));
 *     for (ConsumerRecord<String, SpecificRecord> record : consumer.poll(Duration.ofSeconds(1))) {
 *         if (record.value() instanceof FailureMessage failure) pager.page(failure.getNodeId());
 *     }
 * }
 * }</pre>
 *
 * Configured by {@link PulseSerdeConfig}. A record without a known {@code event-type} header, or
 * whose bytes are no such event, throws Kafka's {@code SerializationException}.
 */
public final class PulseEventDeserializer implements Deserializer<SpecificRecord> {
    private final Decoding decoding = new Decoding();

    @Override
    public void configure(Map<String, ?> configs, boolean isKey) {
        decoding.configure(configs);
    }

    /** Always throws: without headers the type of the value is unknown. */
    @Override
    public SpecificRecord deserialize(String topic, byte[] data) {
        throw new SerializationException("a record of " + topic + " without headers (expected: the "
                + EventHeaders.EVENT_TYPE + " header; use FailureMessageDeserializer or StatusChangeDeserializer)");
    }

    @Override
    public SpecificRecord deserialize(String topic, Headers headers, byte[] data) {
        Header header = headers == null ? null : headers.lastHeader(EventHeaders.EVENT_TYPE);
        if (header == null) {
            return deserialize(topic, data);
        }
        EventType type;
        try {
            type = EventType.fromHeader(new String(header.value(), StandardCharsets.UTF_8));
        } catch (IllegalArgumentException e) {
            throw new SerializationException("a record of " + topic + ": " + e.getMessage(), e);
        }
        return decoding.decode(type, topic, data);
    }

    @Override
    public void close() {
        decoding.close();
    }
}
