package io.pulse.sidecar;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.pulse.consumer.PulseConsumer;
import io.pulse.embedded.BrokerFiles;
import io.pulse.events.FailureMessage;
import io.pulse.events.NodeState;
import io.pulse.events.StatusChange;
import io.pulse.sidecar.http.BuildInfo;
import io.pulse.testkit.KafkaBrokerExtension;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Predicate;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The sidecar end to end, as an operator runs it: {@code pulse respond} and {@code pulse run}
 * as processes of their own from target/pulse.jar, a real broker, the consumer library reading
 * what {@code run} published, the HTTP API, and the {@code status}, {@code probe} and {@code tail}
 * commands against them.
 */
class SidecarIT {
    @RegisterExtension
    static final KafkaBrokerExtension kafka = KafkaBrokerExtension.inJvm();

    static final Duration STEP = Duration.ofSeconds(30);

    @TempDir
    Path dir;

    private final List<Object> received = new ArrayList<>();
    private final HttpClient http = HttpClient.newHttpClient();

    @Test
    void theJarPrintsTheVersionAndBuildTimeOfTheClasses() throws Exception {
        try (PulseProcess version = PulseProcess.start(dir, "--version")) {
            assertEquals(0, version.awaitExit(STEP), version.transcript());
            assertEquals("pulse " + BuildInfo.current().describe() + "\n", version.output());
        }
    }

