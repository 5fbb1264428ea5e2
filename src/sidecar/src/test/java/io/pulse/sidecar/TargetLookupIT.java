package io.pulse.sidecar;

import static org.junit.jupiter.api.Assertions.assertTrue;

import io.pulse.transport.PulseEngine;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
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
                ServerSocket tcp = new ServerSocket(0, 50, InetAddress.getByName("127.0.0.1"))) {
            Thread acceptor = new Thread(() -> acceptAndClose(tcp), "tcp-target");
            acceptor.setDaemon(true);
            acceptor.start();
            String udpTarget = NAME + ":" + responder.localAddress().getPort();
            String tcpTarget = NAME + ":" + tcp.getLocalPort();
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
        Pattern line = Pattern.compile(Pattern.quote(text));
        long deadline = System.nanoTime() + STEP.toNanos();
        while (!line.matcher(run.errors()).find()) {
            assertTrue(System.nanoTime() < deadline, "no \"" + text + "\" in\n" + run.transcript());
            Thread.sleep(100);
        }
    }

    private static void acceptAndClose(ServerSocket server) {
        while (!server.isClosed()) {
            try (Socket ignored = server.accept()) {
                // a TCP target is alive when it accepts
            } catch (java.io.IOException e) {
                return;
            }
        }
    }
}
