package io.pulse.protocol;

import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLongArray;

/**
 * Counts rejected datagrams by reason. Thread-safe: the decoder increments on the event loop,
 * metrics read from anywhere.
 *
 * <pre>{@code
 * RejectCounters counters = new RejectCounters();
 * Map<RejectReason, Long> snapshot = counters.snapshot();
 * }</pre>
 */
public final class RejectCounters {
    private static final RejectReason[] REASONS = RejectReason.values();
    private final AtomicLongArray counts = new AtomicLongArray(REASONS.length);

    public void increment(RejectReason reason) {
        counts.incrementAndGet(reason.ordinal());
    }

    public long count(RejectReason reason) {
        return counts.get(reason.ordinal());
    }

    public long total() {
        long total = 0;
        for (int i = 0; i < REASONS.length; i++) {
            total += counts.get(i);
        }
        return total;
    }

    /** Every reason with its count, zeros included. */
    public Map<RejectReason, Long> snapshot() {
        Map<RejectReason, Long> snapshot = new EnumMap<>(RejectReason.class);
        for (RejectReason reason : REASONS) {
            snapshot.put(reason, counts.get(reason.ordinal()));
        }
        return snapshot;
    }
}
