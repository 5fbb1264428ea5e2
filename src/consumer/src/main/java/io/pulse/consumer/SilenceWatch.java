package io.pulse.consumer;

import io.pulse.events.Heartbeat;
import java.time.Duration;
import java.time.Instant;

/**
 * One {@link ClusterView#onSilence} registration: silent when no heartbeat (from any observer, or
 * from one) was heard for the threshold, resumed by the next fresh one. No I/O and no clock of its
 * own: the view feeds it heartbeats and the time.
 *
 * <pre>{@code
 * SilenceWatch watch = new SilenceWatch(null, Duration.ofSeconds(30), listener);
 * watch.start(now);
 * watch.heard(heartbeat, now);   // each heartbeat read
 * watch.check(now);              // every poll
 * }</pre>
 *
 * A heartbeat counts as heard at its {@code sentAt}, or at its reading if that is earlier (the
 * observer's clock ahead of ours): one read late from the topic's history, or delivered late,
 * does not end a silence. Before any heartbeat, the silence runs from {@link #start}: a view that
 * reads none within the threshold of starting calls Pulse silent.
 */
final class SilenceWatch {
    // Injected
    private final String observer; // null: any observer
    private final Duration threshold;
    private final SilenceListener listener;

    // State
    private Instant lastHeard;
    private Heartbeat last;
    private boolean silent;

    SilenceWatch(String observer, Duration threshold, SilenceListener listener) {
        this.observer = observer;
        this.threshold = threshold;
        this.listener = listener;
    }

    /** The silence runs from {@code now} until a heartbeat is heard. */
    void start(Instant now) {
        lastHeard = now;
    }

    void heard(Heartbeat heartbeat, Instant now) {
        startIfNot(now);
        if (observer != null && !observer.equals(heartbeat.getObserver())) {
            return;
        }
        Instant at = heartbeat.getSentAt().isBefore(now) ? heartbeat.getSentAt() : now;
        if (at.isAfter(lastHeard)) {
            lastHeard = at;
        }
        last = heartbeat;
        if (silent && !isSilent(now)) {
            silent = false;
            listener.resumed(heartbeat);
        }
    }

    void check(Instant now) {
        startIfNot(now);
        if (!silent && isSilent(now)) {
            silent = true;
            listener.silent(last);
        }
    }

    /** A watch registered after the view started runs from its first use. */
    private void startIfNot(Instant now) {
        if (lastHeard == null) {
            lastHeard = now;
        }
    }

    boolean silent() {
        return silent;
    }

    private boolean isSilent(Instant now) {
        return Duration.between(lastHeard, now).compareTo(threshold) >= 0;
    }
}
