package io.pulse.consumer;

import io.pulse.events.Topics;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * Sends records a consumer could not handle to {@code <topic>-dlt}, key, value and headers as
 * they were, plus {@link DeadLetterHeaders}. Waits for the broker's acknowledgement, so that the
 * original's offset is committed only once its copy is safe.
 */
final class DeadLetters implements AutoCloseable {
    /**
     * How long a send waits for the dead-letter topic's metadata unless {@code max.block.ms} is
     * set (Kafka's default is 60 s): a missing topic is then an error in seconds, not a minute's stall.
     */
    static final Duration DEFAULT_MAX_BLOCK = Duration.ofSeconds(10);

    private final KafkaProducer<String, byte[]> producer;
    private final String groupId;

    DeadLetters(Map<String, Object> clientProperties, String groupId) {
        this.groupId = groupId;
        this.producer = new KafkaProducer<>(
                producerProperties(clientProperties), new StringSerializer(), new ByteArraySerializer());
    }

    /** The producer settings of {@code clientProperties}, with acks=all and idempotence. */
    static Properties producerProperties(Map<String, Object> clientProperties) {
        Properties props = new Properties();
        props.putAll(clientProperties);
        props.keySet().removeIf(key -> !ProducerConfig.configNames().contains(String.valueOf(key)));
        props.put(ProducerConfig.ACKS_CONFIG, "all");
        props.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true");
        props.putIfAbsent(ProducerConfig.MAX_BLOCK_MS_CONFIG, DEFAULT_MAX_BLOCK.toMillis());
        return props;
    }

    /** Sends a copy of {@code record}; {@code error} is the handler's last exception or the decoding error. */
    void send(ConsumerRecord<String, byte[]> record, Throwable error, int attempts) throws InterruptedException {
        ProducerRecord<String, byte[]> copy = new ProducerRecord<>(
                Topics.deadLetter(record.topic()),
                null,
                record.key(),
                record.value(),
                headers(record, error, attempts, groupId));
        try {
            producer.send(copy).get();
        } catch (ExecutionException e) {
            throw new IllegalStateException(
                    "cannot write " + record.topic() + "-" + record.partition() + "@" + record.offset() + " to "
                            + copy.topic() + ": " + e.getCause().getMessage(),
                    e.getCause());
        }
    }

    /** The record's own headers, then {@link DeadLetterHeaders} (so that they are the last of their names). */
    static RecordHeaders headers(ConsumerRecord<String, byte[]> record, Throwable error, int attempts, String groupId) {
        RecordHeaders headers = new RecordHeaders();
        for (Header header : record.headers()) {
            headers.add(header);
        }
        headers.add(DeadLetterHeaders.ORIGINAL_TOPIC, utf8(record.topic()));
        headers.add(DeadLetterHeaders.ORIGINAL_PARTITION, DeadLetterHeaders.int32(record.partition()));
        headers.add(DeadLetterHeaders.ORIGINAL_OFFSET, DeadLetterHeaders.int64(record.offset()));
        headers.add(DeadLetterHeaders.ORIGINAL_TIMESTAMP, DeadLetterHeaders.int64(record.timestamp()));
        headers.add(
                DeadLetterHeaders.ORIGINAL_TIMESTAMP_TYPE,
                utf8(record.timestampType().toString()));
        headers.add(DeadLetterHeaders.ORIGINAL_CONSUMER_GROUP, utf8(groupId));
        headers.add(DeadLetterHeaders.EXCEPTION_FQCN, utf8(error.getClass().getName()));
        if (error.getMessage() != null) {
            headers.add(DeadLetterHeaders.EXCEPTION_MESSAGE, utf8(error.getMessage()));
        }
        StringWriter trace = new StringWriter();
        error.printStackTrace(new PrintWriter(trace, true));
        headers.add(DeadLetterHeaders.EXCEPTION_STACKTRACE, utf8(trace.toString()));
        headers.add(DeadLetterHeaders.ATTEMPTS, utf8(Integer.toString(attempts)));
        return headers;
    }

    private static byte[] utf8(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    @Override
    public void close() {
        producer.close();
    }
}
