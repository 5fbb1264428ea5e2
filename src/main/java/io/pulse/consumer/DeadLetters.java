package io.pulse.consumer;

import io.pulse.events.Topics;
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

    DeadLetters(Map<String, Object> clientProperties) {
        this.producer = new KafkaProducer<>(producerProperties(clientProperties), new StringSerializer(),
                new ByteArraySerializer());
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

    void send(ConsumerRecord<String, byte[]> record, String error, int attempts) throws InterruptedException {
        RecordHeaders headers = new RecordHeaders();
        for (Header header : record.headers()) {
            headers.add(header);
        }
        headers.add(DeadLetterHeaders.ORIGINAL_TOPIC, utf8(record.topic()));
        headers.add(DeadLetterHeaders.ORIGINAL_PARTITION, utf8(Integer.toString(record.partition())));
        headers.add(DeadLetterHeaders.ORIGINAL_OFFSET, utf8(Long.toString(record.offset())));
        headers.add(DeadLetterHeaders.ERROR, utf8(error == null ? "unknown" : error));
        headers.add(DeadLetterHeaders.ATTEMPTS, utf8(Integer.toString(attempts)));
        ProducerRecord<String, byte[]> copy = new ProducerRecord<>(Topics.deadLetter(record.topic()), null,
                record.key(), record.value(), headers);
        try {
            producer.send(copy).get();
        } catch (ExecutionException e) {
            throw new IllegalStateException("cannot write " + record.topic() + "-" + record.partition() + "@"
                    + record.offset() + " to " + copy.topic() + ": " + e.getCause().getMessage(), e.getCause());
        }
    }

    private static byte[] utf8(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    @Override
    public void close() {
        producer.close();
    }
}
