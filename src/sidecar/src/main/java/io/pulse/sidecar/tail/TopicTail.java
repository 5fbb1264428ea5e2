package io.pulse.sidecar.tail;

import io.pulse.events.EventDecoder;
import io.pulse.events.EventDecodingException;
import io.pulse.events.KafkaWriterSchemas;
import io.pulse.events.SchemaRegistryClient;
import io.pulse.events.Topics;
import io.pulse.kafka.PublisherConfig;
import io.pulse.sidecar.config.SidecarConfig;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndTimestamp;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

/**
 * Reads Pulse's topics without a trace on the cluster: the partitions are assigned (no consumer
 * group, no offsets committed), nothing is written and no topic is created; an undecodable record
 * is reported and skipped. Events written with a newer schema than this build's are decoded with
 * the writer schema read from {@code <prefix>.schemas} (see {@link KafkaWriterSchemas}).
 *
 * <pre>{@code
 * try (TopicTail tail = new TopicTail(TopicTail.consumerProperties(config), prefix, topics, Start.END, null,
 *         nodes, sink)) {
 *     while (running) tail.poll(Duration.ofMillis(200));
 * }
 * }</pre>
 */
public final class TopicTail implements AutoCloseable {
    /** How often topics that do not exist yet are looked for again. */
    public static final Duration TOPIC_RECHECK = Duration.ofSeconds(1);
    /** Read-only client settings that no property may change. */
    private static final Map<String, String> FORCED = Map.of(
            ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false",
            ConsumerConfig.ALLOW_AUTO_CREATE_TOPICS_CONFIG, "false",
            ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest",
            ConsumerConfig.CLIENT_ID_CONFIG, "pulse-tail");

    /** Where reading starts in each partition. */
    public enum Start {
        BEGINNING,
        END,
        SINCE
    }

    /** What the tail hands on: one call per event, or a warning about a record it skipped. */
    public interface Sink {
        void failure(io.pulse.events.FailureMessage failure);

        void status(io.pulse.events.StatusChange change);

        void removed(String nodeId, Instant at);

        void skipped(String warning);

        /** A heartbeat, if the heartbeats topic is among those read. */
        default void heartbeat(io.pulse.events.Heartbeat heartbeat) {}

        /** An observer that stopped cleanly (a tombstone on the heartbeats topic), if that topic is read. */
        default void stopped(String observer, Instant at) {}
    }

    private final KafkaConsumer<byte[], byte[]> consumer;
    private final String failuresTopic;
    private final String heartbeatsTopic;
    private final KafkaWriterSchemas writerSchemas;
    private final EventDecoder decoder;
    private final Set<String> waiting;
    private final Start start;
    private final Instant since;
    private final Set<String> nodes;
    private final Sink sink;
    private final List<TopicPartition> assigned = new ArrayList<>();
    private long nextTopicCheckNanos;

    /**
     * @param prefix  the topic prefix: which topic holds failures, and where newer writer schemas are
     * @param topics  the topics to read; those that do not exist yet are read from their start once they do
     * @param since   where {@link Start#SINCE} starts, else ignored
     * @param nodes   the node ids whose events are handed on; empty for all
     */
    public TopicTail(
            Properties properties,
            String prefix,
            List<String> topics,
            Start start,
            Instant since,
            Set<String> nodes,
            Sink sink) {
        Properties client = new Properties();
        client.putAll(properties);
        client.remove(SchemaRegistryClient.URL_PROPERTY); // the registry's, not the Kafka client's
        client.remove(SchemaRegistryClient.USER_INFO_PROPERTY);
        this.consumer = new KafkaConsumer<>(client, new ByteArrayDeserializer(), new ByteArrayDeserializer());
        this.failuresTopic = Topics.failures(prefix);
        this.heartbeatsTopic = Topics.heartbeats(prefix);
        Map<String, Object> settings = new HashMap<>();
        properties.forEach((key, value) -> settings.put(String.valueOf(key), value));
        this.writerSchemas =
                new KafkaWriterSchemas(settings, Topics.schemas(prefix), KafkaWriterSchemas.DEFAULT_LOOKUP_TIMEOUT);
        this.decoder = new EventDecoder(
                writerSchemas,
                SchemaRegistryClient.fromProperties(properties, KafkaWriterSchemas.DEFAULT_LOOKUP_TIMEOUT));
        this.waiting = new LinkedHashSet<>(topics);
        this.start = start;
        this.since = since;
        this.nodes = Set.copyOf(nodes);
        this.sink = sink;
    }

    /**
     * The consumer's settings from the sidecar's Kafka settings: the client properties a consumer
     * knows (bootstrap servers, security.protocol, sasl.*, ssl.*, ...), then {@link #FORCED}; never a
     * group id.
     */
    public static Properties consumerProperties(SidecarConfig config) {
        Properties properties = new Properties();
        config.kafka().forEach((key, value) -> {
            if (ConsumerConfig.configNames().contains(key)
                    || key.equals(SchemaRegistryClient.URL_PROPERTY)
                    || key.equals(SchemaRegistryClient.USER_INFO_PROPERTY)) {
                properties.put(key, String.valueOf(value));
            }
        });
        properties.remove(ConsumerConfig.GROUP_ID_CONFIG);
        properties.remove(ConsumerConfig.GROUP_INSTANCE_ID_CONFIG);
        properties.putAll(FORCED);
        return properties;
    }

    /** The topic prefix of the sidecar's Kafka settings. */
    public static String topicPrefix(SidecarConfig config) {
        return (String) config.kafka().getOrDefault(PublisherConfig.TOPIC_PREFIX, Topics.DEFAULT_PREFIX);
    }

