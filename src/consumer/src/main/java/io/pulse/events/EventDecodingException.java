package io.pulse.events;

/**
 * A record value that is not a Pulse event this version can read.
 *
 * <pre>{@code
 * try {
 *     handle(EventCodec.decodeFailure(record.value()));
 * } catch (EventDecodingException e) {
 *     undecodable.increment();   // one bad record costs a counter, not the consumer
 * }
 * }</pre>
 */
public final class EventDecodingException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public EventDecodingException(String message, Throwable cause) {
        super(message, cause);
    }
}
