package io.pulse.events;

/**
 * The kinds of event Pulse publishes, as named in the {@code event-type} record header.
 *
 * <pre>{@code
 * EventType type = EventType.fromHeader(new String(header.value(), UTF_8));
 * }</pre>
 */
public enum EventType {
    /** A {@link FailureMessage}: a node declared DEAD. */
    FAILURE("io.pulse.FailureMessage"),
    /** A {@link StatusChange}: a node changed state. */
    STATUS_CHANGE("io.pulse.StatusChange"),
    /** A node was removed from the watch list: a tombstone (null value) on the status topic. */
    NODE_REMOVED("io.pulse.NodeRemoved"),
    /** A {@link Heartbeat}: an observer is alive and watching (on the heartbeats topic). */
    HEARTBEAT("io.pulse.Heartbeat");

    private final String headerValue;

    EventType(String headerValue) {
        this.headerValue = headerValue;
    }

    /** The value of the {@value EventHeaders#EVENT_TYPE} header. */
    public String headerValue() {
        return headerValue;
    }

    /** The type named by a header value; throws {@link IllegalArgumentException} for any other. */
    public static EventType fromHeader(String value) {
        for (EventType type : values()) {
            if (type.headerValue.equals(value)) {
                return type;
            }
        }
        throw new IllegalArgumentException("unknown event type \"" + value + "\" (expected one of "
                + FAILURE.headerValue + ", " + STATUS_CHANGE.headerValue + ", " + NODE_REMOVED.headerValue + ", "
                + HEARTBEAT.headerValue + ")");
    }
}
