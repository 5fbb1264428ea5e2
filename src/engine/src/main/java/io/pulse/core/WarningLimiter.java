package io.pulse.core;

import java.util.concurrent.TimeUnit;

/**
 * Lets a repeated warning through at most once per interval, and says how many it held back in
 * between: a listener that throws on every ACK costs one log line every 10 s, not 10,000 a second.
 * The one rate limit on log lines in Pulse: the engine's listener warnings, the publisher's send,
 * stall and drop warnings all ask one of these. Pure: it logs nothing and reads no clock, the
 * caller passes the time and writes the line. Thread-safe, for warnings raised by several
 * threads (the publisher's callers and its producer's I/O thread).
 *
 * <pre>{@code
 * WarningLimiter limiter = new WarningLimiter(WarningLimiter.DEFAULT_INTERVAL_NANOS);
 * long held = limiter.tryAcquire(clock.monotonicNanos());
 * if (held >= 0) LOG.log(WARNING, "listener failed" + (held > 0 ? " (" + held + " more not logged)" : ""), e);
 * }</pre>
 */
public final class WarningLimiter {
    /** 10 s: a repeated warning still shows within seconds, a storm of them costs a few lines a minute. */
    public static final long DEFAULT_INTERVAL_NANOS = TimeUnit.SECONDS.toNanos(10);

    private final long intervalNanos;
    private boolean logged;
    private long lastLoggedNanos;
    private long held;

    public WarningLimiter(long intervalNanos) {
        if (intervalNanos <= 0) {
            throw new IllegalArgumentException("intervalNanos must be > 0, got " + intervalNanos);
        }
        this.intervalNanos = intervalNanos;
    }

    /** The interval this limiter lets one warning through per. */
    public long intervalNanos() {
        return intervalNanos;
    }

    /**
     * Called once per occurrence, with the monotonic time in nanoseconds. Returns how many
     * occurrences were held back since the last one let through (0 or more) if this one may be
     * logged, or -1 if it is held back too. The first occurrence is always let through.
     */
    public synchronized long tryAcquire(long nowNanos) {
        if (logged && nowNanos - lastLoggedNanos < intervalNanos) {
            held++;
            return -1;
        }
        logged = true;
        lastLoggedNanos = nowNanos;
        long heldBack = held;
        held = 0;
        return heldBack;
    }
}
