package io.pulse.kafka;

/**
 * The outbox journal could not be opened, written or synced (disk full, or another publisher
 * holds it); {@link OutboxNotWritableException} when its directory cannot be written. A damaged
 * outbox does not throw it: it is moved aside and counted (see {@link PublisherStats#outboxCorruptions()}).
 *
 * <pre>{@code
 * try {
 *     publisher = PulsePublisher.builder()...build();
 * } catch (OutboxException e) {
 *     exit("cannot open the outbox: " + e.getMessage());
 * }
 * }</pre>
 *
 * After start-up the publisher does not throw it: a failed journal write drops the event and counts
 * it in {@link PublisherStats#dropped()}.
 */
public class OutboxException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public OutboxException(String message, Throwable cause) {
        super(message, cause);
    }
}
