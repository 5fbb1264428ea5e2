package io.pulse.consumer;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The event ids seen most recently, at most {@code capacity} of them: the oldest is forgotten
 * first. A duplicate that arrives after {@code capacity} newer events is not recognised; Pulse's
 * duplicates (producer retries, outbox replay after a restart) arrive within a few batches.
 * Not thread-safe.
 */
final class RecentIds {
    private final Map<String, Boolean> ids;

    RecentIds(int capacity) {
        if (capacity < 1) {
            throw new IllegalArgumentException("dedupCapacity must be >= 1, got " + capacity);
        }
        this.ids = new LinkedHashMap<>(Math.min(capacity, 1 << 16), 0.75f, true) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<String, Boolean> eldest) {
                return size() > capacity;
            }
        };
    }

    /** True if {@code id} is new (and remembers it); false if it was seen recently. */
    boolean firstSighting(String id) {
        return ids.put(id, Boolean.TRUE) == null;
    }

    int size() {
        return ids.size();
    }
}
