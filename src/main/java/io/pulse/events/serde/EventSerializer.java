package io.pulse.events.serde;

import io.pulse.events.EventHeaders;
import io.pulse.events.EventType;
import java.nio.charset.StandardCharsets;
import java.util.function.Function;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.serialization.Serializer;

/**
 * The serializers' common part: single-object encoding, and the headers the publisher writes
 * ({@code content-type}, {@code event-id}, {@code event-type}) when the producer passes headers.
 */
abstract class EventSerializer<T extends SpecificRecord> implements Serializer<T> {
    private static final byte[] CONTENT_TYPE = EventHeaders.AVRO_SINGLE_OBJECT.getBytes(StandardCharsets.UTF_8);

    private final EventType type;
    private final Function<T, byte[]> encoder;
    private final Function<T, Object> eventId;

    EventSerializer(EventType type, Function<T, byte[]> encoder, Function<T, Object> eventId) {
        this.type = type;
        this.encoder = encoder;
        this.eventId = eventId;
    }

    @Override
    public byte[] serialize(String topic, T data) {
        return data == null ? null : encoder.apply(data);
    }

    @Override
    public byte[] serialize(String topic, Headers headers, T data) {
        if (data != null && headers != null) {
            headers.remove(EventHeaders.CONTENT_TYPE).add(EventHeaders.CONTENT_TYPE, CONTENT_TYPE);
            headers.remove(EventHeaders.EVENT_ID).add(EventHeaders.EVENT_ID,
                    eventId.apply(data).toString().getBytes(StandardCharsets.UTF_8));
            headers.remove(EventHeaders.EVENT_TYPE).add(EventHeaders.EVENT_TYPE,
                    type.headerValue().getBytes(StandardCharsets.UTF_8));
        }
        return serialize(topic, data);
    }
}
