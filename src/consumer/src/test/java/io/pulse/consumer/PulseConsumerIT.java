package io.pulse.consumer;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.pulse.events.FailureMessage;
import io.pulse.events.NodeState;
import io.pulse.events.StatusChange;
import io.pulse.events.Topics;
import io.pulse.testkit.CapturedWarnings;
import io.pulse.testkit.KafkaBrokerExtension;
import io.pulse.testkit.TopicReader;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.BooleanSupplier;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.Header;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInfo;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The consumer library against a real broker; each test on its own topics (prefix from its name). */
class PulseConsumerIT {
    @RegisterExtension
    static final KafkaBrokerExtension KAFKA = KafkaBrokerExtension.inJvm();

    private static final Duration WAIT = Duration.ofSeconds(60);

    private static String prefix(TestInfo info) {
        return "t." + info.getTestMethod().orElseThrow().getName();
    }

    private PulseConsumer.Builder consumer(TestEvents events, String group) {
        return PulseConsumer.builder()
                .bootstrapServers(KAFKA.bootstrapServers())
                .groupId(group)
                .topicPrefix(events.prefix)
                .retryBackoff(Duration.ofMillis(10), Duration.ofMillis(40))
                .offsetReset(PulseConsumer.OffsetReset.EARLIEST); // the tests write before the consumer starts
    }

