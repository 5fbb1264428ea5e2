package io.pulse.kafka;

import io.pulse.core.Clock;
import io.pulse.core.NodeFailure;
import io.pulse.core.NodeId;
import io.pulse.core.Transition;
import io.pulse.core.WarningLimiter;
import io.pulse.events.EventCodec;
import io.pulse.events.EventType;
import io.pulse.events.FailureMessage;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.ReadWriteLock;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import java.util.function.Consumer;
import java.util.function.Supplier;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** {@link PulsePublisher} over an {@link Outbox} and a {@link Sender}. */
final class KafkaPulsePublisher implements PulsePublisher {
    private static final Logger log = LoggerFactory.getLogger(KafkaPulsePublisher.class);
    private static final long DROP_LOG_INTERVAL_NANOS = TimeUnit.SECONDS.toNanos(10);

    private final PublisherConfig config;
    private final Clock clock;
    private final EventMapper mapper;
    private final Outbox outbox;
    private final Producer<byte[], byte[]> producer;
    private final Sender sender;
    private final Thread senderThread;
    private final ScheduledExecutorService watchdog;
    private final Heartbeats heartbeats;
    private final AtomicLong published = new AtomicLong();
    private final AtomicLong dropped = new AtomicLong();
    private final WarningLimiter dropWarnings = new WarningLimiter(DROP_LOG_INTERVAL_NANOS);
    /** Held by publishers while they append, taken exclusively by close: nothing writes to a closed outbox. */
    private final ReadWriteLock closeLock = new ReentrantReadWriteLock();

    private boolean closed;

    private KafkaPulsePublisher(
            PublisherConfig config,
            Clock clock,
            Outbox outbox,
            Producer<byte[], byte[]> producer,
            boolean topicsReady,
            Supplier<Watching> watching,
            String version) {
        this.config = config;
        this.clock = clock;
        this.mapper = new EventMapper(config.observer(), config.cluster());
        this.outbox = outbox;
        this.producer = producer;
        this.sender = new Sender(config, outbox, producer, topicsReady);
        this.heartbeats =
                new Heartbeats(config, clock, producer, sender::schemasWritten, watching, version, sender.confluent());
        this.senderThread = new Thread(sender, "pulse-publisher-sender");
        this.senderThread.setDaemon(true);
        this.watchdog = Executors.newSingleThreadScheduledExecutor(runnable -> {
            Thread thread = new Thread(runnable, "pulse-publisher-watchdog");
            thread.setDaemon(true);
            return thread;
        });
    }

    static KafkaPulsePublisher start(PublisherConfig config, Clock clock, Supplier<Watching> watching, String version) {
        Outbox outbox = Outbox.open(config.outboxDir(), config.outboxMaxBytes(), clock);
        Producer<byte[], byte[]> producer = null;
        try {
            boolean topicsReady =
                    !config.startupTimeout().isZero() && checkTopics(config, config.startupTimeout(), true);
            producer = new KafkaProducer<>(
                    config.producerProperties(), new ByteArraySerializer(), new ByteArraySerializer());
            KafkaPulsePublisher publisher =
                    new KafkaPulsePublisher(config, clock, outbox, producer, topicsReady, watching, version);
            if (outbox.pendingEvents() > 0) {
                log.info(
                        "outbox {} holds {} events ({} bytes) from before the start; sending them first",
                        config.outboxDir(),
                        outbox.pendingEvents(),
                        outbox.pendingBytes());
            }
            publisher.senderThread.start();
            publisher.watchdog.scheduleWithFixedDelay(publisher.sender::logIfStalled, 1, 1, TimeUnit.SECONDS);
            publisher.heartbeats.start();
            return publisher;
        } catch (RuntimeException e) {
            if (producer != null) {
                producer.close(Duration.ZERO);
            }
            outbox.close();
            throw e;
        }
    }

