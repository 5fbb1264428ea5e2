package io.pulse.consumer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.pulse.events.EventType;
import io.pulse.events.Heartbeat;
import io.pulse.events.NodeState;
import io.pulse.events.StatusChange;
import io.pulse.events.Topics;
import io.pulse.testkit.KafkaBrokerExtension;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewPartitions;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.config.TopicConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInfo;
import org.junit.jupiter.api.extension.RegisterExtension;

class ClusterViewIT {
    @RegisterExtension
    static final KafkaBrokerExtension KAFKA = KafkaBrokerExtension.inJvm();

    private static final NodeState[] STATES = {NodeState.ALIVE, NodeState.SUSPECT, NodeState.DEAD};

    private static String prefix(TestInfo info) {
        return "v." + info.getTestMethod().orElseThrow().getName();
    }

    @Test
    void aViewOverTenThousandNodesEqualsTheExpectedMap(TestInfo info) throws Exception {
        try (TestEvents events = new TestEvents(KAFKA.bootstrapServers(), prefix(info), 3)) {
            Map<String, StatusChange> expected = new HashMap<>();
            Random random = new Random(5);
            for (int round = 0; round < 3; round++) {
                for (int n = 0; n < 10_000; n++) {
                    String node = "10.1." + (n / 250) + "." + (n % 250) + ":7946";
                    if (round > 0 && random.nextInt(4) != 0) {
                        continue; // later rounds update a quarter of the nodes
                    }
                    StatusChange change = TestEvents.change(node, round, NodeState.PENDING, STATES[random.nextInt(3)]);
                    events.send(change);
                    expected.put(node, change);
                }
            }
            for (int n = 0; n < 10_000; n += 10) {
                String node = "10.1." + (n / 250) + "." + (n % 250) + ":7946";
                events.tombstone(node);
                expected.remove(node);
            }
            events.raw(events.status, "10.9.9.9:7946", "garbage".getBytes(StandardCharsets.UTF_8));
            events.flush();

            try (ClusterView view = ClusterView.builder()
                    .bootstrapServers(KAFKA.bootstrapServers())
                    .topicPrefix(events.prefix)
                    .build()) {
                List<String> changed = new CopyOnWriteArrayList<>();
                view.onChange((node, before, after) -> changed.add(node));
                view.start();
                assertTrue(view.awaitCaughtUp(Duration.ofSeconds(60)), "caught up");
                assertEquals(expected.size(), view.size());
                assertEquals(expected, view.snapshot());
                assertEquals(1, view.undecodable());

                // Live: after catching up, new changes and removals keep arriving.
                StatusChange live = TestEvents.change("10.1.0.1:7946", 9, NodeState.ALIVE, NodeState.DEAD);
                events.sendNow(live);
                events.tombstone("10.1.0.2:7946");
                events.flush();
                PulseConsumerIT.await(
                        () -> view.get("10.1.0.1:7946").map(live::equals).orElse(false)
                                && view.get("10.1.0.2:7946").isEmpty(),
                        "the live change and removal");
                assertEquals(expected.size() - 1, view.size());
                assertTrue(changed.size() > expected.size());
            }
        }
    }

