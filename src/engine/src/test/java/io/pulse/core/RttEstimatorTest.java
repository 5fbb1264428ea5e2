package io.pulse.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class RttEstimatorTest {
    private static final long MS = 1_000_000L;

    @Test
    void beforeAnySampleTheRtoIsOneSecond() {
        RttEstimator rtt = new RttEstimator();
        assertFalse(rtt.hasSample());
        assertEquals(-1, rtt.srttNanos());
        assertEquals(Duration.ofSeconds(1).toNanos(), rtt.rtoNanos());
    }

    @Test
    void followsRfc6298OnAKnownSequence() {
        RttEstimator rtt = new RttEstimator();

        rtt.addSample(100 * MS); // first: SRTT = R, RTTVAR = R/2, RTO = SRTT + 4 RTTVAR
        assertEquals(100 * MS, rtt.srttNanos());
        assertEquals(50 * MS, rtt.rttvarNanos());
        assertEquals(300 * MS, rtt.rtoNanos());

        rtt.addSample(200 * MS); // RTTVAR = 3/4*50 + 1/4*|100-200| = 62.5; SRTT = 7/8*100 + 1/8*200 = 112.5
        assertEquals(112_500_000, rtt.srttNanos());
        assertEquals(62_500_000, rtt.rttvarNanos());
        assertEquals(362_500_000, rtt.rtoNanos());

        rtt.addSample(100 * MS); // RTTVAR = 3/4*62.5 + 1/4*12.5 = 50; SRTT = 7/8*112.5 + 1/8*100 = 110.9375
        assertEquals(110_937_500, rtt.srttNanos());
        assertEquals(50_000_000, rtt.rttvarNanos());
        assertEquals(310_937_500, rtt.rtoNanos());
    }

    @Test
    void steadySamplesShrinkTheVarianceUntilTheGranularityBounds() {
        RttEstimator rtt = new RttEstimator();
        for (int i = 0; i < 200; i++) {
            rtt.addSample(40_000); // 40 us, a loopback RTT
        }
        assertEquals(40_000, rtt.srttNanos());
        assertEquals(0, rtt.rttvarNanos());
        assertEquals(40_000 + RttEstimator.GRANULARITY_NANOS, rtt.rtoNanos());
    }

    @Test
    void resetForgetsEverySample() {
        RttEstimator rtt = new RttEstimator();
        rtt.addSample(5 * MS);
        rtt.reset();
        assertFalse(rtt.hasSample());
        assertEquals(RttEstimator.INITIAL_RTO_NANOS, rtt.rtoNanos());
    }

    @Test
    void rejectsANegativeSample() {
        IllegalArgumentException e =
                assertThrows(IllegalArgumentException.class, () -> new RttEstimator().addSample(-1));
        assertEquals("rttNanos must be >= 0, got -1", e.getMessage());
    }
}
