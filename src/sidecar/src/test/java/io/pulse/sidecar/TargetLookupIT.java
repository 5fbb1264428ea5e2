package io.pulse.sidecar;

import static org.junit.jupiter.api.Assertions.assertTrue;

import io.pulse.testkit.AcceptingService;
import io.pulse.testkit.Eventually;
import io.pulse.transport.PulseEngine;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A target given by name is probed where its name resolves now, as a pod that moved is: the jar,
 * with a hosts file as its DNS ({@code jdk.net.hosts.file}, read at every lookup, no JVM cache).
 * The name first points at {@code ::1}, where nothing listens (the target goes DEAD), then at
 * {@code 127.0.0.1}, where a pulse responder and a TCP server do (ALIVE again, without a restart),
 * then at both, {@code ::1} first (it stays where it is).
 */
class TargetLookupIT {
    static final Duration STEP = Duration.ofSeconds(30);
    static final String NAME = "moving.pulse.test";

    @TempDir
    Path dir;

    @Test
    void aTargetWhoseNameResolvesElsewhereIsProbedThereAndRecovers() throws Exception {
        Path hosts = dir.resolve("hosts");
        Files.writeString(hosts, "::1 " + NAME + "\n");
        try (PulseEngine responder = PulseEngine.builder()
                        .bind(new InetSocketAddress("127.0.0.1", 0))
                        .probing(false)
                        .start();
                AcceptingService tcp = AcceptingService.start()) {
            String udpTarget = NAME + ":" + responder.localAddress().getPort();
            String tcpTarget = NAME + ":" + tcp.port();
            List<String> command = List.of(
                    PulseProcess.java(),
                    "-Xmx256m",
                    "-Djdk.net.hosts.file=" + hosts,
                    "-Dsun.net.inetaddr.ttl=0",
                    "-jar",
                    PulseProcess.jar(),
                    "run",
                    "--set",
                    "node.bind=127.0.0.1:0",
                    "--set",
                    "http.enabled=false",
                    "--set",
                    "kafka.enabled=false",
                    "--set",
                    "detector.profile=local",
                    "--set",
                    "targets.lookup.interval=1s",
                    "--set",
                    "targets=" + udpTarget + ",tcp://" + tcpTarget);
            try (PulseProcess run = PulseProcess.command(dir, Map.of(), command)) {
                run.awaitLine("pulse \\S+ running: udp ", STEP);
                awaitLog(run, "node " + udpTarget + " SUSPECT -> DEAD");
                awaitLog(run, "node " + tcpTarget + " SUSPECT -> DEAD");

                Files.writeString(hosts, "127.0.0.1 " + NAME + "\n");
                awaitLog(run, "node " + udpTarget + " DEAD -> ALIVE");
                awaitLog(run, "node " + tcpTarget + " DEAD -> ALIVE");
                awaitLog(
                        run,
                        "target " + udpTarget + " moved from " + NAME + "/[0:0:0:0:0:0:0:1]:"
                                + responder.localAddress().getPort() + " to " + NAME + "/127.0.0.1:"
                                + responder.localAddress().getPort() + ": its name resolves there now");

                // A name with several addresses keeps the one in use while it is among them, whatever their order.
                Files.writeString(hosts, "::1 " + NAME + "\n127.0.0.1 " + NAME + "\n");
                Thread.sleep(4_000); // four lookups
                assertTrue(
                        !run.errors().contains("moved from " + NAME + "/127.0.0.1:")
                                && !run.errors().contains("node " + udpTarget + " ALIVE -> SUSPECT"),
                        run.errors());
            }
        }
    }

    private static void awaitLog(PulseProcess run, String text) throws InterruptedException {
        Eventually.await("\"" + text + "\" in the log", run::errors, log -> log.contains(text), STEP);
    }
}
