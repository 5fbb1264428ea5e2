package io.pulse.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** The token buckets on unasked-for answers, driven by a {@link ManualClock}: exact counts, no sleeps. */
class AnswerLimitsTest {
    private static final InetSocketAddress A = address(1);
    private static final InetSocketAddress B = address(2);

    private final ManualClock clock = new ManualClock();

    private static InetSocketAddress address(int n) {
        try {
            return new InetSocketAddress(
                    InetAddress.getByAddress(new byte[] {10, (byte) (n >> 16), (byte) (n >> 8), (byte) n}), 7946);
        } catch (UnknownHostException e) {
            throw new AssertionError(e);
        }
    }

    /** How many of {@code times} answers to {@code from}, all at the clock's present time, are allowed. */
    private int allowed(AnswerLimits limits, InetSocketAddress from, int times) {
        int allowed = 0;
        for (int i = 0; i < times; i++) {
            if (limits.allow(from, clock.monotonicNanos())) {
                allowed++;
            }
        }
        return allowed;
    }

    @Test
    void aNewSourceGetsOneSecondsWorthAtOnceThenNothing() {
        AnswerLimits limits = new AnswerLimits(10, 1_000);

        assertEquals(10, allowed(limits, A, 25));
        assertEquals(15, limits.limited());
    }

    @Test
    void aMembersAnswersDrawOnItsOwnBucketAloneNeverOnTheOneForAll() {
        AnswerLimits limits = new AnswerLimits(10, 15);
        assertEquals(10, allowed(limits, A, 10));
        assertEquals(5, allowed(limits, B, 10), "the bucket for all is empty after 15");
        int member = 0;
        for (int i = 0; i < 20; i++) {
            member += limits.allow(address(3), clock.monotonicNanos(), true) ? 1 : 0;
        }
        assertEquals(10, member, "a member gets its own second's worth, and no more");
    }

    @Test
    void tokensComeBackAtTheRatePerSecond() {
        AnswerLimits limits = new AnswerLimits(10, 1_000);
        assertEquals(10, allowed(limits, A, 10));

        clock.advance(Duration.ofMillis(50)); // half a token
        assertFalse(limits.allow(A, clock.monotonicNanos()));
        clock.advance(Duration.ofMillis(50)); // the other half: a refusal costs no token
        assertTrue(limits.allow(A, clock.monotonicNanos()));
        assertFalse(limits.allow(A, clock.monotonicNanos()));

        clock.advance(Duration.ofMillis(300));
        assertEquals(3, allowed(limits, A, 10));
        assertEquals(1 + 1 + 7, limits.limited());
    }

    @Test
    void aQuietSourceSavesUpOneSecondsWorthAtMost() {
        AnswerLimits limits = new AnswerLimits(10, 1_000);
        assertEquals(10, allowed(limits, A, 10));

        clock.advance(Duration.ofHours(1));

        assertEquals(10, allowed(limits, A, 20));
    }

    @Test
    void sourcesHaveBucketsOfTheirOwn() {
        AnswerLimits limits = new AnswerLimits(10, 1_000);
        assertEquals(10, allowed(limits, A, 20));

        assertEquals(10, allowed(limits, B, 20), "A's flood costs B nothing");
        assertEquals(20, limits.limited());
    }

    @Test
    void allSourcesTogetherGetTheTotalAndARefusedSourceTokenIsSpent() {
        AnswerLimits limits = new AnswerLimits(5, 8);
        assertEquals(5, allowed(limits, A, 5));

        assertEquals(3, allowed(limits, B, 5), "only 3 of the total's 8 left");
        assertEquals(2, limits.limited());

        // B's own bucket paid for its 5 attempts, the total for 3: after 200 ms B has 1 token again,
        // and the total 8 * 0.2 = 1.6, so one more answer goes out, to anyone.
        clock.advance(Duration.ofMillis(200));
        assertTrue(limits.allow(B, clock.monotonicNanos()));
        assertFalse(limits.allow(A, clock.monotonicNanos()), "A has a token, the total has 0.6");
    }

    @Test
    void pastMaxSourcesNewSourcesShareOneBucketUntilIdleOnesAreForgotten() {
        AnswerLimits limits = new AnswerLimits(2, 1_000_000);
        for (int i = 0; i < AnswerLimits.MAX_SOURCES; i++) {
            assertTrue(limits.allow(address(1_000 + i), clock.monotonicNanos()));
        }
        // Every tracked source is busy (one token of two used): the newcomers share the crowd's bucket.
        InetSocketAddress x = address(100);
        InetSocketAddress y = address(101);
        assertTrue(limits.allow(x, clock.monotonicNanos()));
        assertTrue(limits.allow(y, clock.monotonicNanos()));
        assertFalse(limits.allow(x, clock.monotonicNanos()));
        assertFalse(limits.allow(address(102), clock.monotonicNanos()));
        assertEquals(2, limits.limited());

        // A second later every bucket is full again, so idle sources are forgotten and a newcomer
        // gets a bucket of its own.
        clock.advance(Duration.ofSeconds(1));
        InetSocketAddress w = address(103);
        assertEquals(2, allowed(limits, w, 3));
        assertEquals(3, limits.limited());
    }

    @Test
    void limitsOutsideOneToTheTotalAreRefusedWithTheRule() {
        IllegalArgumentException zero = assertThrows(IllegalArgumentException.class, () -> new AnswerLimits(0, 10));
        assertEquals(
                "answer limits 0 per source and 10 in all (expected: 1 <= per source <= in all)", zero.getMessage());

        IllegalArgumentException inverted =
                assertThrows(IllegalArgumentException.class, () -> new AnswerLimits(20, 10));
        assertEquals(
                "answer limits 20 per source and 10 in all (expected: 1 <= per source <= in all)",
                inverted.getMessage());
    }
}
