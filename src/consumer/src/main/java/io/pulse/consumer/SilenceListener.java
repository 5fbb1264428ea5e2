package io.pulse.consumer;

import io.pulse.events.Heartbeat;

/**
 * Told when Pulse falls silent and when it speaks again, by {@link ClusterView#onSilence}.
 *
 * <pre>{@code
 * view.onSilence(Duration.ofSeconds(30), new SilenceListener() {
 *     public void silent(Heartbeat last) { pager.page("Pulse is silent: no heartbeat for 30 s"); }
 *     public void resumed(Heartbeat heartbeat) { pager.resolve("Pulse is back: " + heartbeat.getObserver()); }
 * });
 * }</pre>
 *
 * Both run on the view's thread, in turn: {@code silent} once when the silence reaches its
 * threshold, {@code resumed} once when a fresh heartbeat ends it.
 */
@FunctionalInterface
public interface SilenceListener {
    /**
     * No heartbeat for the threshold.
     *
     * @param last the latest heartbeat read before the silence, or null if the view read none
     */
    void silent(Heartbeat last);

    /** A fresh heartbeat after {@link #silent}: Pulse is back. */
    default void resumed(Heartbeat heartbeat) {}
}
