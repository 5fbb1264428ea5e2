package io.pulse.kafka;

import io.pulse.core.WarningLimiter;
import io.pulse.events.EventHeaders;
import io.pulse.events.EventType;
import io.pulse.events.FailureMessage;
import io.pulse.events.SchemaRegistryException;
import io.pulse.events.SchemaTopic;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import org.apache.avro.Schema;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.InvalidRecordException;
import org.apache.kafka.common.errors.RecordTooLargeException;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The background loop that drains the outbox into the producer: it reads journaled entries in
 * sequence order, syncs the journal once per batch, sends, and deletes each entry when Kafka
 * acknowledges it. At most {@code pulse.sender.max.in.flight.events} are unacknowledged at once.
 *
 * <p>When a send fails (the producer gave up after {@code delivery.timeout.ms}), the sender waits
 * until nothing is in flight, backs off, and sends again from the lowest failed entry; entries
 * acknowledged meanwhile are gone from the journal, so only unacknowledged ones go again, in order.
 *
 * <p>Over 400 lines because the loop, its retry after a failure and the writing of the schemas
 * topic before the first event share one thread and its state; each step is a method of a few lines.
 */
final class Sender implements Runnable {
    private static final Logger log = LoggerFactory.getLogger(Sender.class);
    private static final int BATCH_EVENTS = 1_000;
    private static final long IDLE_PARK_NANOS = TimeUnit.MILLISECONDS.toNanos(100);
    /**
     * How long an idle sender sleeps when nothing wakes it. Publishers unpark it when they append
     * and acknowledgements do when the last in-flight event completes, so this is only a safety
     * net: long, because an idle sidecar should cost next to nothing.
     */
    private static final long IDLE_SLEEP_NANOS = TimeUnit.SECONDS.toNanos(1);

    private static final long STALL_LOG_NANOS = TimeUnit.SECONDS.toNanos(10);
    private static final long TOPIC_CHECK_TIMEOUT_MS = 10_000;
    /** What the publisher writes with: the generated classes' schemas. */
    private static final List<Schema> WRITER_SCHEMAS = List.of(
            FailureMessage.getClassSchema(),
            io.pulse.events.StatusChange.getClassSchema(),
            io.pulse.events.Heartbeat.getClassSchema());

    private final PublisherConfig config;
    private final Outbox outbox;
    private final Producer<byte[], byte[]> producer;
    private final Semaphore window;
    private final AtomicLong lowestFailedSeq = new AtomicLong(Long.MAX_VALUE);
    private final AtomicLong acknowledged = new AtomicLong();
    private final AtomicLong failedSends = new AtomicLong();
    private final AtomicLong poisoned = new AtomicLong();
    private final AtomicLong lastProgressNanos = new AtomicLong(System.nanoTime());
    private final Object emptyMonitor = new Object();
    /** Entries Kafka acknowledged, deleted from the journal by the sender in one write per loop. */
    private final ConcurrentLinkedQueue<Outbox.Entry> acked = new ConcurrentLinkedQueue<>();
    /** Actions waiting until Kafka has every entry up to their sequence. */
    private final ConcurrentLinkedQueue<Barrier> barriers = new ConcurrentLinkedQueue<>();

    private record Barrier(long seq, Runnable action) {}
    /** True while the sender may be about to park: only then does a publisher need to unpark it. */
    private volatile boolean idle;
    /** Null: the values go out as the outbox keeps them, single-object encoded. */
    private final ConfluentValues confluent;

    private final byte[] contentType;
    /** CloudEvents' {@code source}: {@code pulse://<observer>}. */
    private final byte[] source;

    private static final byte[] CLOUDEVENTS_VERSION = EventHeaders.CLOUDEVENTS_VERSION.getBytes(StandardCharsets.UTF_8);
    private volatile boolean topicsReady;
    /** The writer schemas are in the schemas topic: only then may an event (or a heartbeat) written with them go out. */
    private volatile boolean schemasWritten;