    @Test
    void runPublishesAFailureWhenARespondProcessIsKilledAndServesItsApi() throws Exception {
        try (PulseProcess responder = PulseProcess.start(dir, "respond", "--bind", "127.0.0.1:0")) {
            String target = responder
                    .awaitLine("pulse responder on udp /127\\.0\\.0\\.1:(\\d+)", STEP)
                    .group(1);
            String targetId = "127.0.0.1:" + target;
            int httpPort = BrokerFiles.freePort();
            Path config = dir.resolve("pulse.yaml");
            Files.writeString(
                    config,
                    String.join(
                            "\n",
                            "node:",
                            "  bind: 127.0.0.1:0",
                            "targets:",
                            "  - " + targetId,
                            "kafka:",
                            "  bootstrap.servers: " + kafka.bootstrapServers(),
                            "outbox.dir: " + dir.resolve("outbox"),
                            "http.bind: 127.0.0.1:" + httpPort,
                            ""));
            String group = "sidecar-it-" + UUID.randomUUID();
            try (PulseProcess sidecar = PulseProcess.start(
                            dir, Map.of("PULSE_LOG_FORMAT", "json"), "run", "--config", config.toString());
                    PulseConsumer consumer = PulseConsumer.builder()
                            .bootstrapServers(kafka.bootstrapServers())
                            .groupId(group)
                            .offsetReset(PulseConsumer.OffsetReset.EARLIEST)
                            .onStatusChange(this::record)
                            .onFailure(this::record)
                            .build()) {
                String observer =
                        sidecar.awaitLine("pulse (\\S+) running: udp ", STEP).group(1);
                consumer.start();
                await(
                        "the target ALIVE",
                        StatusChange.class,
                        c -> c.getNodeId().equals(targetId)
                                && c.getPrevious() == NodeState.PENDING
                                && c.getCurrent() == NodeState.ALIVE);

                String api = "http://127.0.0.1:" + httpPort;
                HttpResponse<String> health = get(api + "/health");
                assertEquals(200, health.statusCode());
                assertTrue(
                        health.body()
                                .matches("\\{\"ok\": true, \"now\": \"\\d{4}-\\d\\d-\\d\\dT[0-9:]{8}\\.\\d{9}Z\"}"),
                        health.body());
                HttpResponse<String> status = get(api + "/status");
                assertEquals(200, status.statusCode());
                assertTrue(status.body().contains("\"node\":\"" + observer + "\""), status.body());
                assertTrue(status.body().contains("\"id\":\"" + targetId + "\",\"state\":\"ALIVE\""), status.body());
                assertEquals(200, get(api + "/status/" + targetId).statusCode());
                HttpResponse<String> unknown = get(api + "/status/127.0.0.1:1");
                assertEquals(404, unknown.statusCode());
                assertEquals("{\"error\":\"unknown node 127.0.0.1:1\"}", unknown.body());
                assertEquals(404, get(api + "/nothing").statusCode());
                String metrics = get(api + "/metrics").body();
                for (String line : new String[] {
                    "pulse_nodes{state=\"ALIVE\"} 1.0",
                    "pulse_probes_sent_total ",
                    "pulse_rtt_seconds_bucket{kind=\"PULSE\",le=",
                    "pulse_datagrams_rejected_total{reason=",
                    "pulse_outbox_pending_events ",
                    "pulse_kafka_send_errors_total "
                }) {
                    assertTrue(metrics.contains(line), line + " in\n" + metrics);
                }

                try (PulseProcess statusCommand = PulseProcess.start(dir, "status", "--api", "127.0.0.1:" + httpPort)) {
                    assertEquals(0, statusCommand.awaitExit(STEP), statusCommand.transcript());
                    assertTrue(
                            statusCommand.output().startsWith("pulse " + observer + ": 1 node(s)\n"),
                            statusCommand.output());
                    assertTrue(
                            statusCommand
                                    .output()
                                    .matches("(?s).*\n" + targetId.replace(".", "\\.") + " +ALIVE +PULSE .*"),
                            statusCommand.output());
                }
                try (PulseProcess probe = PulseProcess.start(
                        dir,
                        "probe",
                        "udp://" + targetId,
                        "--count",
                        "3",
                        "--interval",
                        "200ms",
                        "--bind",
                        "127.0.0.1:0")) {
                    assertEquals(0, probe.awaitExit(STEP), probe.transcript());
                    assertTrue(probe.output().contains("answer from " + targetId + ": probe 3, rtt "), probe.output());
                    assertTrue(probe.output().contains("3 probes, 3 answered, 0.0% loss, state ALIVE"), probe.output());
                    assertTrue(probe.output().contains("clock offset "), probe.output());
                }

                long killed = System.nanoTime();
                responder.kill();
                FailureMessage failure = await(
                        "the target's FailureMessage",
                        FailureMessage.class,
                        f -> f.getNodeId().equals(targetId));
                System.out.printf(
                        "SIGKILL to FailureMessage received: %d ms%n", (System.nanoTime() - killed) / 1_000_000);
                assertEquals(observer, failure.getObserver());
                assertEquals(io.pulse.events.NodeState.DEAD, failure.getState());
                assertTrue(failure.getLastConnected() != null, failure.toString());
                await(
                        "SUSPECT -> DEAD",
                        StatusChange.class,
                        c -> c.getNodeId().equals(targetId)
                                && c.getPrevious() == NodeState.SUSPECT
                                && c.getCurrent() == NodeState.DEAD);
                // PENDING -> ALIVE, ALIVE -> SUSPECT, SUSPECT -> DEAD and the FailureMessage, each timed to its ack
                long deadline = System.nanoTime() + STEP.toNanos();
                while (deliveries(get(api + "/metrics").body()) < 4) {
                    assertTrue(System.nanoTime() < deadline, "no publish latency for 4 events in /metrics");
                    Thread.sleep(100);
                }

                try (PulseProcess tail = PulseProcess.start(
                        dir,
                        "tail",
                        "--bootstrap-servers",
                        kafka.bootstrapServers(),
                        "--from-beginning",
                        "--max-events",
                        "4",
                        "--timeout",
                        "60s")) {
                    assertEquals(0, tail.awaitExit(Duration.ofSeconds(90)), tail.transcript());
                    String out = tail.output();
                    assertTrue(out.startsWith("TIME "), out);
                    assertTrue(
                            out.matches("(?s).*FAILURE +" + targetId.replace(".", "\\.") + " +declared DEAD +"
                                    + observer.replace(".", "\\.") + ".*"),
                            out);
                }
                try (PulseProcess tail = PulseProcess.start(
                        dir,
                        "tail",
                        "--bootstrap-servers",
                        kafka.bootstrapServers(),
                        "--from-beginning",
                        "--json",
                        "--max-events",
                        "4",
                        "--timeout",
                        "60s")) {
                    assertEquals(0, tail.awaitExit(Duration.ofSeconds(90)), tail.transcript());
                    assertTrue(
                            tail.output()
                                    .matches(
                                            "(?s).*\\{\"event\":\"failure\",\"eventId\":\"[-0-9a-f]{36}\",\"observer\":\""
                                                    + observer.replace(".", "\\.") + "\",.*\"nodeId\":\""
                                                    + targetId.replace(".", "\\.") + "\",\"state\":\"DEAD\".*"),
                            tail.output());
                }

                assertEquals(0, sidecar.terminate(Duration.ofSeconds(60)), sidecar.transcript());
                assertTrue(sidecar.output().contains("pulse " + observer + " stopping"), sidecar.output());
                assertTrue(
                        sidecar.errors().contains("\"message\":\"Pulse " + observer + " stopped;"), sidecar.errors());
                assertTrue(
                        sidecar.errors()
                                .matches("(?s).*\"message\":\"node " + targetId.replace(".", "\\.")
                                        + " SUSPECT -> DEAD \\(SUSPICION_TIMEOUT\\), incarnation \\d+, observed by "
                                        + observer.replace(".", "\\.") + "\".*"),
                        sidecar.errors());
            }
        }
        try (PulseProcess probe = PulseProcess.start(
                dir,
                "probe",
                "tcp://127.0.0.1:" + BrokerFiles.freePort(),
                "--count",
                "2",
                "--interval",
                "100ms",
                "--timeout",
                "200ms")) {
            assertEquals(1, probe.awaitExit(STEP), probe.transcript());
            assertTrue(probe.output().contains("2 probes, 0 answered, 100.0% loss"), probe.output());
        }
    }

