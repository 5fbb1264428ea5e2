package io.pulse.kafka;

import io.pulse.core.Clock;
import io.pulse.core.NodeFailure;
import io.pulse.core.NodeId;
import io.pulse.core.Transition;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import java.util.function.Consumer;
import java.util.function.Supplier;
import org.apache.kafka.common.config.ConfigDef;

/**
 * Publishes the detector's decisions to Kafka without losing any: each event is journaled in a
 * local outbox before {@code publish} returns, and a background sender delivers it.
 *
 * <pre>{@code
 * PulsePublisher publisher = PulsePublisher.builder()
 *         .bootstrapServers("kafka-1:9092")
 *         .observer(engine.localId().toString())
 *         .outboxDir(Path.of("/var/lib/pulse/outbox"))
 *         .property("security.protocol", "SSL")            // any Kafka client property
 *         .build();                                        // checks or creates the topics
 * engine.onStatusChange(publisher::publish);
 * engine.onFailure(publisher::publish);
 * engine.onRemoved(publisher::publishRemoval);
 * // ...
 * publisher.close();                                      // waits for Kafka, up to pulse.close.timeout.ms
 * }</pre>
 *
 * The {@code publish} methods never wait for Kafka: the journal write (to the kernel; a
 * background fsync follows per batch) is their only work, so they may be called from a Netty
 * event loop. They are thread-safe. Records: {@code <prefix>.failures} gets a
 * {@code FailureMessage}, {@code <prefix>.status} a {@code Transition} or, on removal, a
 * tombstone; the key is the node id. Every {@code pulse.heartbeat.interval.ms} (10 s) a
 * {@code Heartbeat} goes to {@code <prefix>.heartbeats}, key = the observer, outside the outbox
 * (a heartbeat Kafka does not take is dropped: the next one replaces it); {@link Builder#watching}
 * says what it watches.
 */
public interface PulsePublisher extends AutoCloseable {

    static Builder builder() {
        return new Builder();
    }

    /**
     * Journals a state transition for {@code <prefix>.status}.
     *
     * @return false if the outbox is full or cannot be written (the event is dropped and counted)
     */
    boolean publish(Transition change);

    /**
     * Journals a failure for {@code <prefix>.failures}.
     *
     * @return false if the outbox is full or cannot be written (the event is dropped and counted)
     */
    boolean publish(NodeFailure failure);

    /**
     * Journals a tombstone for {@code node} on {@code <prefix>.status}.
     *
     * @return false if the outbox is full or cannot be written (the event is dropped and counted)
     */
    boolean publishRemoval(NodeId node);

    PublisherStats stats();

    /**
     * Runs {@code action}, on the sender's thread, once Kafka has acknowledged every event journaled
     * before this call: what a cluster member confirms a change's events with, so that the change's
     * backup stands down only when they are safe.
     */
    void whenDelivered(Runnable action);

    /**
     * Tells {@code latency}, on the producer's I/O thread (keep it short), how long each event took
     * from its {@code publish} call to Kafka's acknowledgement; one listener, a later call replaces
     * it. Events journaled before this start, or pending while 16,384 newer ones were published,
     * are not reported.
     */
    void onDelivery(Consumer<Duration> latency);

    /** Waits until Kafka has acknowledged everything in the outbox; false if {@code timeout} passed first. */
    boolean awaitDelivery(Duration timeout) throws InterruptedException;

    /**
     * Stops accepting events, waits up to {@code pulse.close.timeout.ms} for Kafka to acknowledge
     * what the outbox holds, then closes the producer and the outbox. What is left is sent after
     * the next start. Publishing after close throws {@link IllegalStateException}.
     */
    @Override
    void close();

    /**
     * Collects settings (see {@link PublisherConfig} for every key); {@link #build()} validates
     * them together and starts the publisher.
     */
    final class Builder {
        private final Map<String, Object> properties = new HashMap<>();
        private Clock clock = Clock.system();
        private Supplier<Watching> watching = () -> Watching.NOTHING;
        private String version;

        private Builder() {}

        /** Required: {@code bootstrap.servers}. */
        public Builder bootstrapServers(String servers) {
            return property("bootstrap.servers", Objects.requireNonNull(servers, "servers"));
        }

        /** Required: {@value PublisherConfig#OBSERVER}. */
        public Builder observer(String observer) {
            return property(PublisherConfig.OBSERVER, observer);
        }

        /** {@value PublisherConfig#CLUSTER}. */
        public Builder cluster(String cluster) {
            return property(PublisherConfig.CLUSTER, cluster);
        }

        /** {@value PublisherConfig#TOPIC_PREFIX}. */
        public Builder topicPrefix(String prefix) {
            return property(PublisherConfig.TOPIC_PREFIX, prefix);
        }

        /** Required: {@value PublisherConfig#OUTBOX_DIR}. */
        public Builder outboxDir(Path dir) {
            return property(
                    PublisherConfig.OUTBOX_DIR,
                    Objects.requireNonNull(dir, "dir").toString());
        }

        /**
         * Any {@code pulse.*} setting (validated at once) or Kafka client property (validated by
         * {@link #build()}).
         */
        public Builder property(String key, Object value) {
            Objects.requireNonNull(key, "key");
            ConfigDef.ConfigKey declared =
                    PublisherConfig.DEFINITION.configKeys().get(key);
            if (declared != null) {
                Object parsed = ConfigDef.parseType(key, value, declared.type);
                if (declared.validator != null) {
                    declared.validator.ensureValid(key, parsed);
                }
            }
            properties.put(key, value);
            return this;
        }

        public Builder properties(Map<String, ?> values) {
            Objects.requireNonNull(values, "values").forEach(this::property);
            return this;
        }

        /** The wall clock that stamps removals; {@link Clock#system()} unless a test sets one. */
        public Builder clock(Clock value) {
            this.clock = Objects.requireNonNull(value, "clock");
            return this;
        }

        /**
         * What the heartbeat says this observer watches, asked for at each heartbeat (on the
         * heartbeat's thread: keep it cheap); {@link Watching#NOTHING} unless set.
         */
        public Builder watching(Supplier<Watching> value) {
            this.watching = Objects.requireNonNull(value, "watching");
            return this;
        }

        /** The Pulse version the heartbeat names; none unless set. */
        public Builder version(String value) {
            this.version = Objects.requireNonNull(value, "version");
            return this;
        }

        /**
         * Validates the settings, opens the outbox, checks or creates the topics (waiting up to
         * {@code pulse.startup.timeout.ms} for Kafka) and starts the sender.
         *
         * @throws org.apache.kafka.common.config.ConfigException a setting is invalid
         * @throws TopicConfigException an existing topic is misconfigured
         * @throws OutboxNotWritableException the outbox directory cannot be created or written
         * @throws OutboxException the outbox cannot be opened (another process holds it); a damaged one does not
         *         throw, it is moved aside and counted in {@link PublisherStats#outboxCorruptions()}
         */
        public PulsePublisher build() {
            return KafkaPulsePublisher.start(PublisherConfig.parse(properties), clock, watching, version);
        }
    }
}
