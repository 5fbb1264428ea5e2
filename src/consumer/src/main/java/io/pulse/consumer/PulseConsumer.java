package io.pulse.consumer;

import io.pulse.events.EventDecoder;
import io.pulse.events.FailureMessage;
import io.pulse.events.KafkaWriterSchemas;
import io.pulse.events.SchemaRegistryClient;
import io.pulse.events.StatusChange;
import io.pulse.events.Topics;
import java.time.Duration;
import java.util.Collection;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRebalanceListener;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Calls your handlers for every event Pulse publishes: failures, status changes, removals.
 *
 * <pre>{@code
 * PulseConsumer consumer = PulseConsumer.builder()
 *         .bootstrapServers("kafka:9092")
 *         .groupId("billing-service")
 *         .onFailure(f -> pager.page(f.getNodeId() + " is DEAD"))
 *         .onStatusChange(c -> log.info("{}: {} -> {}", c.getNodeId(), c.getPrevious(), c.getCurrent()))
 *         .onRemoved(nodeId -> log.info("{} is no longer watched", nodeId))
 *         .build();
 * consumer.start();
 * ...
 * consumer.close();
 * }</pre>
 *
 * <p>It subscribes to {@code <prefix>.failures} and {@code <prefix>.status}, or to the one of them
 * {@link Builder#topics} names. A group with no committed offset starts at the latest record
 * ({@link Builder#offsetReset}). {@link Builder#build()} copies the settings: a builder changed
 * afterwards does not change the consumer.
 *
 * <p>At least once: an offset is committed only after its handler returned. Events of one node
 * arrive in order (the node id is the record key). A duplicate (same event id) seen within the
 * last {@code dedupCapacity} events is dropped. A handler that throws is retried with doubling
 * backoff up to {@code maxAttempts} times; then the record goes to {@code <topic>-dlt} with
 * {@link DeadLetterHeaders}, and consumption goes on. A record that cannot be decoded goes there
 * at once. Handlers run on the consumer's own thread, one at a time.
 *
 * <p>A record written with a schema this version does not ship (a newer Pulse's) is decoded with
 * the writer schema read from {@code <prefix>.schemas} ({@link KafkaWriterSchemas}; at most
 * {@link Builder#schemaLookupTimeout} per lookup, then cached): new fields are ignored, new enum
 * symbols read as {@code UNKNOWN}. If the schema is not found there either, the record is
 * dead-lettered and the exception message in its headers says why.
 *
 * <p>On start the consumer creates the missing dead-letter topics, with the partitions and
 * replication factor of their source topic. If a dead letter still cannot be written (within
 * {@code max.block.ms}, 10 s unless set), the consumer stops with {@link #failure()} and that
 * record is not committed.
 *
 * <p>Over 400 lines because its public {@link Builder}, about 200 of them, is nested here: every
 * setting documented where users look for it ({@code PulseConsumer.builder()}). The work is
 * elsewhere: {@code Dispatcher}, {@code DeadLetters}, {@code PollingThread}.
 */
public final class PulseConsumer implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(PulseConsumer.class);
    private static final Duration POLL_TIMEOUT = Duration.ofMillis(200);
    /** How long start-up may spend checking and creating the dead-letter topics. */
    private static final Duration DEAD_LETTER_TOPICS_TIMEOUT = Duration.ofSeconds(30);

    private final ConsumerSettings settings;
    private final CountDownLatch closing = new CountDownLatch(1);
    private final KafkaConsumer<String, byte[]> consumer;
    private final DeadLetters deadLetters;
    private final KafkaWriterSchemas writerSchemas;
    private final Dispatcher dispatcher;
    private final Map<TopicPartition, OffsetAndMetadata> done = new HashMap<>();
    private final PollingThread polling;
    private volatile Throwable failure;

    private PulseConsumer(ConsumerSettings settings) {
        this.settings = settings;
        this.consumer = new KafkaConsumer<>(
                settings.consumerProperties(), new StringDeserializer(), new ByteArrayDeserializer());
        this.deadLetters = new DeadLetters(settings.properties(), settings.groupId());
        this.writerSchemas = settings.writerSchemas();
        this.dispatcher = new Dispatcher(
                settings,
                deadLetters,
                closing,
                new EventDecoder(
                        writerSchemas,
                        SchemaRegistryClient.fromProperties(settings.properties(), settings.schemaLookupTimeout())));
        this.polling = new PollingThread(
                "pulse-consumer-" + settings.groupId(),
                false,
                this::run,
                consumer,
                List.of(deadLetters::close, writerSchemas::close));
    }

    /** The topics of a prefix a consumer can subscribe to; see {@link Builder#topics}. */
    public enum Topic {
        /** {@code <prefix>.failures}: {@link Builder#onFailure} */
        FAILURES,
        /** {@code <prefix>.status}: {@link Builder#onStatusChange} and {@link Builder#onRemoved} */
        STATUS
    }

    /** Where a consumer group without committed offsets starts; see {@link Builder#offsetReset}. */
    public enum OffsetReset {
        /** At the oldest record the topics still hold (a replay of their retention). */
        EARLIEST,
        /** At the next record written (the default). */
        LATEST;

        String kafkaName() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }
    }

    public static Builder builder() {
        return new Builder();
    }

    /** The settings this consumer was built with. */
    ConsumerSettings settings() {
        return settings;
    }

    /** Subscribes and starts consuming on the consumer's own thread. */
    public void start() {
        polling.start("consumer");
    }

    /** Events handled (duplicates and dead letters not counted). */
    public long handled() {
        return dispatcher.handled();
    }

    public long duplicatesDropped() {
        return dispatcher.duplicates();
    }

    public long deadLettered() {
        return dispatcher.deadLettered();
    }

    /** Why the consumer stopped on its own (for example, the dead-letter topic was unwritable), if it did. */
    public Optional<Throwable> failure() {
        return Optional.ofNullable(failure);
    }

    /**
     * Stops after the record in hand, commits what was handled, and closes. Records fetched but
     * not handled are delivered again to whoever consumes the partitions next.
     */
    @Override
    public void close() {
        closing.countDown();
        polling.close();
    }

    private void run() {
        try {
            createDeadLetterTopics();
            consumer.subscribe(settings.subscription(), new CommitOnRevoke());
            while (closing.getCount() > 0) {
                ConsumerRecords<String, byte[]> records = consumer.poll(POLL_TIMEOUT);
                if (!handleAll(records)) {
                    break;
                }
                commitDone();
            }
        } catch (WakeupException e) {
            // close() asked us to stop.
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (RuntimeException e) {
            failure = e;
            LOG.error("Pulse consumer {} stopped", settings.groupId(), e);
        } finally {
            commitOnClose();
            polling.closeResources();
        }
    }

    /**
     * Creates the dead-letter topics that are missing. If that fails (no CREATE permission, Kafka
     * unreachable), consumption goes on: the topics may exist already or be created by hand, and
     * a dead letter that cannot be written stops the consumer with {@link #failure()}.
     */
    private void createDeadLetterTopics() throws InterruptedException {
        List<String> sources = settings.subscription();
        try (Admin admin = Admin.create(settings.adminProperties())) {
            DeadLetterTopics.ensure(admin, sources, DEAD_LETTER_TOPICS_TIMEOUT);
        } catch (ExecutionException e) {
            LOG.error(
                    "Pulse consumer {} could not create the dead-letter topics of {}: {}",
                    settings.groupId(),
                    sources,
                    e.getCause().toString());
        } catch (TimeoutException | KafkaException e) {
            LOG.error(
                    "Pulse consumer {} could not create the dead-letter topics of {}: {}",
                    settings.groupId(),
                    sources,
                    e.toString());
        }
    }

    /** Handles records partition by partition; false if closing interrupted it. */
    private boolean handleAll(ConsumerRecords<String, byte[]> records) throws InterruptedException {
        for (TopicPartition partition : records.partitions()) {
            for (ConsumerRecord<String, byte[]> record : records.records(partition)) {
                if (closing.getCount() == 0 || !dispatcher.dispatch(record)) {
                    return false;
                }
                done.put(partition, new OffsetAndMetadata(record.offset() + 1));
            }
        }
        return true;
    }

    /**
     * close() wakes the consumer to end a poll; if this thread was handling a record or waiting in
     * a retry backoff instead, the wake-up is still pending and ends this commit. A wake-up is
     * thrown once, so the second commit goes through.
     */
    private void commitOnClose() {
        try {
            try {
                commitDone();
            } catch (WakeupException pendingFromClose) {
                commitDone();
            }
        } catch (RuntimeException e) {
            LOG.warn("could not commit handled offsets on close; they will be handled again", e);
        }
    }

    private void commitDone() {
        if (!done.isEmpty()) {
            consumer.commitSync(Map.copyOf(done));
            done.clear();
        }
    }

    private final class CommitOnRevoke implements ConsumerRebalanceListener {
        @Override
        public void onPartitionsRevoked(Collection<TopicPartition> partitions) {
            commitDone();
        }

        @Override
        public void onPartitionsAssigned(Collection<TopicPartition> partitions) {}
    }

    /**
     * Configures a {@link PulseConsumer}; each setter checks its argument, {@link #build()} the rest.
     *
     * <pre>{@code
     * PulseConsumer.builder().bootstrapServers("kafka:9092").groupId("svc").onFailure(f -> {}).build();
     * }</pre>
     */
    public static final class Builder {
        public static final int DEFAULT_MAX_ATTEMPTS = 3;
        public static final Duration DEFAULT_RETRY_BACKOFF = Duration.ofMillis(100);
        public static final Duration DEFAULT_MAX_RETRY_BACKOFF = Duration.ofSeconds(5);
        public static final int DEFAULT_DEDUP_CAPACITY = 100_000;
        /** Kafka's default max.poll.interval.ms. */
        private static final long DEFAULT_MAX_POLL_INTERVAL_MS = 300_000;

        public static final OffsetReset DEFAULT_OFFSET_RESET = OffsetReset.LATEST;

        private final Map<String, Object> properties = new HashMap<>();
        private String groupId;
        private String topicPrefix = Topics.DEFAULT_PREFIX;
        private Set<Topic> topics = EnumSet.allOf(Topic.class);
        private OffsetReset offsetReset = DEFAULT_OFFSET_RESET;
        private Handler<FailureMessage> onFailure = event -> {};
        private Handler<StatusChange> onStatusChange = event -> {};
        private Handler<String> onRemoved = event -> {};
        private int maxAttempts = DEFAULT_MAX_ATTEMPTS;
        private Duration retryBackoff = DEFAULT_RETRY_BACKOFF;
        private Duration maxRetryBackoff = DEFAULT_MAX_RETRY_BACKOFF;
        private int dedupCapacity = DEFAULT_DEDUP_CAPACITY;
        private Duration schemaLookupTimeout = KafkaWriterSchemas.DEFAULT_LOOKUP_TIMEOUT;

        private Builder() {}

        public Builder bootstrapServers(String servers) {
            return property(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, requireText("bootstrapServers", servers));
        }

        public Builder groupId(String id) {
            this.groupId = requireText("groupId", id);
            return this;
        }

        /** Topics are {@code <prefix>.failures} and {@code <prefix>.status}. Default {@value Topics#DEFAULT_PREFIX}. */
        public Builder topicPrefix(String prefix) {
            Topics.failures(prefix); // validates
            this.topicPrefix = prefix;
            return this;
        }

        /**
         * Which topics to subscribe to; default both. A consumer of {@link Topic#FAILURES} alone never
         * reads (nor creates the dead-letter topic of) the status topic.
         */
        public Builder topics(Topic first, Topic... more) {
            Objects.requireNonNull(first, "topics");
            EnumSet<Topic> chosen = EnumSet.of(first);
            for (Topic topic : more) {
                chosen.add(Objects.requireNonNull(topic, "topics"));
            }
            this.topics = chosen;
            return this;
        }

        /**
         * Where a group with no committed offset starts (its first deploy, or after its offsets
         * expired). Default {@link OffsetReset#LATEST}: a new service does not replay the topics'
         * retention into its handlers. An {@code auto.offset.reset} given to {@link #property} wins.
         */
        public Builder offsetReset(OffsetReset reset) {
            this.offsetReset = Objects.requireNonNull(reset, "offsetReset");
            return this;
        }

        /** Any Kafka client property (TLS, SASL, client.id, ...), for the consumer and the dead-letter producer. */
        public Builder property(String key, Object value) {
            requireText("property key", key);
            Objects.requireNonNull(value, "value of " + key);
            if (key.equals(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG) && !"false".equals(String.valueOf(value))) {
                throw new IllegalArgumentException(
                        key + " must be false, got " + value + ": offsets are committed after the handler returns");
            }
            properties.put(key, value);
            return this;
        }

        public Builder onFailure(Handler<FailureMessage> handler) {
            this.onFailure = Objects.requireNonNull(handler, "onFailure");
            return this;
        }

        public Builder onStatusChange(Handler<StatusChange> handler) {
            this.onStatusChange = Objects.requireNonNull(handler, "onStatusChange");
            return this;
        }

        /** Called with the node id when a node is removed (a tombstone on the status topic). */
        public Builder onRemoved(Handler<String> handler) {
            this.onRemoved = Objects.requireNonNull(handler, "onRemoved");
            return this;
        }

        /** Calls of a handler per record before it is dead-lettered. Default {@value #DEFAULT_MAX_ATTEMPTS}. */
        public Builder maxAttempts(int attempts) {
            if (attempts < 1 || attempts > 100) {
                throw new IllegalArgumentException("maxAttempts must be in 1..100, got " + attempts);
            }
            this.maxAttempts = attempts;
            return this;
        }

        /** The first backoff between attempts, doubled after each up to {@code max}. Default 100 ms and 5 s. */
        public Builder retryBackoff(Duration first, Duration max) {
            Objects.requireNonNull(first, "retryBackoff");
            Objects.requireNonNull(max, "maxRetryBackoff");
            if (first.isNegative() || max.compareTo(first) < 0) {
                throw new IllegalArgumentException("retryBackoff must be >= 0 ms and <= maxRetryBackoff, got "
                        + first.toMillis() + " ms and " + max.toMillis() + " ms");
            }
            this.retryBackoff = first;
            this.maxRetryBackoff = max;
            return this;
        }

        /** How many recent event ids are remembered to drop duplicates. Default {@value #DEFAULT_DEDUP_CAPACITY}. */
        public Builder dedupCapacity(int capacity) {
            if (capacity < 1) {
                throw new IllegalArgumentException("dedupCapacity must be >= 1, got " + capacity);
            }
            this.dedupCapacity = capacity;
            return this;
        }

        /**
         * How long one lookup of an unknown writer schema in {@code <prefix>.schemas} may take, in
         * 1 ms..60 s. Default 5 s. The consumer's thread waits meanwhile; a lookup that failed is
         * not tried again for as long.
         */
        public Builder schemaLookupTimeout(Duration timeout) {
            this.schemaLookupTimeout = requireLookupTimeout(timeout);
            return this;
        }

        /**
         * Checks the settings together and creates the consumer (not started) with a copy of
         * them: changing or reusing this builder afterwards does not change that consumer.
         */
        public PulseConsumer build() {
            if (!properties.containsKey(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG)) {
                throw new IllegalArgumentException("bootstrapServers is required");
            }
            if (groupId == null) {
                throw new IllegalArgumentException("groupId is required");
            }
            long worstRetryMs = worstCaseRetryMillis();
            long maxPollIntervalMs = Long.parseLong(String.valueOf(
                    properties.getOrDefault(ConsumerConfig.MAX_POLL_INTERVAL_MS_CONFIG, DEFAULT_MAX_POLL_INTERVAL_MS)));
            if (worstRetryMs >= maxPollIntervalMs / 2) {
                throw new IllegalArgumentException("maxAttempts " + maxAttempts + " with retryBackoff "
                        + retryBackoff.toMillis() + " ms can wait " + worstRetryMs
                        + " ms on one record (expected: under"
                        + " half of " + ConsumerConfig.MAX_POLL_INTERVAL_MS_CONFIG + "=" + maxPollIntervalMs + ")");
            }
            return new PulseConsumer(new ConsumerSettings(
                    properties,
                    groupId,
                    topicPrefix,
                    topics,
                    offsetReset,
                    onFailure,
                    onStatusChange,
                    onRemoved,
                    maxAttempts,
                    retryBackoff,
                    maxRetryBackoff,
                    dedupCapacity,
                    schemaLookupTimeout));
        }

        private long worstCaseRetryMillis() {
            long total = 0;
            Duration backoff = retryBackoff;
            for (int attempt = 1; attempt < maxAttempts; attempt++) {
                total += backoff.toMillis();
                backoff = backoff.multipliedBy(2).compareTo(maxRetryBackoff) > 0
                        ? maxRetryBackoff
                        : backoff.multipliedBy(2);
            }
            return total;
        }

        static Duration requireLookupTimeout(Duration timeout) {
            Objects.requireNonNull(timeout, "schemaLookupTimeout");
            if (timeout.compareTo(Duration.ofMillis(1)) < 0 || timeout.compareTo(Duration.ofSeconds(60)) > 0) {
                throw new IllegalArgumentException(
                        "schemaLookupTimeout must be in 1 ms..60 s, got " + timeout.toMillis() + " ms");
            }
            return timeout;
        }

        private static String requireText(String name, String value) {
            if (value == null || value.isBlank()) {
                throw new IllegalArgumentException(name + " must not be empty");
            }
            return value;
        }
    }
}
