package io.pulse.events;

/** A record value that is not a Pulse event this version can read. */
public final class EventDecodingException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public EventDecodingException(String message, Throwable cause) {
        super(message, cause);
    }
}