    @Test
    void anInvalidConfigurationExitsTwoAndAnUnreachableKafkaDoesNot() throws Exception {
        Path bad = dir.resolve("bad.yaml");
        Files.writeString(bad, "node:\n  bind: 127.0.0.1:99999\n");
        try (PulseProcess run = PulseProcess.start(dir, "run", "--config", bad.toString())) {
            assertEquals(2, run.awaitExit(STEP), run.transcript());
            assertEquals(
                    "pulse: invalid configuration: " + bad + ": Invalid value 127.0.0.1:99999 for configuration "
                            + "node.bind: port must be in 0..65535\n",
                    run.errors());
        }
        int httpPort = BrokerFiles.freePort();
        try (io.pulse.transport.PulseEngine target = io.pulse.transport.PulseEngine.builder()
                        .bind(new java.net.InetSocketAddress("127.0.0.1", 0))
                        .probing(false)
                        .start();
                PulseProcess run = PulseProcess.start(
                        dir,
                        Map.of(
                                "PULSE_NODE_BIND",
                                "127.0.0.1:0",
                                "PULSE_TARGETS",
                                target.localId().toString(),
                                "PULSE_HTTP_BIND",
                                "127.0.0.1:" + httpPort,
                                "PULSE_KAFKA_BOOTSTRAP_SERVERS",
                                "127.0.0.1:" + BrokerFiles.freePort(),
                                "PULSE_KAFKA_STARTUP_TIMEOUT",
                                "1s",
                                "PULSE_KAFKA_CLOSE_TIMEOUT",
                                "1s",
                                "PULSE_OUTBOX_DIR",
                                dir.resolve("outbox-2").toString()),
                        "run")) {
            run.awaitLine("pulse \\S+ running: udp ", STEP);
            assertEquals(200, get("http://127.0.0.1:" + httpPort + "/health").statusCode());
            String metrics = "";
            long deadline = System.nanoTime() + STEP.toNanos();
            while (!metrics.contains("pulse_outbox_pending_events 1.0") && System.nanoTime() < deadline) {
                Thread.sleep(100); // the target's PENDING -> ALIVE waits in the outbox
                metrics = get("http://127.0.0.1:" + httpPort + "/metrics").body();
            }
            assertTrue(metrics.contains("pulse_outbox_pending_events 1.0"), metrics);
            assertTrue(
                    run.errors()
                            .contains(
                                    "Kafka did not answer within 1000 ms to check topics pulse.failures, "
                                            + "pulse.status and pulse.schemas; events stay in the outbox and the check is repeated"),
                    run.errors());
            assertEquals(0, run.terminate(Duration.ofSeconds(60)), run.transcript());
            assertTrue(
                    run.errors().contains("stopped; 1 event(s) published, 1 left in the outbox for the next start"),
                    run.errors());
        }
    }

