package io.pulse.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import org.junit.jupiter.api.Test;

class ClockOffsetEstimatorTest {
    private static final long MS = 1_000_000L;

    /** One exchange: we send at t0 (our clock); the peer, {@code skew} ahead, holds it {@code hold}. */
    private static void exchange(ClockOffsetEstimator estimator, long t0, long skew, long out, long hold, long back) {
        long t1 = t0 + out + skew;
        long t2 = t1 + hold;
        long t3 = t0 + out + hold + back;
        estimator.addSample(t0, t1, t2, t3);
    }

    @Test
    void symmetricPathGivesTheExactSkew() {
        ClockOffsetEstimator estimator = new ClockOffsetEstimator();
        exchange(estimator, 1_000 * MS, 250 * MS, 2 * MS, 1 * MS, 2 * MS);
        assertEquals(250 * MS, estimator.offsetNanos());
        assertEquals(2 * MS, estimator.errorBoundNanos()); // delay 4 ms, bound = delay / 2
    }

    @Test
    void asymmetricDelayErrsByHalfTheAsymmetryAndStaysWithinTheBound() {
        ClockOffsetEstimator estimator = new ClockOffsetEstimator();
        long skew = -40 * MS;
        exchange(estimator, 0, skew, 9 * MS, 0, 1 * MS); // out 9 ms, back 1 ms
        // offset = skew + (out - back) / 2 = -40 + 4
        assertEquals(-36 * MS, estimator.offsetNanos());
        assertEquals(5 * MS, estimator.errorBoundNanos());
        assertTrue(Math.abs(estimator.offsetNanos() - skew) <= estimator.errorBoundNanos());
    }

    @Test
    void trustsTheMinimumDelaySampleOfTheLastEight() {
        ClockOffsetEstimator estimator = new ClockOffsetEstimator();
        long skew = 7 * MS;
        Random random = new Random(42);
        // Queuing adds up to 20 ms to one direction at random; one exchange sees a quiet path.
        for (int i = 0; i < 7; i++) {
            exchange(estimator, i * 1_000 * MS, skew, MS + random.nextInt(20) * MS, 0, MS);
        }
        exchange(estimator, 7_000 * MS, skew, MS / 2, 0, MS / 2);
        assertEquals(skew, estimator.offsetNanos());
        assertEquals(MS / 2, estimator.errorBoundNanos());
    }

    @Test
    void forgetsSamplesOlderThanTheWindow() {
        ClockOffsetEstimator estimator = new ClockOffsetEstimator();
        exchange(estimator, 0, 100 * MS, MS / 10, 0, MS / 10); // very good sample, then eight worse ones
        for (int i = 1; i <= ClockOffsetEstimator.WINDOW; i++) {
            exchange(estimator, i * 1_000 * MS, 3 * MS, 5 * MS, 0, 5 * MS);
        }
        assertEquals(3 * MS, estimator.offsetNanos());
        assertEquals(5 * MS, estimator.errorBoundNanos());
    }

    @Test
    void dropsASampleWithNegativeDelay() {
        ClockOffsetEstimator estimator = new ClockOffsetEstimator();
        estimator.addSample(0, 10 * MS, 30 * MS, 5 * MS); // peer held it longer than the round trip
        assertFalse(estimator.hasSample());
        assertEquals(-1, estimator.errorBoundNanos());
    }

    @Test
    void survivesAnEnormousSkewWithoutOverflow() {
        ClockOffsetEstimator estimator = new ClockOffsetEstimator();
        long skew = Long.MAX_VALUE / 2;
        exchange(estimator, 0, skew, MS, 0, MS);
        assertEquals(skew, estimator.offsetNanos(), 1); // each half is truncated: off by at most 1 ns
    }
}
