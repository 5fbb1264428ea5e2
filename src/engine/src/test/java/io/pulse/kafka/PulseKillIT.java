package io.pulse.kafka;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.pulse.events.EventCodec;
import io.pulse.testkit.KafkaBrokerExtension;
import io.pulse.testkit.TopicReader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.stream.LongStream;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Pulse (publisher and outbox, in a child JVM) is killed with SIGKILL in the middle of a stream
 * and started again on the same outbox: every event arrives, and exactly once after dropping
 * duplicates by event id.
 */
class PulseKillIT {
    @RegisterExtension
    static final KafkaBrokerExtension kafka = KafkaBrokerExtension.inJvm();

    static final int EVENTS = 3_000;
    static final int KILL_AFTER = 1_200;

    @TempDir
    Path dir;

    Process startPulse(Path log) throws IOException {
        List<String> command =
                new ArrayList<>(io.pulse.testkit.KafkaBrokerExtension.javaCommand("-Xmx256m", "-XX:+UseSerialGC"));
        command.addAll(List.of(
                PulseStreamMain.class.getName(),
                kafka.bootstrapServers(),
                dir.resolve("outbox").toString(),
                dir.resolve("progress").toString(),
                Integer.toString(EVENTS),
                "1000"));
        return new ProcessBuilder(command)
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()))
                .start();
    }

    long progress() throws IOException {
        Path file = dir.resolve("progress");
        return Files.exists(file) ? Files.size(file) : 0;
    }

    @Test
    void killedMidStreamAndRestartedEveryEventArrivesOnceAfterDedup() throws Exception {
        Path log = dir.resolve("pulse.log");
        Process first = startPulse(log);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (progress() < KILL_AFTER && first.isAlive() && System.nanoTime() < deadline) {
            Thread.sleep(5);
        }
        first.destroyForcibly().waitFor();
        long emittedBeforeKill = progress();
        assertTrue(
                emittedBeforeKill >= KILL_AFTER && emittedBeforeKill < EVENTS,
                () -> "killed after " + emittedBeforeKill + " events (expected: mid-stream)\n" + read(log));

        Process second = startPulse(log);
        assertTrue(second.waitFor(120, TimeUnit.SECONDS), () -> "restarted Pulse did not finish\n" + read(log));
        assertEquals(0, second.exitValue(), () -> read(log));

        Map<String, Long> incarnationById = new HashMap<>();
        List<ConsumerRecord<byte[], byte[]>> records = TopicReader.readUntil(
                kafka.bootstrapServers(),
                "kill.status",
                read -> read.size() >= EVENTS && distinctIds(read) >= EVENTS,
                Duration.ofSeconds(60));
        for (ConsumerRecord<byte[], byte[]> record : records) {
            long incarnation = EventCodec.decodeStatusChange(record.value()).getIncarnation();
            Long before = incarnationById.put(eventId(record), incarnation);
            assertTrue(
                    before == null || before == incarnation,
                    "one event id, two events: " + before + ", " + incarnation);
        }
        System.out.printf(
                "PulseKillIT: killed after %d of %d events; %d records, %d duplicates dropped by event id%n"
                        + "Pulse's output:%n%s",
                emittedBeforeKill, EVENTS, records.size(), records.size() - incarnationById.size(), read(log));
        assertEquals(EVENTS, incarnationById.size());
        assertEquals(
                LongStream.range(0, EVENTS).boxed().toList(), new ArrayList<>(new TreeSet<>(incarnationById.values())));
    }

    static String eventId(ConsumerRecord<byte[], byte[]> record) {
        return new String(record.headers().lastHeader("event-id").value(), StandardCharsets.UTF_8);
    }

    static long distinctIds(List<ConsumerRecord<byte[], byte[]>> records) {
        return records.stream().map(PulseKillIT::eventId).distinct().count();
    }

    static String read(Path log) {
        try {
            return Files.readString(log);
        } catch (IOException e) {
            return "(no log: " + e + ")";
        }
    }
}