    /**
     * Checks or creates the topics; true when done. A misconfigured topic throws
     * {@link TopicConfigException} if {@code failOnMisconfiguration}, and is logged otherwise.
     */
    static boolean checkTopics(PublisherConfig config, Duration timeout, boolean failOnMisconfiguration) {
        Admin admin = Admin.create(config.adminProperties());
        try {
            TopicAdmin.ensureTopics(admin, config, timeout);
            return true;
        } catch (TopicConfigException e) {
            if (failOnMisconfiguration) {
                throw e;
            }
            log.error("{}; events stay in the outbox until it is fixed", e.getMessage());
        } catch (TimeoutException e) {
            log.warn(
                    "Kafka did not answer within {} ms to check topics {}, {} and {}; events stay in the outbox and the "
                            + "check is repeated",
                    timeout.toMillis(),
                    config.failuresTopic(),
                    config.statusTopic(),
                    config.schemasTopic());
        } catch (ExecutionException e) {
            log.warn(
                    "cannot check topics {}, {} and {}: {}; events stay in the outbox and the check is repeated",
                    config.failuresTopic(),
                    config.statusTopic(),
                    config.schemasTopic(),
                    e.getCause().toString());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            admin.close(Duration.ZERO);
        }
        return false;
    }

    @Override
    public boolean publish(Transition change) {
        io.pulse.events.StatusChange record = mapper.statusChange(change);
        return append(new OutboxRecord(
                EventType.STATUS_CHANGE,
                record.getEventId(),
                record.getNodeId(),
                EventCodec.encode(record),
                record.getAt()));
    }

    @Override
    public boolean publish(NodeFailure failure) {
        FailureMessage record = mapper.failure(failure);
        return append(new OutboxRecord(
                EventType.FAILURE,
                record.getEventId(),
                record.getNodeId(),
                EventCodec.encode(record),
                record.getDetectedAt()));
    }

    @Override
    public boolean publishRemoval(NodeId node) {
        Instant removedAt = clock.now();
        return append(new OutboxRecord(
                EventType.NODE_REMOVED, mapper.removalEventId(node, removedAt), node.toString(), null, removedAt));
    }

    private boolean append(OutboxRecord record) {
        long seq;
        closeLock.readLock().lock();
        try {
            if (closed) {
                throw new IllegalStateException("publisher is closed");
            }
            seq = outbox.append(record);
        } catch (OutboxException e) {
            drop(record, e.getMessage());
            return false;
        } finally {
            closeLock.readLock().unlock();
        }
        if (seq < 0) {
            drop(
                    record,
                    "outbox full: " + outbox.pendingBytes() + " of " + PublisherConfig.OUTBOX_MAX_BYTES + "="
                            + outbox.maxBytes() + " bytes wait for Kafka");
            return false;
        }
        published.incrementAndGet();
        sender.latency().journaled(seq, System.nanoTime());
        sender.wakeUpIfIdle();
        return true;
    }

    private void drop(OutboxRecord record, String why) {
        long count = dropped.incrementAndGet();
        if (dropWarnings.tryAcquire(clock.monotonicNanos()) >= 0) {
            log.error("dropped {} ({}); {} events dropped since start", record, why, count);
        }
    }

    @Override
    public void onDelivery(Consumer<Duration> latency) {
        sender.latency().listener(latency);
    }

    @Override
    public PublisherStats stats() {
        return new PublisherStats(
                published.get(),
                sender.acknowledged(),
                dropped.get(),
                sender.failedSends(),
                sender.poisoned() + outbox.unreadable(),
                outbox.pendingEvents(),
                outbox.pendingBytes(),
                outbox.maxBytes(),
                outbox.corruptions(),
                outbox.lostEvents(),
                heartbeats.sent(),
                heartbeats.dropped());
    }

    @Override
    public void whenDelivered(Runnable action) {
        sender.whenDelivered(java.util.Objects.requireNonNull(action, "action"));
    }

    @Override
    public boolean awaitDelivery(Duration timeout) throws InterruptedException {
        return sender.awaitEmpty(timeout);
    }

    @Override
    public void close() {
        closeLock.writeLock().lock();
        try {
            if (closed) {
                return;
            }
            closed = true;
        } finally {
            closeLock.writeLock().unlock();
        }
        heartbeats.close();
        boolean delivered = false;
        try {
            delivered = sender.awaitEmpty(config.closeTimeout());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        watchdog.shutdownNow();
        sender.stop(senderThread);
        producer.close(delivered ? config.closeTimeout() : Duration.ZERO);
        sender.deleteAcknowledged();
        if (!delivered) {
            log.warn(
                    "closing with {} events ({} bytes) not acknowledged by Kafka; they are sent after the next start",
                    outbox.pendingEvents(),
                    outbox.pendingBytes());
        }
        outbox.close();
    }
}
