package io.pulse.consumer;

import io.pulse.events.EventDecoder;
import io.pulse.events.EventDecodingException;
import io.pulse.events.Heartbeat;
import io.pulse.events.KafkaWriterSchemas;
import io.pulse.events.SchemaRegistryClient;
import io.pulse.events.StatusChange;
import io.pulse.events.Topics;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Properties;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Collectors;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.AuthorizationException;
import org.apache.kafka.common.errors.RetriableException;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Every node's latest status, materialized from the compacted status topic, and every observer's
 * latest heartbeat, from the compacted heartbeats topic: all partitions assigned, read from the
 * beginning, no consumer group. A tombstone removes the node (or the observer, which stopped
 * cleanly). Partitions added later, and a heartbeats topic created after the view started, are
 * followed from their beginning: the view looks every {@link Builder#partitionCheckInterval}
 * (10 s by default), in the consumer's metadata, which is at most {@code metadata.max.age.ms}
 * (5 minutes by default) old.
 *
 * <pre>{@code
 * try (ClusterView view = ClusterView.builder().bootstrapServers("kafka:9092").build()) {
 *     view.onChange((nodeId, before, after) -> dashboard.update(nodeId, after));
 *     view.start();
 *     view.awaitCaughtUp(Duration.ofSeconds(30));
 *     Optional<StatusChange> db = view.get("10.0.0.7:7946");
 *     Map<String, StatusChange> all = view.snapshot();
 * }
 * }</pre>
 *
 * <p>Is Pulse watching? A silent failures topic means "nothing failed" only while heartbeats
 * arrive: {@link #onSilence} calls a listener when none came for a threshold (from any observer, or
 * from one), and again when they resume; {@link #heartbeats()} holds each observer's latest.
 *
 * <p>Reads are thread-safe and never block on Kafka. A record that cannot be decoded is counted
 * and skipped; it never stops the view. A record written with a schema this version does not ship
 * is decoded with the writer schema from {@code <prefix>.schemas}, as {@link PulseConsumer} does.
 *
 * <p>Over 400 lines because its public {@link Builder} is nested here, as {@link PulseConsumer}'s
 * is; its polling thread and the timing of silences are classes of their own.
 */
public final class ClusterView implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(ClusterView.class);
    private static final Duration POLL_TIMEOUT = Duration.ofMillis(200);
    private static final Duration STARTUP_RETRY = Duration.ofMillis(200);

    /** Told of every change: {@code after} is null when the node was removed. */
    @FunctionalInterface
    public interface Listener {
        void changed(String nodeId, StatusChange before, StatusChange after);
    }

    private final String topic;
    private final String heartbeatsTopic;
    private final Clock clock;
    private final ObserverHeartbeats heartbeats;
    private final long partitionCheckNanos;
    private final KafkaConsumer<String, byte[]> consumer;
    private final KafkaWriterSchemas writerSchemas;
    private final EventDecoder decoder;
    private final Map<String, StatusChange> nodes = new ConcurrentHashMap<>();
    private final List<Listener> listeners = new CopyOnWriteArrayList<>();
    private final CountDownLatch caughtUp = new CountDownLatch(1);
    private final AtomicLong undecodable = new AtomicLong();
    private final Map<TopicPartition, Long> positions = new ConcurrentHashMap<>();
    private volatile String lastUndecodable;
    private final PollingThread polling;
    private volatile boolean closed;
    /** Told once that the heartbeats topic may not be read. */
    private boolean heartbeatsDenied;

    private volatile Throwable failure;

    private ClusterView(Builder builder) {
        this.topic = Topics.status(builder.topicPrefix);
        this.heartbeatsTopic = Topics.heartbeats(builder.topicPrefix);
        this.clock = builder.clock;
        this.partitionCheckNanos = builder.partitionCheckInterval.toNanos();
        Properties props = new Properties();
        props.putAll(builder.properties);
        props.keySet().removeIf(key -> !ConsumerConfig.configNames().contains(String.valueOf(key)));
        props.remove(ConsumerConfig.GROUP_ID_CONFIG);
        props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        props.putIfAbsent(ConsumerConfig.ALLOW_AUTO_CREATE_TOPICS_CONFIG, "false");
        this.consumer = new KafkaConsumer<>(props, new StringDeserializer(), new ByteArrayDeserializer());
        this.writerSchemas = new KafkaWriterSchemas(
                builder.properties, Topics.schemas(builder.topicPrefix), builder.schemaLookupTimeout);
        this.decoder = new EventDecoder(
                writerSchemas, SchemaRegistryClient.fromProperties(builder.properties, builder.schemaLookupTimeout));
        this.heartbeats = new ObserverHeartbeats(decoder);
        this.polling =
                new PollingThread("pulse-cluster-view", true, this::run, consumer, List.of(writerSchemas::close));
    }

    public static Builder builder() {
        return new Builder();
    }

    /** Listeners run on the view's thread, in record order; register them before {@link #start()}. */
    public void onChange(Listener listener) {
        listeners.add(Objects.requireNonNull(listener, "listener"));
    }

    /**
     * Calls {@code listener} when no heartbeat from any observer was read for {@code threshold}
     * (counted from {@link #start()} until the first), and again when one arrives; register it
     * before {@link #start()}. Pick a threshold of a few heartbeat intervals (3 x 10 s, say).
     */
    public void onSilence(Duration threshold, SilenceListener listener) {
        heartbeats.watch(null, threshold, listener);
    }

    /** {@link #onSilence(Duration, SilenceListener)} for the heartbeats of {@code observer} alone. */
    public void onSilence(String observer, Duration threshold, SilenceListener listener) {
        heartbeats.watch(Objects.requireNonNull(observer, "observer"), threshold, listener);
    }

    public void start() {
        polling.start("view");
    }

    /** Every observer's latest heartbeat, by observer; one that stopped cleanly is absent. */
    public Map<String, Heartbeat> heartbeats() {
        return heartbeats.latest();
    }

    /** The latest heartbeat of {@code observer}, or empty if none was read or it stopped cleanly. */
    public Optional<Heartbeat> lastHeartbeat(String observer) {
        return Optional.ofNullable(heartbeats.latest(observer));
    }

    /** The latest status of {@code nodeId}, or empty if it is unknown or was removed. */
    public Optional<StatusChange> get(String nodeId) {
        return Optional.ofNullable(nodes.get(nodeId));
    }

    /** A copy of every node's latest status. */
    public Map<String, StatusChange> snapshot() {
        return Map.copyOf(nodes);
    }

    public int size() {
        return nodes.size();
    }

    /**
     * Waits until the view has read everything the topic held when the view started.
     *
     * @return true if caught up, false if {@code timeout} passed first or the view failed
     */
    public boolean awaitCaughtUp(Duration timeout) throws InterruptedException {
        return caughtUp.await(timeout.toNanos(), TimeUnit.NANOSECONDS) && failure == null;
    }

    /** Records skipped because they could not be decoded (status changes and heartbeats). */
    public long undecodable() {
        return undecodable.get();
    }

    /** Where the latest undecodable record was and why it was skipped, or empty if none was. */
    public Optional<String> lastUndecodable() {
        return Optional.ofNullable(lastUndecodable);
    }

    /**
     * The offset after the last record read from each partition, for a reader's lag; a partition
     * nothing was read from yet is absent.
     */
    public Map<TopicPartition, Long> positions() {
        return Map.copyOf(positions);
    }

    public Optional<Throwable> failure() {
        return Optional.ofNullable(failure);
    }

    @Override
    public void close() {
        closed = true;
        polling.close();
    }

    private void run() {
        try {
            Map<TopicPartition, Long> endAtStart = assignFromTheBeginning();
            heartbeats.start(clock.instant());
            long nextPartitionCheck = System.nanoTime() + partitionCheckNanos;
            while (!closed) {
                for (ConsumerRecord<String, byte[]> record : consumer.poll(POLL_TIMEOUT)) {
                    apply(record);
                }
                heartbeats.check(clock.instant());
                if (System.nanoTime() - nextPartitionCheck >= 0) {
                    followAddedPartitions();
                    nextPartitionCheck = System.nanoTime() + partitionCheckNanos;
                }
                if (caughtUp.getCount() > 0) {
                    endAtStart.entrySet().removeIf(end -> consumer.position(end.getKey()) >= end.getValue());
                    if (endAtStart.isEmpty()) {
                        caughtUp.countDown();
                    }
                }
            }
        } catch (WakeupException e) {
            // close() asked us to stop.
        } catch (RuntimeException e) {
            failure = e;
            caughtUp.countDown();
            LOG.error("cluster view of {} stopped", topic, e);
        } finally {
            polling.closeResources();
        }
    }

    /**
     * Assigns every partition from offset 0 and returns their end offsets. A topic created a moment
     * ago may not be served yet (a retriable error): that is waited out, not a failure.
     */
    private Map<TopicPartition, Long> assignFromTheBeginning() {
        while (true) {
            try {
                List<TopicPartition> partitions = new ArrayList<>(partitions());
                partitions.addAll(heartbeatPartitions());
                consumer.assign(partitions);
                consumer.seekToBeginning(partitions);
                return new HashMap<>(consumer.endOffsets(partitions));
            } catch (RetriableException e) {
                LOG.info("status topic {} not ready yet ({}); retrying", topic, e.getMessage());
                try {
                    Thread.sleep(STARTUP_RETRY.toMillis());
                } catch (InterruptedException interrupted) {
                    Thread.currentThread().interrupt();
                    throw new WakeupException();
                }
            }
        }
    }

    /** Partitions added since the view started are read from their beginning, like the others. */
    private void followAddedPartitions() {
        List<TopicPartition> now;
        try {
            now = new ArrayList<>(partitions());
            now.addAll(heartbeatPartitions());
        } catch (RetriableException | IllegalStateException e) {
            return; // not known at the moment (a broker restarting, say): the next check sees them
        }
        List<TopicPartition> added =
                now.stream().filter(p -> !consumer.assignment().contains(p)).collect(Collectors.toList());
        if (!added.isEmpty()) {
            List<TopicPartition> all = new ArrayList<>(consumer.assignment());
            all.addAll(added);
            consumer.assign(all);
            consumer.seekToBeginning(added);
            LOG.info("new partition(s) {}; reading them from the beginning", added);
        }
    }

    private List<TopicPartition> partitions() {
        List<PartitionInfo> infos = consumer.partitionsFor(topic);
        if (infos == null || infos.isEmpty()) {
            throw new IllegalStateException("topic " + topic + " does not exist (expected: Pulse's status topic)");
        }
        return infos.stream()
                .map(info -> new TopicPartition(topic, info.partition()))
                .collect(Collectors.toList());
    }

    /** The heartbeats topic's partitions; none while it does not exist (no publisher of this version yet). */
    private List<TopicPartition> heartbeatPartitions() {
        List<PartitionInfo> infos;
        try {
            infos = consumer.partitionsFor(heartbeatsTopic);
        } catch (AuthorizationException e) {
            if (!heartbeatsDenied) {
                heartbeatsDenied = true;
                LOG.warn(
                        "cannot read {} ({}): no heartbeats, so onSilence calls Pulse silent; grant Read and Describe "
                                + "on it",
                        heartbeatsTopic,
                        e.toString());
            }
            return List.of();
        }
        return infos == null
                ? List.of()
                : infos.stream()
                        .map(info -> new TopicPartition(heartbeatsTopic, info.partition()))
                        .collect(Collectors.toList());
    }

    private void apply(ConsumerRecord<String, byte[]> record) {
        positions.put(new TopicPartition(record.topic(), record.partition()), record.offset() + 1);
        boolean heartbeat = record.topic().equals(heartbeatsTopic);
        if (record.key() == null) {
            skip(record, "a record without a key (expected: the " + (heartbeat ? "observer" : "node id") + ")");
            return;
        }
        if (heartbeat) {
            try {
                heartbeats.apply(record, clock.instant());
            } catch (EventDecodingException e) {
                skip(record, e.getMessage());
            }
            return;
        }
        StatusChange after;
        if (record.value() == null) {
            after = null;
        } else {
            try {
                after = decoder.decodeStatusChange(record.value());
            } catch (EventDecodingException e) {
                skip(record, e.getMessage());
                return;
            }
        }
        StatusChange before = after == null ? nodes.remove(record.key()) : nodes.put(record.key(), after);
        for (Listener listener : listeners) {
            try {
                listener.changed(record.key(), before, after);
            } catch (RuntimeException e) {
                LOG.warn("cluster view listener failed on {}", record.key(), e);
            }
        }
    }

    private void skip(ConsumerRecord<String, byte[]> record, String why) {
        lastUndecodable = record.topic() + "-" + record.partition() + "@" + record.offset() + ": " + why;
        undecodable.incrementAndGet();
        LOG.warn("skipping undecodable record {}", lastUndecodable);
    }

    /**
     * Configures a {@link ClusterView}.
     *
     * <pre>{@code
     * ClusterView view = ClusterView.builder().bootstrapServers("kafka:9092").topicPrefix("pulse").build();
     * }</pre>
     */
    public static final class Builder {
        public static final Duration DEFAULT_PARTITION_CHECK_INTERVAL = Duration.ofSeconds(10);
        private final Map<String, Object> properties = new HashMap<>();
        private String topicPrefix = Topics.DEFAULT_PREFIX;
        private Duration partitionCheckInterval = DEFAULT_PARTITION_CHECK_INTERVAL;
        private Duration schemaLookupTimeout = KafkaWriterSchemas.DEFAULT_LOOKUP_TIMEOUT;
        private Clock clock = Clock.systemUTC();

        private Builder() {}

        /** The clock that times silences ({@link ClusterView#onSilence}); the system's unless a test sets one. */
        Builder clock(Clock value) {
            this.clock = Objects.requireNonNull(value, "clock");
            return this;
        }

        /** See {@link PulseConsumer.Builder#schemaLookupTimeout}; default 5 s. */
        public Builder schemaLookupTimeout(Duration timeout) {
            this.schemaLookupTimeout = PulseConsumer.Builder.requireLookupTimeout(timeout);
            return this;
        }

        public Builder bootstrapServers(String servers) {
            if (servers == null || servers.isBlank()) {
                throw new IllegalArgumentException("bootstrapServers must not be empty");
            }
            properties.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, servers);
            return this;
        }

        public Builder topicPrefix(String prefix) {
            Topics.status(prefix); // validates
            this.topicPrefix = prefix;
            return this;
        }

        /**
         * How often the view looks for partitions added to the topic (in the consumer's metadata,
         * refreshed every {@code metadata.max.age.ms}). Default {@link #DEFAULT_PARTITION_CHECK_INTERVAL}.
         */
        public Builder partitionCheckInterval(Duration interval) {
            if (interval == null || interval.isNegative() || interval.isZero()) {
                throw new IllegalArgumentException("partitionCheckInterval must be positive, got " + interval);
            }
            this.partitionCheckInterval = interval;
            return this;
        }

        /** Any Kafka consumer property (TLS, SASL, ...). A group id is ignored: the view uses none. */
        public Builder property(String key, Object value) {
            properties.put(Objects.requireNonNull(key, "key"), Objects.requireNonNull(value, "value of " + key));
            return this;
        }

        public ClusterView build() {
            if (!properties.containsKey(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG)) {
                throw new IllegalArgumentException("bootstrapServers is required");
            }
            return new ClusterView(this);
        }
    }
}
