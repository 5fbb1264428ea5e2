package io.pulse.consumer;

import java.nio.ByteBuffer;

/**
 * The headers a dead-lettered record carries, besides its own, so that someone can find and
 * replay the original. The names and encodings are Spring Kafka's ({@code KafkaHeaders.DLT_*}, as
 * its {@code DeadLetterPublishingRecoverer} writes them), so Spring's tools read them as well:
 * text is UTF-8, the partition a 4-byte big-endian int, offset and timestamp 8-byte big-endian longs.
 *
 * <pre>{@code
 * String from = new String(letter.headers().lastHeader(DeadLetterHeaders.ORIGINAL_TOPIC).value(), UTF_8);
 * int partition = ByteBuffer.wrap(letter.headers().lastHeader(DeadLetterHeaders.ORIGINAL_PARTITION).value()).getInt();
 * long offset = ByteBuffer.wrap(letter.headers().lastHeader(DeadLetterHeaders.ORIGINAL_OFFSET).value()).getLong();
 * }</pre>
 */
public final class DeadLetterHeaders {
    /** The source topic, text. */
    public static final String ORIGINAL_TOPIC = "kafka_dlt-original-topic";
    /** The source partition, a 4-byte big-endian int. */
    public static final String ORIGINAL_PARTITION = "kafka_dlt-original-partition";
    /** The record's offset in the source partition, an 8-byte big-endian long. */
    public static final String ORIGINAL_OFFSET = "kafka_dlt-original-offset";
    /** The record's timestamp in ms since the epoch, an 8-byte big-endian long. */
    public static final String ORIGINAL_TIMESTAMP = "kafka_dlt-original-timestamp";
    /** {@code CreateTime} or {@code LogAppendTime}, text. */
    public static final String ORIGINAL_TIMESTAMP_TYPE = "kafka_dlt-original-timestamp-type";
    /** The group of the consumer that gave up on the record, text. */
    public static final String ORIGINAL_CONSUMER_GROUP = "kafka_dlt-original-consumer-group";
    /** The class of the handler's last exception, or of the decoding error, text. */
    public static final String EXCEPTION_FQCN = "kafka_dlt-exception-fqcn";
    /** That exception's message, text; absent when it has none. */
    public static final String EXCEPTION_MESSAGE = "kafka_dlt-exception-message";
    /** That exception's stack trace as {@code printStackTrace} prints it, text. */
    public static final String EXCEPTION_STACKTRACE = "kafka_dlt-exception-stacktrace";
    /** Pulse's own: how many times the handler was called, decimal text; 0 for a record that could not be decoded. */
    public static final String ATTEMPTS = "pulse.dlt.attempts";

    private DeadLetterHeaders() {}

    static byte[] int32(int value) {
        return ByteBuffer.allocate(Integer.BYTES).putInt(value).array();
    }

    static byte[] int64(long value) {
        return ByteBuffer.allocate(Long.BYTES).putLong(value).array();
    }
}
