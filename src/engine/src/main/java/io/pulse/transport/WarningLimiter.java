package io.pulse.transport;

import java.util.concurrent.TimeUnit;

/**
 * Lets a repeated warning through at most once per interval, and says how many it held back in
 * between: a listener that throws on every ACK costs one log line every 10 s, not 10,000 a second.
 * Not thread-safe: one event loop owns it.
 *
 * <pre>{@code
 * long held = limiter.tryAcquire(clock.monotonicNanos());
 * if (held >= 0) LOG.log(WARNING, "listener failed" + (held > 0 ? " (" + held + " more not logged)" : ""), e);
 * }</pre>
 */
final class WarningLimiter {
    static final long DEFAULT_INTERVAL_NANOS = TimeUnit.SECONDS.toNanos(10);

    private final long intervalNanos;
    private boolean logged;
    private long lastLoggedNanos;
    private long held;

    WarningLimiter(long intervalNanos) {
        if (intervalNanos <= 0) {
            throw new IllegalArgumentException("intervalNanos must be > 0, got " + intervalNanos);
        }
        this.intervalNanos = intervalNanos;
    }

    /**
     * Called once per occurrence. Returns how many occurrences were held back since the last one
     * let through (0 or more) if this one may be logged, or -1 if it is held back too.
     */
    long tryAcquire(long nowNanos) {
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
