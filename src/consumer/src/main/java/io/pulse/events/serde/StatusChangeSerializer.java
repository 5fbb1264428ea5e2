package io.pulse.events.serde;

import io.pulse.events.EventCodec;
import io.pulse.events.EventType;
import io.pulse.events.StatusChange;

/**
 * Kafka {@code Serializer} of {@link StatusChange}: single-object Avro, as the publisher writes it,
 * with its {@code content-type}, {@code event-id} and {@code event-type} headers.
 *
 * <pre>{@code
 * props.put("value.serializer", StatusChangeSerializer.class.getName());
 * }</pre>
 */
public final class StatusChangeSerializer extends EventSerializer<StatusChange> {
    public StatusChangeSerializer() {
        super(EventType.STATUS_CHANGE, EventCodec::encode, StatusChange::getEventId);
    }
}
