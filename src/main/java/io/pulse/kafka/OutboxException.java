package io.pulse.kafka;

/** The outbox journal could not be opened, written or synced (disk full, permissions, corruption). */
public final class OutboxException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public OutboxException(String message, Throwable cause) {
        super(message, cause);
    }
}
