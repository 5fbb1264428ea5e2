package io.pulse.events.serde;

import io.pulse.events.EventType;
import java.util.Map;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.serialization.Deserializer;

/** The deserializers of one event type: configured by {@link PulseSerdeConfig}, null for a tombstone. */
abstract class EventDeserializer<T> implements Deserializer<T> {
    private final Decoding decoding = new Decoding();
    private final EventType type;
    private final Class<T> eventClass;

    EventDeserializer(EventType type, Class<T> eventClass) {
        this.type = type;
        this.eventClass = eventClass;
    }

    @Override
    public void configure(Map<String, ?> configs, boolean isKey) {
        decoding.configure(configs);
    }

    @Override
    public T deserialize(String topic, byte[] data) {
        return eventClass.cast(decoding.decode(type, topic, data));
    }

    @Override
    public T deserialize(String topic, Headers headers, byte[] data) {
        return deserialize(topic, data);
    }

    @Override
    public void close() {
        decoding.close();
    }
}