    @Test
    void partitionsAddedLaterAreReadFromTheirBeginning(TestInfo info) throws Exception {
        try (TestEvents events = new TestEvents(KAFKA.bootstrapServers(), prefix(info), 1);
                ClusterView view = ClusterView.builder()
                        .bootstrapServers(KAFKA.bootstrapServers())
                        .topicPrefix(events.prefix)
                        .property("metadata.max.age.ms", 500)
                        .partitionCheckInterval(Duration.ofMillis(500))
                        .build()) {
            view.start();
            assertTrue(view.awaitCaughtUp(Duration.ofSeconds(30)));
            try (Admin admin =
                    Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, KAFKA.bootstrapServers()))) {
                admin.createPartitions(Map.of(events.status, NewPartitions.increaseTo(3)))
                        .all()
                        .get();
            }
            StatusChange first = TestEvents.change("10.2.0.1:7946", 1, NodeState.PENDING, NodeState.ALIVE);
            StatusChange second = TestEvents.change("10.2.0.2:7946", 2, NodeState.ALIVE, NodeState.DEAD);
            // Written before the view can have seen the new partitions: it must read them from offset 0.
            events.send(first, 1);
            events.send(second, 2);
            events.flush();
            PulseConsumerIT.await(
                    () -> view.get("10.2.0.1:7946").map(first::equals).orElse(false)
                            && view.get("10.2.0.2:7946").map(second::equals).orElse(false),
                    "the records in the added partitions");
        }
    }

    @Test
    void anEmptyTopicIsCaughtUpAtOnce(TestInfo info) throws Exception {
        try (TestEvents events = new TestEvents(KAFKA.bootstrapServers(), prefix(info), 2);
                ClusterView view = ClusterView.builder()
                        .bootstrapServers(KAFKA.bootstrapServers())
                        .topicPrefix(events.prefix)
                        .build()) {
            view.start();
            assertTrue(view.awaitCaughtUp(Duration.ofSeconds(30)));
            assertEquals(Map.of(), view.snapshot());
            assertNull(view.get("nobody:1").orElse(null));
        }
    }

    @Test
    void aMissingTopicFailsTheViewClearly() throws Exception {
        try (ClusterView view = ClusterView.builder()
                .bootstrapServers(KAFKA.bootstrapServers())
                .topicPrefix("no.such.prefix")
                .property("default.api.timeout.ms", 3_000)
                .build()) {
            view.start();
            assertEquals(false, view.awaitCaughtUp(Duration.ofSeconds(30)));
            assertEquals(
                    "topic no.such.prefix.status does not exist (expected: Pulse's status topic)",
                    view.failure().orElseThrow().getMessage());
        }
    }

    /**
     * Heartbeats through a real broker: none at first (silent), a heartbeats topic created after the
     * view started and followed, a heartbeat (resumed), a record that is no heartbeat (skipped and
     * counted), no more heartbeats (silent again), a tombstone (the observer forgotten).
     */
    @Test
    void silenceComesAndGoesWithTheHeartbeats(TestInfo info) throws Exception {
        try (TestEvents events = new TestEvents(KAFKA.bootstrapServers(), prefix(info), 1);
                ClusterView view = ClusterView.builder()
                        .bootstrapServers(KAFKA.bootstrapServers())
                        .topicPrefix(events.prefix)
                        .partitionCheckInterval(Duration.ofMillis(200))
                        .build()) {
            List<String> told = new CopyOnWriteArrayList<>();
            view.onSilence(Duration.ofSeconds(1), new SilenceListener() {
                @Override
                public void silent(Heartbeat last) {
                    told.add("silent after " + (last == null ? "none" : last.getObserver()));
                }

                @Override
                public void resumed(Heartbeat heartbeat) {
                    told.add("resumed by " + heartbeat.getObserver());
                }
            });
            view.start();
            assertTrue(view.awaitCaughtUp(Duration.ofSeconds(30)), "caught up without a heartbeats topic");
            PulseConsumerIT.await(() -> told.equals(List.of("silent after none")), "silence before any heartbeat");

            try (Admin admin =
                    Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, KAFKA.bootstrapServers()))) {
                admin.createTopics(List.of(new NewTopic(Topics.heartbeats(events.prefix), 1, (short) 1)
                                .configs(
                                        Map.of(TopicConfig.CLEANUP_POLICY_CONFIG, TopicConfig.CLEANUP_POLICY_COMPACT))))
                        .all()
                        .get();
            }
            List<Heartbeat> sent = new CopyOnWriteArrayList<>();
            PulseConsumerIT.await(
                    () -> {
                        sent.add(beat(sent.size() + 1)); // fresh each time, until the view follows the new topic
                        events.send(sent.get(sent.size() - 1));
                        events.flush();
                        return told.size() == 2;
                    },
                    "the heartbeats topic followed and a heartbeat read");
            assertEquals(List.of("silent after none", "resumed by 10.0.0.1:7946"), told);
            PulseConsumerIT.await(
                    () -> view.lastHeartbeat("10.0.0.1:7946").equals(Optional.of(sent.get(sent.size() - 1))),
                    "the latest heartbeat in the view");
            assertEquals(Map.of("10.0.0.1:7946", sent.get(sent.size() - 1)), view.heartbeats());

            events.raw(Topics.heartbeats(events.prefix), "10.0.0.2:7946", "garbage".getBytes(StandardCharsets.UTF_8));
            events.flush();
            PulseConsumerIT.await(() -> view.undecodable() == 1, "the record that is no heartbeat skipped");
            assertTrue(
                    view.lastUndecodable()
                            .orElseThrow()
                            .endsWith(": got 7 bytes (expected: at least 10 bytes of single-object "
                                    + "io.pulse.events.Heartbeat)"),
                    view.lastUndecodable().orElseThrow());

            PulseConsumerIT.await(() -> told.size() == 3, "silence once the heartbeats stop");
            assertEquals("silent after 10.0.0.1:7946", told.get(2));

            events.send(
                    Topics.heartbeats(events.prefix),
                    "10.0.0.1:7946",
                    null,
                    UUID.randomUUID().toString(),
                    EventType.HEARTBEAT);
            events.flush();
            PulseConsumerIT.await(() -> view.heartbeats().isEmpty(), "the observer that stopped cleanly forgotten");
            assertEquals(3, told.size(), "a tombstone is no heartbeat: still silent");
        }
    }

    private static Heartbeat beat(long sequence) {
        return Heartbeat.newBuilder()
                .setEventId(UUID.randomUUID())
                .setObserver("10.0.0.1:7946")
                .setSentAt(Instant.now())
                .setStartedAt(Instant.now())
                .setSequence(sequence)
                .setIntervalMillis(200)
                .setWatchedNodes(4)
                .build();
    }
}
