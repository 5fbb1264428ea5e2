package io.pulse.consumer;

import io.pulse.events.Topics;
import java.nio.charset.StandardCharsets;
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
    private final KafkaProducer<String, byte[]> producer;

    DeadLetters(Map<String, Object> clientProperties) {
        Properties props = new Properties();
        props.putAll(clientProperties);
        props.keySet().removeIf(key -> !ProducerConfig.configNames().contains(String.valueOf(key)));
        props.put(ProducerConfig.ACKS_CONFIG, "all");
        props.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true");
        this.producer = new KafkaProducer<>(props, new StringSerializer(), new ByteArraySerializer());
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
