package io.pulse.core;

import java.time.Duration;

/**
 * A clock that moves only when told to: for tests and for the simulated network.
 *
 * <pre>{@code
 * ManualClock clock = new ManualClock();
 * clock.advance(Duration.ofMillis(250));
 * }</pre>
 *
 * The wall clock is the monotonic clock plus a fixed offset, which a test sets to model a
 * node whose wall clock is skewed against its peers. Not thread-safe: one driver owns it.
 */
public final class ManualClock implements Clock {
    /** 2026-01-01T00:00:00Z, so that wall timestamps look like real ones in failures. */
    private static final long DEFAULT_EPOCH_NANOS = 1_767_225_600_000_000_000L;

    private long monotonicNanos;
    private long wallOffsetNanos;

    public ManualClock() {
        this(0, DEFAULT_EPOCH_NANOS);
    }

    public ManualClock(long monotonicNanos, long epochNanos) {
        this.monotonicNanos = monotonicNanos;
        this.wallOffsetNanos = epochNanos - monotonicNanos;
    }

    /** A clock on the same monotonic time as this one whose wall clock is {@code skew} ahead. */
    public Clock skewedBy(Duration skew) {
        ManualClock base = this;
        long skewNanos = skew.toNanos();
        return new Clock() {
            @Override
            public long monotonicNanos() {
                return base.monotonicNanos();
            }

            @Override
            public long epochNanos() {
                return base.epochNanos() + skewNanos;
            }
        };
    }

    @Override
    public long monotonicNanos() {
        return monotonicNanos;
    }

    @Override
    public long epochNanos() {
        return monotonicNanos + wallOffsetNanos;
    }

    public void advance(Duration duration) {
        advanceNanos(duration.toNanos());
    }

    public void advanceNanos(long nanos) {
        if (nanos < 0) {
            throw new IllegalArgumentException("nanos must be >= 0, got " + nanos);
        }
        monotonicNanos += nanos;
    }

    /** Moves to {@code monotonicNanos}; never backwards. */
    public void advanceTo(long targetNanos) {
        if (targetNanos > monotonicNanos) {
            monotonicNanos = targetNanos;
        }
    }
}
