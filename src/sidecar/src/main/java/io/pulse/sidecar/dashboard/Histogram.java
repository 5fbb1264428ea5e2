package io.pulse.sidecar.dashboard;

import java.util.Map;

/**
 * The timeline's bars: events per bucket of {@code bucketMillis} from {@code startMillis}, per kind
 * (the state a change went to, {@code FAILURE} or {@code REMOVED}).
 */
record Histogram(long startMillis, long bucketMillis, Map<String, long[]> perKind, int buckets) {
    void count(Entry entry) {
        long index = (entry.atMillis() - startMillis) / bucketMillis;
        if (entry.atMillis() >= startMillis && index < buckets) {
            perKind.computeIfAbsent(kind(entry), k -> new long[buckets])[(int) index]++;
        }
    }

    static String kind(Entry entry) {
        if (entry.status() != null) {
            return entry.status().getCurrent().name();
        }
        return entry.failure() != null ? "FAILURE" : "REMOVED";
    }
}
