package io.pulse.events.serde;

import io.pulse.events.EventType;
import io.pulse.events.FailureMessage;

/**
 * Kafka {@code Deserializer} of {@code <prefix>.failures}' values, with any compatible writer schema
 * (see {@link PulseSerdeConfig}).
 *
 * <pre>{@code
 * props.put("value.deserializer", FailureMessageDeserializer.class.getName());
 * KafkaConsumer<String, FailureMessage> consumer = new KafkaConsumer<>(props);
 * }</pre>
 *
 * Bytes that are no FailureMessage throw Kafka's {@code SerializationException}.
 */
public final class FailureMessageDeserializer extends EventDeserializer<FailureMessage> {
    public FailureMessageDeserializer() {
        super(EventType.FAILURE, FailureMessage.class);
    }
}
