package io.pulse.transport;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

class WarningLimiterTest {
    private static final long SECOND = 1_000_000_000L;

    @Test
    void theFirstGoesThroughThenOnePerIntervalWithTheCountHeldBack() {
        WarningLimiter limiter = new WarningLimiter(10 * SECOND);

        assertEquals(0, limiter.tryAcquire(5 * SECOND));
        for (int i = 1; i <= 1_000; i++) {
            assertEquals(-1, limiter.tryAcquire(5 * SECOND + i * 9_000_000L)); // within 9 s
        }
        assertEquals(1_000, limiter.tryAcquire(15 * SECOND));
        assertEquals(-1, limiter.tryAcquire(24 * SECOND));
        assertEquals(1, limiter.tryAcquire(25 * SECOND));
        assertEquals(0, limiter.tryAcquire(60 * SECOND), "a quiet interval: nothing held back");
    }

    @Test
    void worksAcrossTheSignOfTheMonotonicClock() {
        WarningLimiter limiter = new WarningLimiter(10 * SECOND);

        assertEquals(0, limiter.tryAcquire(-3 * SECOND));
        assertEquals(-1, limiter.tryAcquire(6 * SECOND));
        assertEquals(1, limiter.tryAcquire(7 * SECOND));
    }

    @Test
    void aNonPositiveIntervalIsRefused() {
        assertThrows(IllegalArgumentException.class, () -> new WarningLimiter(0));
    }
}
