package io.pulse.events.serde;

import io.pulse.events.EventCodec;
import io.pulse.events.EventType;
import io.pulse.events.FailureMessage;

/**
 * Kafka {@code Serializer} of {@link FailureMessage}: single-object Avro, as the publisher writes it,
 * with its {@code content-type}, {@code event-id} and {@code event-type} headers.
 *
 * <pre>{@code
 * props.put("value.serializer", FailureMessageSerializer.class.getName());
 * }</pre>
 */
public final class FailureMessageSerializer extends EventSerializer<FailureMessage> {
    public FailureMessageSerializer() {
        super(EventType.FAILURE, EventCodec::encode, FailureMessage::getEventId);
    }
}
