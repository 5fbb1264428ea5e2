package io.pulse.kafka;

/**
 * The outbox directory cannot be created or written (permission denied, or a file where the
 * directory should be): a configuration problem, not damage. Nothing is moved aside.
 *
 * <pre>{@code
 * try {
 *     publisher = PulsePublisher.builder()...build();
 * } catch (OutboxNotWritableException e) {
 *     exit(2, e.getMessage());   // "cannot write to outbox directory /var/lib/pulse/outbox: permission denied"
 * }
 * }</pre>
 */
public final class OutboxNotWritableException extends OutboxException {
    private static final long serialVersionUID = 1L;

    public OutboxNotWritableException(String message, Throwable cause) {
        super(message, cause);
    }
}
