package io.pulse.sidecar;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.pulse.consumer.ClusterView;
import io.pulse.consumer.SilenceListener;
import io.pulse.events.Heartbeat;
import io.pulse.sidecar.http.BuildInfo;
import io.pulse.testkit.Eventually;
import io.pulse.testkit.KafkaBrokerExtension;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInfo;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code pulse run} says it is alive on {@code <prefix>.heartbeats}, and a consumer's
 * {@link ClusterView#onSilence} tells when it stops: crashed (its last heartbeat stays) or stopped
 * cleanly (a tombstone: it is forgotten). {@code pulse tail --heartbeats} prints them.
 */
class HeartbeatIT {
    @RegisterExtension
    static final KafkaBrokerExtension kafka = KafkaBrokerExtension.inJvm();

    private static final Duration STEP = Duration.ofSeconds(30);
    private static final Duration SILENCE = Duration.ofSeconds(2);

    @TempDir
    Path dir;

    private final List<String> told = new CopyOnWriteArrayList<>();

    @Test
    void aCrashedSidecarFallsSilent(TestInfo info) throws Exception {
        String prefix = prefix(info);
        try (PulseProcess sidecar = run(prefix);
                ClusterView view = view(prefix)) {
            String observer =
                    sidecar.awaitLine("pulse (\\S+) running: udp ", STEP).group(1);
            view.start();
            Eventually.await("a heartbeat read", () -> view.lastHeartbeat(observer), h -> h.isPresent(), STEP);
            Heartbeat last = view.lastHeartbeat(observer).orElseThrow();
            assertEquals(observer, last.getObserver());
            assertEquals(200, last.getIntervalMillis());
            assertEquals(0, last.getWatchedNodes());
            assertNull(last.getConfigurationEpoch());
            assertEquals(BuildInfo.current().version(), last.getVersion());

            try (PulseProcess tail = PulseProcess.start(
                    dir,
                    "tail",
                    "-b",
                    kafka.bootstrapServers(),
                    "--topic-prefix",
                    prefix,
                    "--heartbeats",
                    "--from-beginning",
                    "--json",
                    "--max-events",
                    "1",
                    "--timeout",
                    STEP.toSeconds() + "s")) {
                assertEquals(0, tail.awaitExit(STEP.plusSeconds(10)), tail.transcript());
                assertTrue(tail.output().startsWith("{\"event\":\"heartbeat\",\"eventId\":"), tail.transcript());
                assertTrue(tail.output().contains("\"observer\":\"" + observer + "\""), tail.transcript());
            }

            sidecar.kill();
            Eventually.await("silence after the crash", () -> told, t -> t.contains("silent after " + observer), STEP);
            assertEquals(observer, view.lastHeartbeat(observer).orElseThrow().getObserver(), "a crash leaves it");
        }
    }

    @Test
    void aSidecarStoppedCleanlyIsForgottenAndSilent(TestInfo info) throws Exception {
        String prefix = prefix(info);
        try (PulseProcess sidecar = run(prefix);
                ClusterView view = view(prefix)) {
            String observer =
                    sidecar.awaitLine("pulse (\\S+) running: udp ", STEP).group(1);
            view.start();
            Eventually.await("a heartbeat read", () -> view.lastHeartbeat(observer), h -> h.isPresent(), STEP);

            assertEquals(0, sidecar.terminate(STEP), sidecar.transcript());
            Eventually.await("the tombstone read", view::heartbeats, m -> m.isEmpty(), STEP);
            Eventually.await("silence after the stop", () -> told, t -> t.contains("silent after " + observer), STEP);
        }
    }

    private static String prefix(TestInfo info) {
        return "hb." + info.getTestMethod().orElseThrow().getName();
    }

    private PulseProcess run(String prefix) throws Exception {
        Path config = dir.resolve(prefix + ".yaml");
        Files.writeString(
                config,
                String.join(
                        "\n",
                        "node:",
                        "  bind: 127.0.0.1:0",
                        "kafka:",
                        "  bootstrap.servers: " + kafka.bootstrapServers(),
                        "  topic.prefix: " + prefix,
                        "  heartbeat.interval: 200ms",
                        "outbox.dir: " + dir.resolve(prefix + "-outbox"),
                        "http.enabled: false",
                        ""));
        return PulseProcess.start(dir, "run", "--config", config.toString());
    }

    private ClusterView view(String prefix) {
        ClusterView view = ClusterView.builder()
                .bootstrapServers(kafka.bootstrapServers())
                .topicPrefix(prefix)
                .partitionCheckInterval(Duration.ofMillis(200))
                .build();
        view.onSilence(SILENCE, new SilenceListener() {
            @Override
            public void silent(Heartbeat last) {
                told.add("silent after " + (last == null ? "none" : last.getObserver()));
            }

            @Override
            public void resumed(Heartbeat heartbeat) {
                told.add("resumed by " + heartbeat.getObserver());
            }
        });
        return view;
    }
}
