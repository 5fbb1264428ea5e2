package io.pulse.kafka;

import io.pulse.core.Clock;
import io.pulse.core.WarningLimiter;
import io.pulse.events.EventCodec;
import io.pulse.events.EventHeaders;
import io.pulse.events.EventType;
import io.pulse.events.Heartbeat;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The publisher's heartbeat: every {@code pulse.heartbeat.interval.ms}, a {@link Heartbeat} to
 * {@code <prefix>.heartbeats}, key = the observer, so that a reader can tell "nothing failed" from
 * "Pulse is down".
 *
 * <pre>{@code
 * Heartbeats heartbeats = new Heartbeats(config, clock, producer, sender::schemasWritten, watching, version, null);
 * heartbeats.start();
 * ...
 * heartbeats.close();   // a tombstone: this observer stopped cleanly
 * }</pre>
 *
 * <p>A heartbeat is not journaled in the outbox: an old one says nothing a new one does not say
 * better. At most one is in flight; a beat that comes while Kafka has not taken the previous one,
 * or before the writer schemas are in {@code <prefix>.schemas}, or before the heartbeats topic is
 * checked, is dropped and counted, and the next beat carries the news. The topic is checked or
 * created on the heartbeat's own thread: a heartbeats topic that cannot be created never holds
 * back an event.
 */
