package io.pulse.core;

import java.net.InetSocketAddress;
import java.util.LinkedHashSet;
import java.util.Set;

/**
 * One suspicion of a member at one incarnation, with Lifeguard's shrinking timeout: it starts at
 * {@code max} and falls towards {@code min} as independent suspicions arrive, as
 * {@code max - (max - min) * log(C + 1) / log(K + 1)} for C confirmations of K expected
 * (Dadgar et al., "Lifeguard", 2018, section IV.B; memberlist's suspicion.go).
 */
final class Suspicion {
    final long incarnation;
    final long startNanos;
    private final Set<InetSocketAddress> suspecters = new LinkedHashSet<>();
    private final int expected;
    private final long minNanos;
    private final long maxNanos;
    TimerQueue.Timer timer;

    Suspicion(long incarnation, long startNanos, InetSocketAddress first, int expected, long minNanos, long maxNanos) {
        this.incarnation = incarnation;
        this.startNanos = startNanos;
        this.expected = expected;
        this.minNanos = minNanos;
        this.maxNanos = Math.max(minNanos, maxNanos);
        suspecters.add(first);
    }

    /** Counts {@code from} as a confirmation; false if it had suspected already. */
    boolean confirm(InetSocketAddress from) {
        return suspecters.add(from);
    }

    boolean suspectedBy(InetSocketAddress member) {
        return suspecters.contains(member);
    }

    /** Distinct members that suspected, the first included. */
    int suspecters() {
        return suspecters.size();
    }

    long deadlineNanos() {
        return startNanos + timeoutNanos(suspecters.size() - 1, expected, minNanos, maxNanos);
    }

    static long timeoutNanos(int confirmations, int expected, long minNanos, long maxNanos) {
        if (expected < 1) {
            return minNanos;
        }
        double fraction = Math.log(Math.min(confirmations, expected) + 1.0) / Math.log(expected + 1.0);
        long timeout = maxNanos - Math.round((maxNanos - minNanos) * fraction);
        return Math.max(minNanos, timeout);
    }
}