    /** Assigns the topics that appeared since the last look, then hands on what arrived within {@code timeout}. */
    public void poll(Duration timeout) {
        if (!waiting.isEmpty() && System.nanoTime() - nextTopicCheckNanos >= 0) {
            assignNewTopics();
            nextTopicCheckNanos = System.nanoTime() + TOPIC_RECHECK.toNanos();
        }
        if (assigned.isEmpty()) {
            sleep(timeout);
            return;
        }
        for (ConsumerRecord<byte[], byte[]> record : consumer.poll(timeout)) {
            handle(record);
        }
    }

    /** The topics not found so far. */
    public Set<String> missingTopics() {
        return Set.copyOf(waiting);
    }

    /** Makes a blocked {@link #poll} return at once (from another thread). */
    public void wakeup() {
        consumer.wakeup();
    }

    /** The first offset of a partition and the offset after its last record. */
    public record Range(long begin, long end) {}

    /**
     * The offsets of every partition of those of {@code topics} that exist, asked of the brokers:
     * what a reader's lag is counted against, and whether Kafka answers at all.
     *
     * @throws org.apache.kafka.common.errors.TimeoutException if Kafka did not answer within {@code timeout}
     */
    public Map<TopicPartition, Range> offsets(List<String> topics, Duration timeout) {
        List<TopicPartition> partitions = new ArrayList<>();
        for (String topic : topics) {
            List<PartitionInfo> infos = consumer.partitionsFor(topic, timeout);
            if (infos != null) {
                infos.forEach(p -> partitions.add(new TopicPartition(p.topic(), p.partition())));
            }
        }
        Map<TopicPartition, Long> begin = consumer.beginningOffsets(partitions, timeout);
        Map<TopicPartition, Long> end = consumer.endOffsets(partitions, timeout);
        Map<TopicPartition, Range> ranges = new HashMap<>();
        partitions.forEach(p -> ranges.put(p, new Range(begin.get(p), end.get(p))));
        return ranges;
    }

    /** The next offset this tail reads in each partition it was assigned. */
    public Map<TopicPartition, Long> positions(Duration timeout) {
        Map<TopicPartition, Long> positions = new HashMap<>();
        assigned.forEach(p -> positions.put(p, consumer.position(p, timeout)));
        return positions;
    }

    private void assignNewTopics() {
        boolean first = assigned.isEmpty() && nextTopicCheckNanos == 0;
        List<TopicPartition> found = new ArrayList<>();
        for (String topic : List.copyOf(waiting)) {
            List<PartitionInfo> partitions = consumer.partitionsFor(topic);
            if (partitions != null && !partitions.isEmpty()) {
                partitions.forEach(p -> found.add(new TopicPartition(p.topic(), p.partition())));
                waiting.remove(topic);
            }
        }
        if (found.isEmpty()) {
            return;
        }
        assigned.addAll(found);
        consumer.assign(assigned);
        // A topic that appears after the start holds only events newer than the start: all of them are read.
        Start from = first ? start : start == Start.END ? Start.BEGINNING : start;
        switch (from) {
            case BEGINNING -> consumer.seekToBeginning(found);
            case END -> consumer.endOffsets(found).forEach(consumer::seek);
            case SINCE -> {
                Map<TopicPartition, Long> times = new HashMap<>();
                found.forEach(partition -> times.put(partition, since.toEpochMilli()));
                Map<TopicPartition, OffsetAndTimestamp> offsets = consumer.offsetsForTimes(times);
                Map<TopicPartition, Long> ends = consumer.endOffsets(found);
                found.forEach(partition -> {
                    OffsetAndTimestamp offset = offsets.get(partition);
                    consumer.seek(partition, offset == null ? ends.get(partition) : offset.offset());
                });
            }
        }
        found.forEach(consumer::position); // resolves the positions now: what arrives later is read
    }

    private void handle(ConsumerRecord<byte[], byte[]> record) {
        String key = record.key() == null ? null : new String(record.key(), StandardCharsets.UTF_8);
        if (!nodes.isEmpty() && !nodes.contains(key)) {
            return;
        }
        try {
            if (record.topic().equals(failuresTopic)) {
                sink.failure(decoder.decodeFailure(record.value()));
            } else if (record.topic().equals(heartbeatsTopic)) {
                heartbeat(key, record);
            } else if (record.value() == null) {
                if (key == null) {
                    throw new EventDecodingException("tombstone without a key (expected: the removed node's id)", null);
                }
                sink.removed(key, Instant.ofEpochMilli(record.timestamp()));
            } else {
                sink.status(decoder.decodeStatusChange(record.value()));
            }
        } catch (EventDecodingException e) {
            sink.skipped("skipped " + record.topic() + "-" + record.partition() + "@" + record.offset() + ": "
                    + e.getMessage().replace('\n', ' '));
        }
    }

    private void heartbeat(String observer, ConsumerRecord<byte[], byte[]> record) {
        if (record.value() != null) {
            sink.heartbeat(decoder.decodeHeartbeat(record.value()));
        } else if (observer == null) {
            throw new EventDecodingException("tombstone without a key (expected: the stopped observer)", null);
        } else {
            sink.stopped(observer, Instant.ofEpochMilli(record.timestamp()));
        }
    }

    private static void sleep(Duration timeout) {
        try {
            Thread.sleep(timeout.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public void close() {
        consumer.close(org.apache.kafka.clients.consumer.CloseOptions.timeout(Duration.ofSeconds(5)));
        writerSchemas.close();
    }
}
