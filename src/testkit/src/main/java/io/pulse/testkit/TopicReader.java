package io.pulse.testkit;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

/**
 * Reads a topic from the beginning with a plain {@link KafkaConsumer} (no group, no Pulse code).
 *
 * <pre>{@code
 * List<ConsumerRecord<byte[], byte[]>> records = TopicReader.readAtLeast(bootstrap, "pulse.status", 2, Duration.ofSeconds(30));
 * }</pre>
 */
public final class TopicReader {
    private TopicReader() {}

    /** Everything in {@code topic} once at least {@code count} records were read, or throws at the timeout. */
    public static List<ConsumerRecord<byte[], byte[]>> readAtLeast(
            String bootstrapServers, String topic, int count, Duration timeout) {
        List<ConsumerRecord<byte[], byte[]>> records =
                readUntil(bootstrapServers, topic, r -> r.size() >= count, timeout);
        if (records.size() < count) {
            throw new AssertionError("read " + records.size() + " records from " + topic + " in " + timeout
                    + " (expected: at least " + count + ")");
        }
        return records;
    }

    /** Reads until {@code done} holds for what was read, or the timeout; returns what was read. */
    public static List<ConsumerRecord<byte[], byte[]>> readUntil(
            String bootstrapServers,
            String topic,
            Predicate<List<ConsumerRecord<byte[], byte[]>>> done,
            Duration timeout) {
        Map<String, Object> config = Map.of(
                "bootstrap.servers",
                bootstrapServers,
                "enable.auto.commit",
                false,
                "isolation.level",
                "read_committed");
        List<ConsumerRecord<byte[], byte[]>> records = new ArrayList<>();
        try (KafkaConsumer<byte[], byte[]> consumer =
                new KafkaConsumer<>(config, new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
            List<TopicPartition> partitions = new ArrayList<>();
            for (PartitionInfo info : consumer.partitionsFor(topic, timeout)) {
                partitions.add(new TopicPartition(topic, info.partition()));
            }
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            long deadline = System.nanoTime() + timeout.toNanos();
            while (!done.test(records) && System.nanoTime() < deadline) {
                consumer.poll(Duration.ofMillis(200)).forEach(records::add);
            }
        }
        return records;
    }
}
