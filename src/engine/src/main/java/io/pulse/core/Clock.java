package io.pulse.core;

import java.time.Instant;

/**
 * The time source the detector runs on: a monotonic clock for timeouts and RTTs, and a wall
 * clock for timestamps that cross the wire.
 *
 * <pre>{@code
 * Clock clock = Clock.system();
 * long started = clock.monotonicNanos();
 * }</pre>
 *
 * Tests inject a {@link ManualClock} and advance it by hand; nothing in the core sleeps or reads
 * {@code System.nanoTime()} directly.
 */
public interface Clock {

    /** Monotonic nanoseconds with an arbitrary origin; only differences are meaningful. */
    long monotonicNanos();

    /** Wall-clock nanoseconds since the Unix epoch (UTC). */
    long epochNanos();

    /** The wall clock as an {@link Instant}. */
    default Instant now() {
        long nanos = epochNanos();
        return Instant.ofEpochSecond(Math.floorDiv(nanos, 1_000_000_000L), Math.floorMod(nanos, 1_000_000_000L));
    }

    /** The process's clocks: {@code System.nanoTime()} and the system wall clock. */
    static Clock system() {
        return SystemClock.INSTANCE;
    }
}
