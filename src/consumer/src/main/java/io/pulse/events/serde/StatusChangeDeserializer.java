package io.pulse.events.serde;

import io.pulse.events.EventType;
import io.pulse.events.StatusChange;

/**
 * Kafka {@code Deserializer} of {@code <prefix>.status}' values, with any compatible writer schema
 * (see {@link PulseSerdeConfig}); a tombstone (a removed node) is null.
 *
 * <pre>{@code
 * props.put("value.deserializer", StatusChangeDeserializer.class.getName());
 * KafkaConsumer<String, StatusChange> consumer = new KafkaConsumer<>(props);
 * }</pre>
 *
 * Bytes that are no StatusChange throw Kafka's {@code SerializationException}.
 */
public final class StatusChangeDeserializer extends EventDeserializer<StatusChange> {
    public StatusChangeDeserializer() {
        super(EventType.STATUS_CHANGE, StatusChange.class);
    }
}