    static void await(BooleanSupplier condition, String what) throws InterruptedException {
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out waiting for " + what);
            }
            Thread.sleep(20);
        }
    }

    @Test
    void handlersSeeEveryEventInOrderPerNode(TestInfo info) throws Exception {
        try (TestEvents events = new TestEvents(KAFKA.bootstrapServers(), prefix(info), 3)) {
            Map<String, List<Long>> seen = new ConcurrentHashMap<>();
            List<String> failed = new CopyOnWriteArrayList<>();
            for (int seq = 0; seq < 25; seq++) {
                for (int n = 0; n < 20; n++) {
                    events.send(TestEvents.change("10.0.0." + n + ":7946", seq, NodeState.ALIVE, NodeState.SUSPECT));
                }
            }
            for (int n = 0; n < 20; n++) {
                events.send(TestEvents.failure("10.0.0." + n + ":7946", n));
            }
            events.flush();
            try (PulseConsumer consumer = consumer(events, "in-order")
                    .onStatusChange(c -> seen.computeIfAbsent(c.getNodeId(), k -> new CopyOnWriteArrayList<>())
                            .add(c.getTotalProbes()))
                    .onFailure(f -> failed.add(f.getNodeId()))
                    .build()) {
                consumer.start();
                await(() -> consumer.handled() == 520, "520 events handled, got " + consumer.handled());
                assertEquals(20, seen.size());
                List<Long> expected = new ArrayList<>();
                for (long seq = 0; seq < 25; seq++) {
                    expected.add(seq);
                }
                seen.forEach((node, sequence) -> assertEquals(expected, sequence, node));
                assertEquals(20, new HashSet<>(failed).size());
                assertEquals(0, consumer.deadLettered());
            }
        }
    }

    @Test
    void aThrowingHandlerIsRetriedThenItsRecordIsDeadLettered(TestInfo info) throws Exception {
        try (TestEvents events = new TestEvents(KAFKA.bootstrapServers(), prefix(info), 1)) {
            FailureMessage bad = TestEvents.failure("10.0.0.66:7946", 66);
            events.send(TestEvents.failure("10.0.0.1:7946", 1));
            events.send(bad);
            events.send(TestEvents.failure("10.0.0.2:7946", 2));
            events.flush();
            AtomicInteger calls = new AtomicInteger();
            List<String> handled = new CopyOnWriteArrayList<>();
            try (PulseConsumer consumer = consumer(events, "retry")
                    .maxAttempts(3)
                    .onFailure(f -> {
                        if (f.getNodeId().equals(bad.getNodeId())) {
                            calls.incrementAndGet();
                            throw new IllegalStateException("pager is down");
                        }
                        handled.add(f.getNodeId());
                    })
                    .build()) {
                consumer.start();
                await(() -> handled.size() == 2, "the records around the bad one handled");
                assertEquals(List.of("10.0.0.1:7946", "10.0.0.2:7946"), handled);
                assertEquals(3, calls.get());
                assertEquals(1, consumer.deadLettered());
            }
            List<ConsumerRecord<byte[], byte[]>> dlt =
                    TopicReader.readAtLeast(KAFKA.bootstrapServers(), Topics.deadLetter(events.failures), 1, WAIT);
            ConsumerRecord<byte[], byte[]> letter = dlt.get(0);
            assertEquals(bad.getNodeId(), new String(letter.key(), StandardCharsets.UTF_8));
            assertEquals(events.failures, header(letter, DeadLetterHeaders.ORIGINAL_TOPIC));
            assertEquals(0, int32(letter, DeadLetterHeaders.ORIGINAL_PARTITION));
            assertEquals(1L, int64(letter, DeadLetterHeaders.ORIGINAL_OFFSET));
            ConsumerRecord<byte[], byte[]> original = TopicReader.readAtLeast(
                            KAFKA.bootstrapServers(), events.failures, 3, WAIT)
                    .get(1);
            assertEquals(original.timestamp(), int64(letter, DeadLetterHeaders.ORIGINAL_TIMESTAMP));
            assertEquals("retry", header(letter, DeadLetterHeaders.ORIGINAL_CONSUMER_GROUP));
            assertEquals("3", header(letter, DeadLetterHeaders.ATTEMPTS));
            assertEquals("java.lang.IllegalStateException", header(letter, DeadLetterHeaders.EXCEPTION_FQCN));
            assertEquals("pager is down", header(letter, DeadLetterHeaders.EXCEPTION_MESSAGE));
            String trace = header(letter, DeadLetterHeaders.EXCEPTION_STACKTRACE);
            assertTrue(
                    trace.startsWith("java.lang.IllegalStateException: pager is down" + System.lineSeparator()
                            + "\tat io.pulse.consumer.PulseConsumerIT.lambda$"),
                    trace);
            assertEquals(bad, io.pulse.events.EventCodec.decodeFailure(letter.value()));
        }
    }

    @Test
    void aPoisonRecordIsDeadLetteredAtOnceAndTheRecordsBehindItAreHandled(TestInfo info) throws Exception {
        try (TestEvents events = new TestEvents(KAFKA.bootstrapServers(), prefix(info), 1)) {
            events.raw(events.status, "10.0.0.9:7946", "not avro".getBytes(StandardCharsets.UTF_8));
            for (int seq = 0; seq < 5; seq++) {
                events.send(TestEvents.change("10.0.0.9:7946", seq, NodeState.ALIVE, NodeState.SUSPECT));
            }
            events.flush();
            List<Long> handled = new CopyOnWriteArrayList<>();
            try (PulseConsumer consumer = consumer(events, "poison")
                    .onStatusChange(c -> handled.add(c.getTotalProbes()))
                    .build()) {
                consumer.start();
                await(() -> handled.size() == 5, "five records behind the poison handled");
                assertEquals(List.of(0L, 1L, 2L, 3L, 4L), handled);
                assertEquals(1, consumer.deadLettered());
            }
            ConsumerRecord<byte[], byte[]> letter = TopicReader.readAtLeast(
                            KAFKA.bootstrapServers(), Topics.deadLetter(events.status), 1, WAIT)
                    .get(0);
            // Spring Kafka's names, in the order its DeadLetterPublishingRecoverer writes them, then Pulse's own.
            assertEquals(
                    List.of(
                            "kafka_dlt-original-topic",
                            "kafka_dlt-original-partition",
                            "kafka_dlt-original-offset",
                            "kafka_dlt-original-timestamp",
                            "kafka_dlt-original-timestamp-type",
                            "kafka_dlt-original-consumer-group",
                            "kafka_dlt-exception-fqcn",
                            "kafka_dlt-exception-message",
                            "kafka_dlt-exception-stacktrace",
                            "pulse.dlt.attempts"),
                    Arrays.stream(letter.headers().toArray()).map(Header::key).toList());
            assertEquals(events.status, header(letter, DeadLetterHeaders.ORIGINAL_TOPIC));
            assertArrayEquals(
                    new byte[] {0, 0, 0, 0},
                    letter.headers()
                            .lastHeader(DeadLetterHeaders.ORIGINAL_PARTITION)
                            .value());
            assertArrayEquals(
                    new byte[] {0, 0, 0, 0, 0, 0, 0, 0},
                    letter.headers()
                            .lastHeader(DeadLetterHeaders.ORIGINAL_OFFSET)
                            .value());
            ConsumerRecord<byte[], byte[]> original = TopicReader.readAtLeast(
                            KAFKA.bootstrapServers(), events.status, 1, WAIT)
                    .get(0);
            assertArrayEquals(
                    ByteBuffer.allocate(8).putLong(original.timestamp()).array(),
                    letter.headers()
                            .lastHeader(DeadLetterHeaders.ORIGINAL_TIMESTAMP)
                            .value());
            assertEquals("CreateTime", header(letter, DeadLetterHeaders.ORIGINAL_TIMESTAMP_TYPE));
            assertEquals("poison", header(letter, DeadLetterHeaders.ORIGINAL_CONSUMER_GROUP));
            assertEquals("io.pulse.events.EventDecodingException", header(letter, DeadLetterHeaders.EXCEPTION_FQCN));
            String message = "got 8 bytes (expected: at least 10 bytes of single-object io.pulse.events.StatusChange)";
            assertEquals(message, header(letter, DeadLetterHeaders.EXCEPTION_MESSAGE));
            assertTrue(
                    header(letter, DeadLetterHeaders.EXCEPTION_STACKTRACE)
                            .startsWith("io.pulse.events.EventDecodingException: " + message + System.lineSeparator()
                                    + "\tat io.pulse.events."),
                    header(letter, DeadLetterHeaders.EXCEPTION_STACKTRACE));
            assertEquals("0", header(letter, DeadLetterHeaders.ATTEMPTS));
            assertEquals("not avro", new String(letter.value(), StandardCharsets.UTF_8));
        }
    }

    @Test
    void aConsumerOfFailuresAloneNeverReadsTheStatusTopic(TestInfo info) throws Exception {
        try (TestEvents events = new TestEvents(KAFKA.bootstrapServers(), prefix(info), 1)) {
            events.raw(events.status, "10.0.0.9:7946", "not avro".getBytes(StandardCharsets.UTF_8));
            events.send(TestEvents.change("10.0.0.9:7946", 1, NodeState.ALIVE, NodeState.SUSPECT));
            events.send(TestEvents.failure("10.0.0.1:7946", 1));
            events.send(TestEvents.failure("10.0.0.2:7946", 2));
            events.flush();
            List<String> failures = new CopyOnWriteArrayList<>();
            List<StatusChange> changes = new CopyOnWriteArrayList<>();
            try (PulseConsumer consumer = consumer(events, "failures-only")
                    .topics(PulseConsumer.Topic.FAILURES)
                    .onFailure(f -> failures.add(f.getNodeId()))
                    .onStatusChange(changes::add)
                    .build()) {
                consumer.start();
                await(() -> failures.size() == 2, "the two failures");
                assertEquals(List.of("10.0.0.1:7946", "10.0.0.2:7946"), failures);
                assertEquals(2, consumer.handled());
                assertEquals(0, consumer.deadLettered()); // the poison record on the status topic was never read
            }
            assertEquals(List.of(), changes);
            assertEquals(Map.of(new TopicPartition(events.failures, 0), 2L), committed("failures-only"));
        }
    }

    @Test
    void duplicatesAreDroppedAndTombstonesAreRemovals(TestInfo info) throws Exception {
        try (TestEvents events = new TestEvents(KAFKA.bootstrapServers(), prefix(info), 1)) {
            StatusChange once = TestEvents.change("10.0.0.5:7946", 1, NodeState.PENDING, NodeState.ALIVE);
            events.send(once);
            events.send(once); // a producer retry or an outbox replay: same event id
            events.tombstone("10.0.0.5:7946");
            events.flush();
            List<StatusChange> changes = new CopyOnWriteArrayList<>();
            List<String> removed = new CopyOnWriteArrayList<>();
            try (PulseConsumer consumer = consumer(events, "dedup")
                    .onStatusChange(changes::add)
                    .onRemoved(removed::add)
                    .build()) {
                consumer.start();
                await(() -> removed.size() == 1, "the removal");
                assertEquals(List.of(once), changes);
                assertEquals(1, consumer.duplicatesDropped());
                assertEquals(List.of("10.0.0.5:7946"), removed);
            }
        }
    }

    @Test
    void aConsumerRestartedMidStreamLosesNothing(TestInfo info) throws Exception {
        try (TestEvents events = new TestEvents(KAFKA.bootstrapServers(), prefix(info), 3)) {
            Set<String> all = new HashSet<>();
            for (int i = 0; i < 2_000; i++) {
                FailureMessage failure = TestEvents.failure("10.0." + (i % 50) + ".1:7946", i);
                all.add(failure.getEventId().toString());
                events.send(failure);
            }
            events.flush();
            Set<String> seen = Collections.newSetFromMap(new ConcurrentHashMap<>());
            AtomicInteger firstRun = new AtomicInteger();
            PulseConsumer first = consumer(events, "restart")
                    .onFailure(f -> {
                        seen.add(f.getEventId().toString());
                        firstRun.incrementAndGet();
                        Thread.sleep(1); // slow enough that close() lands mid-stream
                    })
                    .build();
            first.start();
            await(() -> firstRun.get() >= 300, "the first consumer under way");
            first.close();
            assertTrue(firstRun.get() < all.size(), "closed mid-stream, after " + firstRun.get());

            try (PulseConsumer second = consumer(events, "restart")
                    .onFailure(f -> seen.add(f.getEventId().toString()))
                    .build()) {
                second.start();
                await(() -> seen.size() == all.size(), "every event seen across both runs, got " + seen.size());
                assertEquals(all, seen);
                // At least once, committed after handling: the second run starts at most one poll behind.
                assertTrue(
                        second.handled() <= all.size() - firstRun.get() + 500 * 3,
                        "second run re-handled " + second.handled());
            }
        }
    }

    @Test
    void closeWhileAHandlerIsBusyCommitsExactlyWhatWasHandled(TestInfo info) throws Exception {
        try (TestEvents events = new TestEvents(KAFKA.bootstrapServers(), prefix(info), 1);
                CapturedWarnings warnings = new CapturedWarnings(PulseConsumer.class)) {
            for (int i = 0; i < 10; i++) {
                events.send(TestEvents.failure("10.0.0." + i + ":7946", i));
            }
            events.flush();
            AtomicReference<Thread> closer = new AtomicReference<>();
            CountDownLatch busy = new CountDownLatch(1);
            PulseConsumer consumer = consumer(events, "close-busy")
                    .onFailure(f -> {
                        if (f.getTotalProbes() == 3) {
                            busy.countDown();
                            // Still handling when close() has woken the consumer and waits for this thread.
                            await(
                                    () -> closer.get() != null && closer.get().getState() == Thread.State.WAITING,
                                    "close() waiting for the handler");
                        }
                    })
                    .build();
            consumer.start();
            assertTrue(busy.await(WAIT.toSeconds(), TimeUnit.SECONDS), "the handler reached the fourth record");
            closer.set(new Thread(consumer::close, "closer"));
            closer.get().start();
            closer.get().join(WAIT.toMillis());

            assertEquals(4, consumer.handled());
            assertEquals(Map.of(new TopicPartition(events.failures, 0), 4L), committed("close-busy"));
            // The commit may reach the broker even when commitSync throws; the consumer must not think it failed.
            assertEquals(List.of(), warnings.messages());
        }
    }

    @Test
    void closeDuringARetryBackoffCommitsTheRecordsBeforeTheFailingOne(TestInfo info) throws Exception {
        try (TestEvents events = new TestEvents(KAFKA.bootstrapServers(), prefix(info), 1);
                CapturedWarnings warnings = new CapturedWarnings(PulseConsumer.class)) {
            for (int i = 0; i < 10; i++) {
                events.send(TestEvents.failure("10.0.0." + i + ":7946", i));
            }
            events.flush();
            CountDownLatch failing = new CountDownLatch(1);
            PulseConsumer consumer = consumer(events, "close-backoff")
                    .maxAttempts(3)
                    .retryBackoff(Duration.ofSeconds(30), Duration.ofSeconds(30))
                    .onFailure(f -> {
                        if (f.getTotalProbes() == 5) {
                            failing.countDown();
                            throw new IllegalStateException("pager is down");
                        }
                    })
                    .build();
            consumer.start();
            assertTrue(failing.await(WAIT.toSeconds(), TimeUnit.SECONDS), "the handler failed on the sixth record");
            consumer.close();

            assertEquals(5, consumer.handled());
            assertEquals(0, consumer.deadLettered());
            assertEquals(Map.of(new TopicPartition(events.failures, 0), 5L), committed("close-backoff"));
            assertEquals(List.of(), warnings.messages());
        }
    }

    @Test
    void missingDeadLetterTopicsAreCreatedAtStartWithTheirSourcesPartitions(TestInfo info) throws Exception {
        try (TestEvents events = TestEvents.withoutDeadLetterTopics(KAFKA.bootstrapServers(), prefix(info), 3)) {
            events.raw(events.status, "10.0.0.9:7946", "not avro".getBytes(StandardCharsets.UTF_8));
            for (int seq = 0; seq < 5; seq++) {
                events.send(TestEvents.change("10.0.0.9:7946", seq, NodeState.ALIVE, NodeState.SUSPECT));
            }
            events.flush();
            List<Long> handled = new CopyOnWriteArrayList<>();
            try (PulseConsumer consumer = consumer(events, "create-dlt")
                    .onStatusChange(c -> handled.add(c.getTotalProbes()))
                    .build()) {
                consumer.start();
                await(() -> handled.size() == 5 || consumer.failure().isPresent(), "five records behind the poison");
                assertEquals(Optional.empty(), consumer.failure());
                assertEquals(List.of(0L, 1L, 2L, 3L, 4L), handled);
                assertEquals(1, consumer.deadLettered());
            }
            try (Admin admin = admin()) {
                Map<String, Integer> partitions = new HashMap<>();
                admin.describeTopics(List.of(Topics.deadLetter(events.failures), Topics.deadLetter(events.status)))
                        .allTopicNames()
                        .get()
                        .forEach((name, topic) ->
                                partitions.put(name, topic.partitions().size()));
                assertEquals(
                        Map.of(Topics.deadLetter(events.failures), 3, Topics.deadLetter(events.status), 3), partitions);
            }
            ConsumerRecord<byte[], byte[]> letter = TopicReader.readAtLeast(
                            KAFKA.bootstrapServers(), Topics.deadLetter(events.status), 1, WAIT)
                    .get(0);
            assertEquals("not avro", new String(letter.value(), StandardCharsets.UTF_8));
        }
    }

    @Test
    void anUnwritableDeadLetterTopicStopsTheConsumerWithinMaxBlockAndKeepsTheRecord(TestInfo info) throws Exception {
        try (TestEvents events = new TestEvents(KAFKA.bootstrapServers(), prefix(info), 1)) {
            events.send(TestEvents.failure("10.0.0.1:7946", 1));
            events.flush();
            List<String> handled = new CopyOnWriteArrayList<>();
            PulseConsumer consumer = consumer(events, "unwritable-dlt")
                    .property("max.block.ms", 1_000)
                    .onFailure(f -> handled.add(f.getNodeId()))
                    .build();
            try (consumer;
                    Admin admin = admin()) {
                consumer.start();
                await(() -> handled.size() == 1, "the first record handled");
                admin.deleteTopics(List.of(Topics.deadLetter(events.failures)))
                        .all()
                        .get();
                // Gone from the broker's metadata too: a producer that still found it there would retry
                // its write for delivery.timeout.ms (2 minutes) instead of failing within max.block.ms.
                await(
                        () -> !admin.listTopics()
                                .names()
                                .toCompletionStage()
                                .toCompletableFuture()
                                .join()
                                .contains(Topics.deadLetter(events.failures)),
                        "the dead-letter topic deleted");
                events.raw(events.failures, "10.0.0.9:7946", "not avro".getBytes(StandardCharsets.UTF_8));
                events.flush();
                await(() -> consumer.failure().isPresent(), "the consumer to stop");
            }
            String dlt = Topics.deadLetter(events.failures);
            assertEquals(
                    "cannot write " + events.failures + "-0@1 to " + dlt + ": Topic " + dlt
                            + " not present in metadata after 1000 ms.",
                    consumer.failure().orElseThrow().getMessage());
            assertEquals(0, consumer.deadLettered());
            assertEquals(Map.of(new TopicPartition(events.failures, 0), 1L), committed("unwritable-dlt"));
        }
    }

    private static Admin admin() {
        return Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, KAFKA.bootstrapServers()));
    }

    /** The group's committed offsets, read by the broker's group coordinator. */
    private static Map<TopicPartition, Long> committed(String group) throws Exception {
        try (Admin admin = admin()) {
            Map<TopicPartition, Long> offsets = new HashMap<>();
            admin.listConsumerGroupOffsets(group)
                    .partitionsToOffsetAndMetadata()
                    .get()
                    .forEach((partition, offset) -> offsets.put(partition, offset == null ? null : offset.offset()));
            return offsets;
        }
    }

    private static String header(ConsumerRecord<byte[], byte[]> record, String name) {
        return new String(record.headers().lastHeader(name).value(), StandardCharsets.UTF_8);
    }

    /** A 4-byte big-endian int header, as Spring Kafka writes the original partition. */
    private static int int32(ConsumerRecord<byte[], byte[]> record, String name) {
        byte[] value = record.headers().lastHeader(name).value();
        assertEquals(4, value.length, name);
        return ByteBuffer.wrap(value).getInt();
    }

    /** An 8-byte big-endian long header, as Spring Kafka writes the original offset and timestamp. */
    private static long int64(ConsumerRecord<byte[], byte[]> record, String name) {
        byte[] value = record.headers().lastHeader(name).value();
        assertEquals(8, value.length, name);
        return ByteBuffer.wrap(value).getLong();
    }
}