final class Heartbeats implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(Heartbeats.class);
    private static final long WARNING_INTERVAL_NANOS = TimeUnit.MINUTES.toNanos(1);
    /** How long a stop waits for the producer to take the tombstone. */
    static final java.time.Duration TOMBSTONE_WAIT = java.time.Duration.ofSeconds(1);

    // Injected
    private final PublisherConfig config;
    private final Clock clock;
    private final Producer<byte[], byte[]> producer;
    private final BooleanSupplier schemasWritten;
    private final Supplier<Watching> watching;
    private final String version;
    /** Null: single-object encoding. */
    private final ConfluentValues confluent;
    /** Checks or creates the heartbeats topic; true when done. */
    private final BooleanSupplier topicCheck;

    // State
    private final Instant startedAt;
    private final AtomicBoolean inFlight = new AtomicBoolean();
    private final AtomicLong sequence = new AtomicLong();
    private final AtomicLong sent = new AtomicLong();
    private final AtomicLong dropped = new AtomicLong();
    private final WarningLimiter warnings = new WarningLimiter(WARNING_INTERVAL_NANOS);
    private volatile boolean topicReady;

    // Disposables
    private final ScheduledExecutorService timer;

    /**
     * @param schemasWritten true once the writer schemas (the heartbeat's among them) are in the schemas topic
     * @param version        the observer's Pulse version, or null
     * @param confluent      null: single-object encoding; else values in Confluent's wire format, as the events
     */
    Heartbeats(
            PublisherConfig config,
            Clock clock,
            Producer<byte[], byte[]> producer,
            BooleanSupplier schemasWritten,
            Supplier<Watching> watching,
            String version,
            ConfluentValues confluent) {
        this(config, clock, producer, schemasWritten, watching, version, confluent, null);
    }

    /** {@code topicCheck} null: check or create the topic with an admin client; tests give their own. */
    Heartbeats(
            PublisherConfig config,
            Clock clock,
            Producer<byte[], byte[]> producer,
            BooleanSupplier schemasWritten,
            Supplier<Watching> watching,
            String version,
            ConfluentValues confluent,
            BooleanSupplier topicCheck) {
        this.topicCheck = topicCheck != null ? topicCheck : this::checkTopic;
        this.config = config;
        this.clock = clock;
        this.producer = producer;
        this.schemasWritten = schemasWritten;
        this.watching = watching;
        this.version = version;
        this.confluent = confluent;
        this.startedAt = clock.now();
        this.timer = Executors.newSingleThreadScheduledExecutor(runnable -> {
            Thread thread = new Thread(runnable, "pulse-publisher-heartbeat");
            thread.setDaemon(true);
            return thread;
        });
    }

    /** Beats every {@code pulse.heartbeat.interval.ms} from now on; does nothing if that is 0. */
    void start() {
        long intervalMs = config.heartbeatInterval().toMillis();
        if (intervalMs > 0) {
            timer.scheduleWithFixedDelay(this::beatSafely, 0, intervalMs, TimeUnit.MILLISECONDS);
        }
    }

    private void beatSafely() {
        try {
            beat();
        } catch (RuntimeException e) {
            warn("heartbeat failed: " + e);
        }
    }

    /** One heartbeat, or a drop; on the heartbeat's thread (tests call it directly). */
    void beat() {
        long seq = sequence.incrementAndGet();
        if (!schemasWritten.getAsBoolean() || !topicReady() || !inFlight.compareAndSet(false, true)) {
            dropped.incrementAndGet();
            return;
        }
        Heartbeat heartbeat = heartbeat(seq);
        try {
            byte[] value = EventCodec.encode(heartbeat);
            if (confluent != null) {
                value = confluent.frame(config.heartbeatsTopic(), value);
            }
            producer.send(record(heartbeat.getEventId(), value), (metadata, exception) -> {
                inFlight.set(false);
                if (exception == null) {
                    sent.incrementAndGet();
                } else {
                    dropped.incrementAndGet();
                    warn(failed(exception));
                }
            });
        } catch (RuntimeException e) {
            inFlight.set(false);
            dropped.incrementAndGet();
            warn(failed(e));
        }
    }

    Heartbeat heartbeat(long seq) {
        Watching now = watching.get();
        return Heartbeat.newBuilder()
                .setEventId(UUID.randomUUID())
                .setObserver(config.observer())
                .setCluster(config.cluster())
                .setSentAt(clock.now())
                .setStartedAt(startedAt)
                .setSequence(seq)
                .setIntervalMillis(config.heartbeatInterval().toMillis())
                .setWatchedNodes(now.nodes())
                .setConfigurationEpoch(now.configurationEpoch())
                .setVersion(version)
                .build();
    }

    long sent() {
        return sent.get();
    }

    long dropped() {
        return dropped.get();
    }

    /**
     * Stops beating and, if heartbeats went out, hands the producer a tombstone for this observer
     * (it stopped cleanly; readers forget it). The producer's close delivers it, or drops it if
     * Kafka does not answer. The hand-over waits at most {@link #TOMBSTONE_WAIT}: with every broker
     * gone the producer knows no partition of the topic, and its send would block for metadata as
     * long as {@code max.block.ms} (60 s), past the stop's own bound.
     */
    @Override
    public void close() {
        timer.shutdownNow();
        try {
            timer.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (sent.get() == 0) {
            return;
        }
        Thread handOver = new Thread(
                () -> {
                    try {
                        producer.send(record(UUID.randomUUID(), null));
                    } catch (RuntimeException e) { // interrupted below, or the producer is closing
                        log.debug("no heartbeat tombstone: {}", e.toString());
                    }
                },
                "pulse-publisher-heartbeat-tombstone");
        handOver.setDaemon(true);
        handOver.start();
        try {
            handOver.join(TOMBSTONE_WAIT.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (handOver.isAlive()) {
            handOver.interrupt();
            log.info(
                    "no heartbeat tombstone on {}: Kafka gave no metadata within {} ms; readers see this observer "
                            + "silent, not stopped",
                    config.heartbeatsTopic(),
                    TOMBSTONE_WAIT.toMillis());
        }
    }

    private ProducerRecord<byte[], byte[]> record(UUID eventId, byte[] value) {
        RecordHeaders headers = new RecordHeaders();
        if (value != null) {
            headers.add(
                    EventHeaders.CONTENT_TYPE,
                    (confluent == null ? EventHeaders.AVRO_SINGLE_OBJECT : EventHeaders.AVRO_CONFLUENT)
                            .getBytes(StandardCharsets.UTF_8));
        }
        headers.add(EventHeaders.EVENT_ID, eventId.toString().getBytes(StandardCharsets.UTF_8));
        headers.add(EventHeaders.EVENT_TYPE, EventType.HEARTBEAT.headerValue().getBytes(StandardCharsets.UTF_8));
        return new ProducerRecord<>(
                config.heartbeatsTopic(), null, config.observer().getBytes(StandardCharsets.UTF_8), value, headers);
    }

    /** Checks or creates the heartbeats topic until that succeeds once. */
    private boolean topicReady() {
        if (!topicReady) {
            topicReady = topicCheck.getAsBoolean();
        }
        return topicReady;
    }

    private boolean checkTopic() {
        Admin admin = Admin.create(config.adminProperties());
        try {
            TopicAdmin.ensureHeartbeatsTopic(admin, config, timeout());
            return true;
        } catch (TopicConfigException e) {
            warn(e.getMessage() + "; no heartbeat until it is fixed");
        } catch (TimeoutException e) {
            warn("Kafka did not answer to check topic " + config.heartbeatsTopic() + "; heartbeats wait");
        } catch (ExecutionException e) {
            warn("cannot check topic " + config.heartbeatsTopic() + ": " + e.getCause() + "; heartbeats wait");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            admin.close(Duration.ZERO);
        }
        return false;
    }

    /** The interval, at least 1 s and at most 10 s: a check must not hold up the beats for long. */
    private Duration timeout() {
        Duration interval = config.heartbeatInterval();
        return interval.compareTo(Duration.ofSeconds(1)) < 0
                ? Duration.ofSeconds(1)
                : interval.compareTo(Duration.ofSeconds(10)) > 0 ? Duration.ofSeconds(10) : interval;
    }

    private String failed(Exception e) {
        return "a heartbeat to " + config.heartbeatsTopic() + " failed (" + e + "); the next one replaces it";
    }

    /** At most one warning a minute: a heartbeat that fails fails every interval. */
    private void warn(String message) {
        if (warnings.tryAcquire(clock.monotonicNanos()) >= 0) {
            log.warn(message);
        }
    }
}
