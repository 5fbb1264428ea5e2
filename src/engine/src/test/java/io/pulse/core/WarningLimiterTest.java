package io.pulse.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicLong;
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
    void threadsRacingForOneIntervalLetExactlyOneThrough() throws Exception {
        WarningLimiter limiter = new WarningLimiter(10 * SECOND);
        int threads = 4;
        int each = 10_000;
        AtomicLong through = new AtomicLong();
        CountDownLatch go = new CountDownLatch(1);
        List<Thread> racers = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            Thread racer = new Thread(() -> {
                try {
                    go.await();
                } catch (InterruptedException e) {
                    return;
                }
                for (int i = 0; i < each; i++) {
                    if (limiter.tryAcquire(SECOND) >= 0) {
                        through.incrementAndGet();
                    }
                }
            });
            racer.start();
            racers.add(racer);
        }
        go.countDown();
        for (Thread racer : racers) {
            racer.join();
        }

        assertEquals(1, through.get());
        assertEquals(threads * each - 1, limiter.tryAcquire(11 * SECOND), "every other one held back and counted");
    }

    @Test
    void aNonPositiveIntervalIsRefused() {
        assertThrows(IllegalArgumentException.class, () -> new WarningLimiter(0));
    }
}
