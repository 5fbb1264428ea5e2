package io.pulse.sidecar.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.pulse.core.ClusterConfig;
import io.pulse.kafka.PublisherStats;
import io.pulse.transport.PulseEngine;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** What {@code /ready} says, and why, with the time and the publisher's counters set by hand. */
class ReadinessTest {
    private final AtomicLong nanos = new AtomicLong(1_000_000_000L);
    private final AtomicReference<PublisherStats> stats = new AtomicReference<>(stats(0, 0, 0));
    private PulseEngine engine;

    private static PublisherStats stats(long acknowledged, long pending, long pendingBytes) {
        return new PublisherStats(
                acknowledged + pending, acknowledged, 0, 0, 0, pending, pendingBytes, 1_000, 0, 0, 0, 0);
    }

    private PulseEngine engine() {
        engine = PulseEngine.builder()
                .bind(new InetSocketAddress("127.0.0.1", 0))
                .start();
        return engine;
    }

    @AfterEach
    void close() {
        if (engine != null) {
            engine.close();
        }
    }

    @Test
    void readyWhileKafkaKeepsUpAndNotWhenItAcknowledgesNothingForThirtySeconds() {
        Readiness readiness = new Readiness(engine(), stats::get, nanos::get);
        assertTrue(readiness.ready());
        stats.set(stats(0, 5, 100));
        assertTrue(readiness.ready(), "events wait: not yet a stall");
        nanos.addAndGet(Readiness.KAFKA_STALL.toNanos() - 1);
        assertTrue(readiness.ready());
        nanos.addAndGet(1);
        assertEquals(List.of("Kafka has acknowledged none of 5 waiting events for 30 s"), readiness.reasons());
        stats.set(stats(3, 2, 40));
        assertTrue(readiness.ready(), "an acknowledgement is progress");
    }

    @Test
    void notReadyWithTheOutboxNearlyFull() {
        Readiness readiness = new Readiness(engine(), stats::get, nanos::get);
        stats.set(stats(10, 7, 900));
        assertEquals(List.of("the outbox holds 900 of 1000 bytes"), readiness.reasons());
    }

    @Test
    void withoutAPublisherOnlyTheClusterCounts() {
        Readiness readiness = new Readiness(engine(), () -> null, nanos::get);
        assertTrue(readiness.ready());
    }

    @Test
    void aMemberThatHasNotJoinedIsNotReady() {
        PulseEngine member = engine();
        member.startCluster(ClusterConfig.defaults(), null, List.of("127.0.0.1:9")); // nobody answers there
        Readiness readiness = new Readiness(member, () -> null, nanos::get);
        assertEquals(List.of("not in the cluster (JOINING)"), readiness.reasons());
        nanos.addAndGet(Duration.ofMinutes(1).toNanos());
        assertEquals(false, readiness.ready());
    }
}