    @Test
    void runWithEmbeddedKafkaStartsItsOwnBrokerAndPublishesToIt() throws Exception {
        int httpPort = BrokerFiles.freePort();
        try (PulseProcess run = PulseProcess.start(
                dir,
                "run",
                "--embedded-kafka",
                "--set",
                "node.bind=127.0.0.1:0",
                "--set",
                "http.bind=127.0.0.1:" + httpPort,
                "--set",
                "outbox.dir=" + dir.resolve("outbox-embedded"))) {
            String broker = run.awaitLine("embedded Kafka broker on (127\\.0\\.0\\.1:\\d+)", Duration.ofSeconds(60))
                    .group(1);
            run.awaitLine("pulse \\S+ running: udp ", STEP);
            assertTrue(get("http://127.0.0.1:" + httpPort + "/metrics")
                    .body()
                    .contains("pulse_outbox_pending_events 0.0"));
            try (org.apache.kafka.clients.admin.Admin admin =
                    org.apache.kafka.clients.admin.Admin.create(Map.of("bootstrap.servers", broker))) {
                // the heartbeats topic comes with the first heartbeat, on the heartbeat's own thread
                io.pulse.testkit.Eventually.await(
                        "the topics",
                        () -> {
                            try {
                                return admin.listTopics().names().get();
                            } catch (Exception e) {
                                throw new IllegalStateException(e);
                            }
                        },
                        java.util.Set.of("pulse.failures", "pulse.status", "pulse.schemas", "pulse.heartbeats")::equals,
                        STEP);
            }
            assertEquals(0, run.terminate(Duration.ofSeconds(60)), run.transcript());
        }
    }

    private HttpResponse<String> get(String uri) throws Exception {
        return http.send(
                HttpRequest.newBuilder(URI.create(uri))
                        .timeout(Duration.ofSeconds(10))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private synchronized void record(Object event) {
        received.add(event);
        notifyAll();
    }

    private synchronized <T> T await(String what, Class<T> type, Predicate<T> match) throws InterruptedException {
        long deadline = System.nanoTime() + STEP.toNanos();
        while (true) {
            for (Object event : received) {
                if (type.isInstance(event) && match.test(type.cast(event))) {
                    return type.cast(event);
                }
            }
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                throw new AssertionError(what + " not received within " + STEP + "; received " + received);
            }
            wait(Math.max(1, left / 1_000_000));
        }
    }

    /** How many events {@code pulse_publish_latency_seconds} has timed, in a /metrics page. */
    private static int deliveries(String metrics) {
        java.util.regex.Matcher count = java.util.regex.Pattern.compile(
                        "(?m)^pulse_publish_latency_seconds_count (\\d+)(\\.0)?$")
                .matcher(metrics);
        return count.find() ? Integer.parseInt(count.group(1)) : 0;
    }
}
