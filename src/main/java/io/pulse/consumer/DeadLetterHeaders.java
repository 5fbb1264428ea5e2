package io.pulse.consumer;

/**
 * The headers a dead-lettered record carries, besides its own, so that someone can find and
 * replay the original. Values are UTF-8 text.
 *
 * <pre>{@code
 * String from = new String(record.headers().lastHeader(DeadLetterHeaders.ORIGINAL_TOPIC).value(), UTF_8);
 * }</pre>
 */
public final class DeadLetterHeaders {
    public static final String ORIGINAL_TOPIC = "pulse.dlt.original-topic";
    public static final String ORIGINAL_PARTITION = "pulse.dlt.original-partition";
    public static final String ORIGINAL_OFFSET = "pulse.dlt.original-offset";
    /** The exception class and message of the last failure, or the decoding error. */
    public static final String ERROR = "pulse.dlt.error";
    /** How many times the handler was called: 0 for a record that could not be decoded. */
    public static final String ATTEMPTS = "pulse.dlt.attempts";

    private DeadLetterHeaders() {
    }
}
