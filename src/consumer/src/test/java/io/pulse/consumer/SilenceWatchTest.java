package io.pulse.consumer;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.pulse.events.Heartbeat;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** Silence and its end on a clock the test moves: no sleeps. */
class SilenceWatchTest {
    private static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");
    private static final Duration THRESHOLD = Duration.ofSeconds(30);

    private final List<String> told = new ArrayList<>();
    private final SilenceListener listener = new SilenceListener() {
        @Override
        public void silent(Heartbeat last) {
            told.add("silent after " + (last == null ? "none" : last.getObserver() + "#" + last.getSequence()));
        }

        @Override
        public void resumed(Heartbeat heartbeat) {
            told.add("resumed by " + heartbeat.getObserver() + "#" + heartbeat.getSequence());
        }
    };

    static Heartbeat beat(String observer, long sequence, Instant sentAt) {
        return Heartbeat.newBuilder()
                .setEventId(new UUID(0, sequence))
                .setObserver(observer)
                .setSentAt(sentAt)
                .setStartedAt(T0)
                .setSequence(sequence)
                .setIntervalMillis(10_000)
                .build();
    }

    @Test
    void silentOnceAtTheThresholdAndResumedOnceByTheNextHeartbeat() {
        SilenceWatch watch = new SilenceWatch(null, THRESHOLD, listener);
        watch.start(T0);
        watch.heard(beat("a", 1, T0.plusSeconds(10)), T0.plusSeconds(10));
        watch.check(T0.plusSeconds(39));
        assertEquals(List.of(), told);

        watch.check(T0.plusSeconds(40));
        watch.check(T0.plusSeconds(50));
        assertEquals(List.of("silent after a#1"), told);

        watch.heard(beat("b", 7, T0.plusSeconds(60)), T0.plusSeconds(60));
        watch.heard(beat("b", 8, T0.plusSeconds(70)), T0.plusSeconds(70));
        assertEquals(List.of("silent after a#1", "resumed by b#7"), told);
    }

    @Test
    void withoutAnyHeartbeatTheSilenceRunsFromTheStart() {
        SilenceWatch watch = new SilenceWatch(null, THRESHOLD, listener);
        watch.start(T0);
        watch.check(T0.plusSeconds(29));
        watch.check(T0.plusSeconds(30));
        assertEquals(List.of("silent after none"), told);
    }

    @Test
    void aStaleHeartbeatNeitherDelaysNorEndsASilence() {
        SilenceWatch watch = new SilenceWatch(null, THRESHOLD, listener);
        watch.start(T0);
        // read from the topic's history at start: sent long before
        watch.heard(beat("a", 1, T0.minusSeconds(3_600)), T0);
        watch.check(T0.plusSeconds(30));
        // delivered late, after the silence began: sent 35 s ago
        watch.heard(beat("a", 2, T0.plusSeconds(5)), T0.plusSeconds(40));
        assertEquals(List.of("silent after a#1"), told);
    }

    @Test
    void anObserverAheadOfOurClockCountsAsHeardWhenRead() {
        SilenceWatch watch = new SilenceWatch(null, THRESHOLD, listener);
        watch.start(T0);
        watch.heard(beat("a", 1, T0.plusSeconds(3_600)), T0.plusSeconds(10));
        watch.check(T0.plusSeconds(39));
        watch.check(T0.plusSeconds(40));
        assertEquals(List.of("silent after a#1"), told);
    }

    @Test
    void aWatchOfOneObserverHearsThatObserverAlone() {
        SilenceWatch watch = new SilenceWatch("a", THRESHOLD, listener);
        watch.start(T0);
        watch.heard(beat("a", 1, T0.plusSeconds(5)), T0.plusSeconds(5));
        watch.heard(beat("b", 1, T0.plusSeconds(20)), T0.plusSeconds(20));
        watch.check(T0.plusSeconds(35));
        watch.heard(beat("b", 2, T0.plusSeconds(36)), T0.plusSeconds(36));
        watch.heard(beat("a", 2, T0.plusSeconds(37)), T0.plusSeconds(37));
        assertEquals(List.of("silent after a#1", "resumed by a#2"), told);
    }

    @Test
    void aWatchNeverStartedRunsFromItsFirstUse() {
        SilenceWatch watch = new SilenceWatch(null, THRESHOLD, listener);
        watch.check(T0);
        watch.check(T0.plusSeconds(29));
        watch.check(T0.plusSeconds(30));
        assertEquals(List.of("silent after none"), told);
    }
}
