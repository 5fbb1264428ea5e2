package io.pulse.protocol;

/**
 * A datagram that is not a valid message. The decoder catches it, counts its
 * {@link #reason()} and drops the datagram; it never reaches the pipeline.
 *
 * <pre>{@code
 * try { WireFormat.decode(buf); } catch (MalformedDatagramException e) { counters.increment(e.reason()); }
 * }</pre>
 */
public final class MalformedDatagramException extends Exception {
    private final RejectReason reason;

    public MalformedDatagramException(RejectReason reason, String message) {
        super(message, null, false, false);
        this.reason = reason;
    }

    public RejectReason reason() {
        return reason;
    }
}