    private volatile boolean running = true;
    private volatile Thread thread;
    /** One warning per {@link #STALL_LOG_NANOS} about a stalled outbox. */
    private final WarningLimiter stallWarnings = new WarningLimiter(STALL_LOG_NANOS);
    /** One warning per {@link #STALL_LOG_NANOS} about failed sends and registrations, whichever thread fails. */
    private final WarningLimiter failureWarnings = new WarningLimiter(STALL_LOG_NANOS);

    /** Journal times of recent events, for {@link PulsePublisher#onDelivery}. */
    private final DeliveryLatency latency = new DeliveryLatency();

    Sender(PublisherConfig config, Outbox outbox, Producer<byte[], byte[]> producer, boolean topicsReady) {
        this.config = config;
        this.outbox = outbox;
        this.producer = producer;
        this.window = new Semaphore(config.maxInFlightEvents());
        this.topicsReady = topicsReady;
        this.confluent = ConfluentValues.of(config);
        this.source = ("pulse://" + config.observer()).getBytes(StandardCharsets.UTF_8);
        this.contentType = (confluent == null ? EventHeaders.AVRO_SINGLE_OBJECT : EventHeaders.AVRO_CONFLUENT)
                .getBytes(StandardCharsets.UTF_8);
    }

    @Override
    public void run() {
        thread = Thread.currentThread();
        long cursor = 0;
        while (running) {
            try {
                if (!topicsReady) {
                    topicsReady =
                            KafkaPulsePublisher.checkTopics(config, Duration.ofMillis(TOPIC_CHECK_TIMEOUT_MS), false);
                    if (!topicsReady) {
                        pause(config.retryBackoff());
                        continue;
                    }
                }
                if (!schemasWritten) {
                    schemasWritten = writeSchemas();
                    if (!schemasWritten) {
                        pause(config.retryBackoff());
                        continue;
                    }
                }
                if (lowestFailedSeq.get() != Long.MAX_VALUE) {
                    cursor = Math.min(cursor, rewind());
                    continue;
                }
                deleteAcknowledged();
                idle = true;
                int room = Math.min(window.availablePermits(), BATCH_EVENTS);
                List<Outbox.Entry> batch = room == 0 ? List.of() : outbox.read(cursor, room);
                if (batch.isEmpty()) {
                    if (acked.isEmpty()) {
                        LockSupport.parkNanos(this, IDLE_SLEEP_NANOS);
                    }
                    idle = false;
                    continue;
                }
                idle = false;
                outbox.sync();
                for (Outbox.Entry entry : batch) {
                    window.acquire();
                    send(entry);
                    cursor = entry.seq() + 1;
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            } catch (RuntimeException e) {
                log.error(
                        "sender: unexpected failure; retrying in {} ms",
                        config.retryBackoff().toMillis(),
                        e);
                pause(config.retryBackoff());
            }
        }
    }

    /**
     * Writes the writer schemas of the events and the heartbeat to the schemas topic and waits for Kafka to
     * acknowledge them, then registers them in the schema registry if values are in Confluent's
     * wire format; false (logged) if either did not succeed.
     */
    private boolean writeSchemas() throws InterruptedException {
        List<Future<RecordMetadata>> sent = new ArrayList<>();
        try {
            for (Schema schema : WRITER_SCHEMAS) {
                RecordHeaders headers = new RecordHeaders();
                headers.add(EventHeaders.CONTENT_TYPE, SchemaTopic.CONTENT_TYPE.getBytes(StandardCharsets.UTF_8));
                sent.add(producer.send(new ProducerRecord<>(
                        config.schemasTopic(),
                        null,
                        SchemaTopic.key(schema).getBytes(StandardCharsets.UTF_8),
                        SchemaTopic.value(schema),
                        headers)));
            }
            for (Future<RecordMetadata> future : sent) {
                future.get();
            }
        } catch (ExecutionException | RuntimeException e) {
            Throwable cause = e instanceof ExecutionException ? e.getCause() : e;
            log.warn(
                    "cannot write the writer schemas to {} ({}); events wait in the outbox until they are there",
                    config.schemasTopic(),
                    cause.toString());
            return false;
        }
        if (confluent != null) {
            try {
                confluent.registerWriterSchemas();
            } catch (SchemaRegistryException e) {
                if (failureWarnings.tryAcquire(System.nanoTime()) >= 0) {
                    log.warn(
                            "cannot register the writer schemas in the schema registry ({}); events wait in the "
                                    + "outbox until they are there",
                            e.getMessage());
                }
                return false;
            }
        }
        return true;
    }

    /** Waits until nothing is in flight, backs off, and returns the sequence number to send again from. */
    private long rewind() throws InterruptedException {
        while (running && !window.tryAcquire(config.maxInFlightEvents(), IDLE_PARK_NANOS, TimeUnit.NANOSECONDS)) {
            // wait for the other in-flight sends to complete, one way or the other
        }
        if (!running) {
            return Long.MAX_VALUE;
        }
        window.release(config.maxInFlightEvents());
        pause(config.retryBackoff());
        return lowestFailedSeq.getAndSet(Long.MAX_VALUE);
    }

    private void send(Outbox.Entry entry) {
        OutboxRecord record = entry.record();
        String topic = record.type() == EventType.FAILURE ? config.failuresTopic() : config.statusTopic();
        RecordHeaders headers = new RecordHeaders();
        if (record.value() != null) {
            headers.add(EventHeaders.CONTENT_TYPE, contentType);
        }
        byte[] id = record.eventId().toString().getBytes(StandardCharsets.UTF_8);
        byte[] type = record.type().headerValue().getBytes(StandardCharsets.UTF_8);
        headers.add(EventHeaders.EVENT_ID, id);
        headers.add(EventHeaders.EVENT_TYPE, type);
        headers.add(EventHeaders.CE_SPECVERSION, CLOUDEVENTS_VERSION);
        headers.add(EventHeaders.CE_ID, id);
        headers.add(EventHeaders.CE_SOURCE, source);
        headers.add(EventHeaders.CE_TYPE, type);
        headers.add(EventHeaders.CE_SUBJECT, record.key().getBytes(StandardCharsets.UTF_8));
        if (record.time() != null) { // RFC 3339 in UTC; unknown for an entry left by an older outbox
            headers.add(EventHeaders.CE_TIME, record.time().toString().getBytes(StandardCharsets.UTF_8));
        }
        try {
            byte[] value = confluent == null || record.value() == null
                    ? record.value()
                    : confluent.frame(topic, record.value());
            producer.send(
                    new ProducerRecord<>(topic, null, record.keyBytes(), value, headers),
                    (metadata, exception) -> completed(entry, exception));
        } catch (RuntimeException e) {
            // thrown rather than passed to the callback (the producer is closing, or was interrupted),
            // or by the registry (unreachable: sent again later; a value of no known schema: dropped)
            completed(entry, e);
        }
    }

    /** On the producer's I/O thread: keep it short. */
    private void completed(Outbox.Entry entry, Exception exception) {
        try {
            if (exception == null) {
                acked.add(entry);
                acknowledged.incrementAndGet();
                lastProgressNanos.set(System.nanoTime());
                latency.acknowledged(entry.seq(), System.nanoTime());
            } else if (exception instanceof RecordTooLargeException
                    || exception instanceof InvalidRecordException
                    || exception instanceof SerializationException) {
                outbox.markDone(entry);
                poisoned.incrementAndGet();
                log.error("Kafka refused {} for good, dropping it: {}", entry.record(), exception.toString());
            } else {
                failedSends.incrementAndGet();
                if (failureWarnings.tryAcquire(System.nanoTime()) >= 0) {
                    log.warn(
                            "sending {} failed ({}); it is sent again; {} sends failed since start, {} events "
                                    + "wait in the outbox",
                            entry.record(),
                            exception.toString(),
                            failedSends.get(),
                            outbox.pendingEvents());
                }
                lowestFailedSeq.accumulateAndGet(entry.seq(), Math::min);
            }
        } finally {
            window.release();
            if (window.availablePermits() == config.maxInFlightEvents() || exception != null) {
                wakeUp(); // nothing else in flight, or a failure to act on: the sender must not wait for more
            } else {
                wakeUpIfIdle();
            }
        }
    }

    /** Deletes what Kafka acknowledged since the last call; the sender calls it, and close() once more at the end. */
    void deleteAcknowledged() {
        List<Outbox.Entry> done = new ArrayList<>();
        for (Outbox.Entry entry; (entry = acked.poll()) != null; ) {
            done.add(entry);
        }
        outbox.markDone(done);
        if (!done.isEmpty() && outbox.pendingEvents() == 0) {
            synchronized (emptyMonitor) {
                emptyMonitor.notifyAll();
            }
        }
        if (!done.isEmpty() || !barriers.isEmpty()) {
            runBarriers();
        }
    }

    /** Runs {@code action} once Kafka has acknowledged every entry appended before this call. */
    void whenDelivered(Runnable action) {
        barriers.add(new Barrier(outbox.lastAppended(), action));
        wakeUp();
    }

    private void runBarriers() {
        if (barriers.isEmpty()) {
            return;
        }
        long firstPending = outbox.firstPending();
        for (var it = barriers.iterator(); it.hasNext(); ) {
            Barrier barrier = it.next();
            if (barrier.seq() < firstPending) {
                it.remove();
                try {
                    barrier.action().run();
                } catch (RuntimeException e) {
                    log.warn("an action waiting for delivery failed: {}", e.toString());
                }
            }
        }
    }

    /** Logs when Kafka has acknowledged nothing for a while although events wait; called every second. */
    void logIfStalled() {
        long now = System.nanoTime();
        long pending = outbox.pendingEvents();
        if (pending == 0) {
            lastProgressNanos.set(now);
        } else if (now - lastProgressNanos.get() >= STALL_LOG_NANOS && stallWarnings.tryAcquire(now) >= 0) {
            log.warn(
                    "Kafka has acknowledged nothing for {} s; {} events ({} of {} bytes) wait in the outbox",
                    TimeUnit.NANOSECONDS.toSeconds(now - lastProgressNanos.get()),
                    pending,
                    outbox.pendingBytes(),
                    outbox.maxBytes());
        }
    }

    /** Waits until the outbox is empty; false if {@code timeout} passed first. */
    boolean awaitEmpty(Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        synchronized (emptyMonitor) {
            while (outbox.pendingEvents() > 0) {
                long remaining = deadline - System.nanoTime();
                if (remaining <= 0) {
                    return false;
                }
                TimeUnit.NANOSECONDS.timedWait(emptyMonitor, Math.min(remaining, IDLE_PARK_NANOS));
            }
            return true;
        }
    }

    /** Cheap when the sender is busy: a publisher calls it after every append. */
    DeliveryLatency latency() {
        return latency;
    }

    void wakeUpIfIdle() {
        if (idle) {
            wakeUp();
        }
    }

    void wakeUp() {
        Thread t = thread;
        if (t != null) {
            LockSupport.unpark(t);
        }
    }

    /**
     * Stops the loop and waits for it. It is interrupted, in case it waits for Kafka (a topic
     * check, a send blocked on metadata): what it was sending stays in the outbox.
     */
    void stop(Thread senderThread) {
        running = false;
        senderThread.interrupt();
        try {
            senderThread.join(5_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void pause(Duration duration) {
        long deadline = System.nanoTime() + duration.toNanos();
        long remaining;
        while (running && (remaining = deadline - System.nanoTime()) > 0) {
            LockSupport.parkNanos(this, remaining);
        }
    }

    /** True once the writer schemas are in the schemas topic (and the registry, if any): heartbeats wait for it. */
    boolean schemasWritten() {
        return schemasWritten;
    }

    /** The values' Confluent framing, or null: single-object encoding. */
    ConfluentValues confluent() {
        return confluent;
    }

    long acknowledged() {
        return acknowledged.get();
    }

    long failedSends() {
        return failedSends.get();
    }

    long poisoned() {
        return poisoned.get();
    }
}
