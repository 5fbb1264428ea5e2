package io.pulse.core;

import java.time.Instant;

/** {@link Clock#system()}: the JVM's monotonic clock and the system wall clock. */
enum SystemClock implements Clock {
    INSTANCE;

    @Override
    public long monotonicNanos() {
        return System.nanoTime();
    }

    @Override
    public long epochNanos() {
        Instant now = Instant.now();
        return now.getEpochSecond() * 1_000_000_000L + now.getNano();
    }
}
