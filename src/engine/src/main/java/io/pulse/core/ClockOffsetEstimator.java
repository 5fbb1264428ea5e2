package io.pulse.core;

/**
 * The peer's wall-clock offset from ours, NTP-style, from the four timestamps of one exchange:
 * t0 request sent (our clock), t1 request received and t2 answer sent (peer's clock), t3 answer
 * received (our clock). Each exchange gives offset = ((t1 - t0) + (t2 - t3)) / 2 and
 * delay = (t3 - t0) - (t2 - t1). Of the last {@value #WINDOW} samples the one with the least
 * delay is trusted (NTP's clock filter: queuing only ever adds delay, and an asymmetric path
 * errs by at most half the delay), and its error bound is delay / 2.
 *
 * <p>A positive offset means the peer's clock is ahead of ours. Not thread-safe.
 */
final class ClockOffsetEstimator {
    static final int WINDOW = 8;

    private final long[] offsets = new long[WINDOW];
    private final long[] delays = new long[WINDOW];
    private int count;
    private int next;

    /**
     * Records one exchange. A sample with negative delay (a clock stepped mid-exchange) or with
     * timestamps so far apart that the arithmetic overflows (garbage from the wire) is dropped.
     */
    void addSample(long t0, long t1, long t2, long t3) {
        long delay;
        try {
            delay = Math.subtractExact(Math.subtractExact(t3, t0), Math.subtractExact(t2, t1));
        } catch (ArithmeticException garbage) {
            return;
        }
        if (delay < 0) {
            return;
        }
        // Halve every timestamp before combining them, so that no skew can overflow.
        long offset = t1 / 2 - t0 / 2 + t2 / 2 - t3 / 2;
        offsets[next] = offset;
        delays[next] = delay;
        next = (next + 1) % WINDOW;
        count = Math.min(count + 1, WINDOW);
    }

    boolean hasSample() {
        return count > 0;
    }

    /** Offset of the minimum-delay sample in the window; 0 when there is none. */
    long offsetNanos() {
        int best = bestIndex();
        return best < 0 ? 0 : offsets[best];
    }

    /** Half the delay of the minimum-delay sample: the true offset lies within this of the estimate. */
    long errorBoundNanos() {
        int best = bestIndex();
        return best < 0 ? -1 : delays[best] / 2;
    }

    void reset() {
        count = 0;
        next = 0;
    }

    private int bestIndex() {
        int best = -1;
        for (int i = 0; i < count; i++) {
            if (best < 0 || delays[i] < delays[best]) {
                best = i;
            }
        }
        return best;
    }
}
