package io.pulse.sidecar;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code pulse demo}, as a newcomer runs it: one command, a cluster's joins, a crash, a clean leave, a
 * rejoin, a partition and its heal, exit 0.
 */
class DemoIT {
    @TempDir
    Path dir;

    @Test
    void theDemoTellsAJoinACrashALeaveAndARejoinAndExitsZero() throws Exception {
        long start = System.nanoTime();
        try (PulseProcess demo = PulseProcess.start(dir, "demo")) {
            int code = demo.awaitExit(Duration.ofSeconds(120));
            String out = demo.output();
            assertEquals(0, code, demo.transcript());
            assertTrue(out.contains("Kafka is up on 127.0.0.1:"), out);
            assertTrue(
                    out.matches(
                            "(?s).*Dashboard \\(pulse dashboard, fed from Kafka alone\\): open http://127\\.0\\.0\\.1:\\d+/ in a browser\\..*"),
                    out);
            assertTrue(out.contains("One cluster: the members agree on every change of the membership"), out);
            assertTrue(out.matches("(?s).*STATUS +127\\.0\\.0\\.1:\\d+ +PENDING -> ALIVE .*JOINED.*"), out);
            assertTrue(out.matches("(?s).*FAILURE +127\\.0\\.0\\.1:\\d+ +declared DEAD.*"), out);
            assertTrue(out.matches("(?s).*\\] 1 FailureMessage for one crash, .*"), out);
            assertTrue(out.matches("(?s).*STATUS +127\\.0\\.0\\.1:\\d+ +ALIVE -> LEFT .*"), out);
            assertTrue(out.contains("no FailureMessage and no page."), out);
            assertTrue(out.matches("(?s).*STATUS +127\\.0\\.0\\.1:\\d+ +LEFT -> ALIVE .*JOINED.*"), out);
            assertTrue(out.contains("node-c is back"), out);
            assertTrue(out.matches("(?s).*The majority \\(node-a, node-c\\) removed node-b, .*"), out);
            assertTrue(out.matches("(?s).*STATUS +127\\.0\\.0\\.1:\\d+ +DEAD -> ALIVE .*RECOVERED.*"), out);
            assertTrue(out.contains("joined again: DEAD -> ALIVE (RECOVERED)"), out);
            assertEquals(
                    2,
                    out.lines()
                            .filter(l -> l.matches(".*FAILURE +127\\.0\\.0\\.1:\\d+ +declared DEAD.*"))
                            .count(),
                    "one FailureMessage for the crash, one for the member cut off: " + out);
            assertTrue(
                    out.contains(
                            "each node leaves the cluster and flushes its outbox to Kafka, then the broker stops."),
                    out);
            assertTrue(out.endsWith("Done.\n"), out);
            long millis = (System.nanoTime() - start) / 1_000_000;
            System.out.println("pulse demo took " + millis + " ms:\n" + out);
            assertTrue(millis < 60_000, "the demo must finish well within a minute; it took " + millis + " ms");
        }
    }
}
