package io.pulse.bench;

import io.pulse.consumer.PulseConsumer;
import io.pulse.events.ChangeReason;
import io.pulse.events.EventCodec;
import io.pulse.events.FailureMessage;
import io.pulse.events.NodeState;
import io.pulse.events.StatusChange;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.BooleanSupplier;
import java.util.function.Predicate;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

/**
 * What reaches Kafka, as the harness sees it: a {@link PulseConsumer} (the consumer library, as a
 * downstream service uses it) records each StatusChange and FailureMessage with the instant its
 * handler ran, and a plain consumer of {@code pulse.failures} records each FailureMessage's broker
 * timestamp, which is the broker's append time because the harness's broker runs with
 * {@code log.message.timestamp.type=LogAppendTime}.
 *
 * <pre>{@code
 * try (E2eEvents events = E2eEvents.start(kafka.bootstrapServers())) {
 *     events.await(() -> events.failures(f -> f.node().equals(victim)).size() >= 4, Duration.ofSeconds(30));
 * }
 * }</pre>
 */
final class E2eEvents implements AutoCloseable {
    record Status(
            String observer,
            String node,
            NodeState previous,
            NodeState current,
            Instant at,
            Instant received,
            ChangeReason reason) {}

    record Failure(
            UUID eventId,
            String observer,
            String node,
            Instant detectedAt,
            Long srttMicros,
            Instant received,
            String declaredBy,
            int confirmations) {}

    /** A FailureMessage record as it is in {@code pulse.failures}, duplicates included (the consumer library drops them). */
    record Raw(
            UUID eventId,
            String observer,
            String node,
            Instant detectedAt,
            Instant appended,
            String declaredBy,
            int confirmations) {}

    private final List<Status> statuses = new ArrayList<>();
    private final List<Failure> failures = new ArrayList<>();
    private final List<Raw> raw = new java.util.concurrent.CopyOnWriteArrayList<>();
    /** Latest state of each node as each observer sees it, key observer + " " + node. */
    private final Map<String, NodeState> latest = new ConcurrentHashMap<>();

    private final Map<UUID, Instant> appendedAt = new ConcurrentHashMap<>();
    private final PulseConsumer consumer;
    private final Thread rawReader;
    private volatile boolean running = true;

    private E2eEvents(String bootstrap) {
        consumer = PulseConsumer.builder()
                .bootstrapServers(bootstrap)
                .groupId("e2e-bench-" + UUID.randomUUID())
                .offsetReset(PulseConsumer.OffsetReset.EARLIEST)
                .onStatusChange(this::received)
                .onFailure(this::received)
                .build();
        rawReader = new Thread(() -> readAppendTimes(bootstrap), "e2e-append-times");
        rawReader.setDaemon(true);
    }

    static E2eEvents start(String bootstrap) {
        E2eEvents events = new E2eEvents(bootstrap);
        events.consumer.start();
        events.rawReader.start();
        return events;
    }

    private synchronized void received(StatusChange c) {
        statuses.add(new Status(
                c.getObserver(),
                c.getNodeId(),
                c.getPrevious(),
                c.getCurrent(),
                c.getAt(),
                Instant.now(),
                c.getReason()));
        latest.put(c.getObserver() + " " + c.getNodeId(), c.getCurrent());
        notifyAll();
    }

    private synchronized void received(FailureMessage f) {
        failures.add(new Failure(
                f.getEventId(),
                f.getObserver(),
                f.getNodeId(),
                f.getDetectedAt(),
                f.getSrttMicros(),
                Instant.now(),
                f.getDeclaredBy(),
                f.getConfirmations()));
        notifyAll();
    }

    private void readAppendTimes(String bootstrap) {
        Properties props = new Properties();
        props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        props.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
        props.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
        try (KafkaConsumer<byte[], byte[]> raw = new KafkaConsumer<>(props)) {
            List<TopicPartition> partitions = new ArrayList<>();
            while (running && partitions.isEmpty()) {
                raw.listTopics(Duration.ofSeconds(5))
                        .getOrDefault("pulse.failures", List.of())
                        .forEach(p -> partitions.add(new TopicPartition(p.topic(), p.partition())));
                if (partitions.isEmpty()) {
                    sleep(200);
                }
            }
            raw.assign(partitions);
            raw.seekToBeginning(partitions);
            while (running) {
                for (ConsumerRecord<byte[], byte[]> record : raw.poll(Duration.ofMillis(200))) {
                    FailureMessage f = EventCodec.decodeFailure(record.value());
                    appendedAt.put(f.getEventId(), Instant.ofEpochMilli(record.timestamp()));
                    this.raw.add(new Raw(
                            f.getEventId(),
                            f.getObserver(),
                            f.getNodeId(),
                            f.getDetectedAt(),
                            Instant.ofEpochMilli(record.timestamp()),
                            f.getDeclaredBy(),
                            f.getConfirmations()));
                }
            }
        } catch (RuntimeException e) {
            if (running) {
                System.err.println("append-time reader failed: " + e);
            }
        }
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** The broker's append time of a FailureMessage, or null if the plain consumer has not read it yet. */
    Instant appendedAt(UUID eventId) {
        return appendedAt.get(eventId);
    }

    /** FailureMessage records read from the topic so far, duplicates included. */
    List<Raw> raw(Predicate<Raw> match) {
        return raw.stream().filter(match).toList();
    }

    synchronized List<Status> statuses(Predicate<Status> match) {
        return statuses.stream().filter(match).toList();
    }

    synchronized List<Failure> failures(Predicate<Failure> match) {
        return failures.stream().filter(match).toList();
    }

    NodeState state(String observer, String node) {
        return latest.get(observer + " " + node);
    }

    /** Waits until {@code condition} holds (checked on each event and every 100 ms); false after {@code limit}. */
    synchronized boolean await(BooleanSupplier condition, Duration limit) throws InterruptedException {
        long deadline = System.nanoTime() + limit.toNanos();
        while (!condition.getAsBoolean()) {
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                return false;
            }
            wait(Math.max(1, Math.min(100, left / 1_000_000)));
        }
        return true;
    }

    @Override
    public void close() throws InterruptedException {
        running = false;
        consumer.close();
        rawReader.join(5_000);
    }
}
