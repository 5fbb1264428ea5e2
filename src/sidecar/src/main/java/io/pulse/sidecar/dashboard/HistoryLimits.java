package io.pulse.sidecar.dashboard;

import java.time.Duration;

/**
 * How much history the dashboard keeps in memory: events older than {@code window} are dropped,
 * and beyond {@code maxEvents} the oldest go first, whichever bound is reached first.
 *
 * <pre>{@code
 * HistoryLimits limits = new HistoryLimits(Duration.ofMinutes(30), 50_000);
 * }</pre>
 *
 * @param window    how far back the timeline reaches, at least 1 s and at most 7 days
 * @param maxEvents events held at most, 1 to 10,000,000 (about 630 bytes of heap each with its evidence)
 */
public record HistoryLimits(Duration window, int maxEvents) {
    public static final Duration DEFAULT_WINDOW = Duration.ofHours(1);
    public static final int DEFAULT_MAX_EVENTS = 100_000;
    static final Duration MAX_WINDOW = Duration.ofDays(7);
    static final int MAX_EVENTS_LIMIT = 10_000_000;

    public HistoryLimits {
        if (window == null || window.compareTo(Duration.ofSeconds(1)) < 0 || window.compareTo(MAX_WINDOW) > 0) {
            throw new IllegalArgumentException("window: got " + window + " (expected: 1s to 7d)");
        }
        if (maxEvents < 1 || maxEvents > MAX_EVENTS_LIMIT) {
            throw new IllegalArgumentException(
                    "maxEvents: got " + maxEvents + " (expected: 1 to " + MAX_EVENTS_LIMIT + ")");
        }
    }

    public static HistoryLimits defaults() {
        return new HistoryLimits(DEFAULT_WINDOW, DEFAULT_MAX_EVENTS);
    }
}
