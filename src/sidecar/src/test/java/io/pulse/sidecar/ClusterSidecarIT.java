package io.pulse.sidecar;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.pulse.consumer.PulseConsumer;
import io.pulse.embedded.BrokerFiles;
import io.pulse.events.ChangeReason;
import io.pulse.events.FailureMessage;
import io.pulse.events.NodeState;
import io.pulse.events.StatusChange;
import io.pulse.protocol.Keyring;
import io.pulse.sidecar.config.SecuritySettings;
import io.pulse.testkit.KafkaBrokerExtension;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Cluster mode as an operator runs it: four {@code pulse run} processes from target/pulse.jar
 * joined into one cluster, a real broker, and the consumer library reading what they publish. A
 * SIGKILL is one FailureMessage, whoever saw it; a SIGTERM is {@code ALIVE -> LEFT} and none.
 */
class ClusterSidecarIT {
    @RegisterExtension
    static final KafkaBrokerExtension kafka = KafkaBrokerExtension.inJvm();

    static final Duration STEP = Duration.ofSeconds(30);

    @TempDir
    Path dir;

    private final List<Object> received = new CopyOnWriteArrayList<>();
    private final List<PulseProcess> processes = new ArrayList<>();

    @AfterEach
    void stopAll() throws InterruptedException {
        for (PulseProcess process : processes) {
            process.close();
        }
    }

    static final String KEYS = "1 " + Keyring.generateKey() + " primary";

    /** A member: its UDP id (host:port) and its HTTP API port. */
    private record Member(PulseProcess process, String id, int httpPort) {}

    private Member start(int index, String seed) throws Exception {
        int httpPort = BrokerFiles.freePort();
        Path config = dir.resolve("member-" + index + ".yaml");
        List<String> lines = new ArrayList<>(List.of("node:", "  bind: 127.0.0.1:0", "cluster:", "  enabled: true"));
        if (seed != null) {
            lines.add("  join: [" + seed + "]");
        }
        lines.addAll(List.of(
                "kafka:",
                "  bootstrap.servers: " + kafka.bootstrapServers(),
                "  topic.prefix: cluster",
                "outbox.dir: " + dir.resolve("outbox-" + index),
                "http.bind: 127.0.0.1:" + httpPort,
                ""));
        Files.writeString(config, String.join("\n", lines));
        // The cluster's keys come from the environment, as a deployment's may (a cluster member needs keys).
        PulseProcess process =
                PulseProcess.start(dir, Map.of(SecuritySettings.ENV_KEYS, KEYS), "run", "--config", config.toString());
        processes.add(process);
        String id = process.awaitLine("pulse (\\S+) running: udp ", STEP).group(1);
        return new Member(process, id, httpPort);
    }

    @Test
    void aKillIsOneFailureMessageAndATerminateIsLeftWithNone() throws Exception {
        String group = "cluster-it-" + UUID.randomUUID();
        try (PulseConsumer consumer = PulseConsumer.builder()
                .bootstrapServers(kafka.bootstrapServers())
                .topicPrefix("cluster")
                .groupId(group)
                .offsetReset(PulseConsumer.OffsetReset.EARLIEST)
                .onStatusChange(received::add)
                .onFailure(received::add)
                .build()) {
            consumer.start();
            Member founder = start(0, null);
            List<Member> members = new ArrayList<>(List.of(founder));
            for (int i = 1; i < 4; i++) {
                members.add(start(i, founder.id()));
            }
            await(
                    "every join published",
                    () -> received.stream()
                                    .filter(e -> e instanceof StatusChange c && c.getReason() == ChangeReason.JOINED)
                                    .count()
                            >= 3);

            try (PulseProcess list = PulseProcess.start(dir, "members", "--api", "127.0.0.1:" + founder.httpPort())) {
                assertEquals(0, list.awaitExit(STEP), list.transcript());
                assertTrue(
                        list.output()
                                .matches(
                                        "(?s)pulse " + java.util.regex.Pattern.quote(founder.id())
                                                + ": configuration \\d+/[0-9a-f]{16}, \\{ALIVE=4, FLAPPING=0, DEAD=0, LEFT=0\\}\n.*"),
                        list.output());
            }

            Member victim = members.get(2);
            victim.process().kill();
            await(
                    "the victim's FailureMessage",
                    () -> failuresAbout(victim.id()).size() >= 1);
            Thread.sleep(3000); // a second verdict, or the backup's copy, would come within this
            List<FailureMessage> failures = failuresAbout(victim.id());
            assertEquals(1, failures.size(), "one FailureMessage for one SIGKILL: " + failures);
            FailureMessage failure = failures.get(0);
            assertNotNull(failure.getDeclaredBy(), failure.toString());
            assertNotNull(failure.getConfigurationEpoch(), "an agreed verdict: " + failure);
            assertEquals(
                    1,
                    received.stream()
                            .filter(e -> e instanceof StatusChange c
                                    && c.getNodeId().equals(victim.id())
                                    && c.getCurrent() == NodeState.DEAD)
                            .count());

            Member leaver = members.get(3);
            assertEquals(0, leaver.process().terminate(STEP), leaver.process().transcript());
            await(
                    "the leaver's LEFT",
                    () -> received.stream()
                            .anyMatch(e -> e instanceof StatusChange c
                                    && c.getNodeId().equals(leaver.id())
                                    && c.getCurrent() == NodeState.LEFT));
            Thread.sleep(3000); // longer than detection: a false failure would have shown
            assertEquals(List.of(), failuresAbout(leaver.id()), "a clean stop is not a failure");
            StatusChange left = received.stream()
                    .filter(e -> e instanceof StatusChange c
                            && c.getNodeId().equals(leaver.id())
                            && c.getCurrent() == NodeState.LEFT)
                    .map(StatusChange.class::cast)
                    .findFirst()
                    .orElseThrow();
            assertEquals(NodeState.ALIVE, left.getPrevious());
            assertEquals(ChangeReason.LEFT, left.getReason());
        }
    }

    private List<FailureMessage> failuresAbout(String id) {
        return received.stream()
                .filter(e -> e instanceof FailureMessage f && f.getNodeId().equals(id))
                .map(FailureMessage.class::cast)
                .toList();
    }

    private static void await(String what, java.util.function.BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out waiting for " + what);
            }
            Thread.sleep(20);
        }
    }
}
