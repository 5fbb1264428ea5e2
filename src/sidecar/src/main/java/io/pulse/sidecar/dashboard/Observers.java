package io.pulse.sidecar.dashboard;

import io.pulse.events.Heartbeat;
import java.util.Collection;

/**
 * Is Pulse watching? From each observer's latest heartbeat: an observer is silent when its
 * heartbeat is older than {@value #SILENT_AFTER_INTERVALS} of its own intervals; Pulse is
 * {@code live} while one observer is not, {@code silent} when all are, and {@code none} when no
 * heartbeat was ever read (publishers older than heartbeats, or heartbeats off).
 *
 * <pre>{@code
 * String state = Observers.state(view.heartbeats().values(), clock.millis());   // "live"
 * }</pre>
 */
final class Observers {
    /** Heartbeat intervals an observer may miss before it counts as silent. */
    static final int SILENT_AFTER_INTERVALS = 3;

    private Observers() {}

    static boolean silent(Heartbeat heartbeat, long nowMillis) {
        long interval = Math.max(1, heartbeat.getIntervalMillis());
        return nowMillis - heartbeat.getSentAt().toEpochMilli() > SILENT_AFTER_INTERVALS * interval;
    }

    static String state(Collection<Heartbeat> heartbeats, long nowMillis) {
        if (heartbeats.isEmpty()) {
            return "none";
        }
        return heartbeats.stream().allMatch(h -> silent(h, nowMillis)) ? "silent" : "live";
    }
}
