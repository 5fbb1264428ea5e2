package io.pulse.core;

/**
 * What cluster mode did so far, as this member counts it.
 *
 * <pre>{@code
 * ClusterStats s = engine.clusterStats();
 * if (!s.joined()) log.warn("no seed answered after {} attempts", s.joinAttempts());
 * }</pre>
 *
 * @param implausibleIncarnations updates dropped for an incarnation far beyond the wall clock
 * @param refutations             times this member raised its incarnation to refute a suspicion
 * @param declaredDead            members whose suspicion timed out here first
 */
public record ClusterStats(
        int alive,
        int suspect,
        int dead,
        int left,
        boolean joined,
        long joinAttempts,
        long gossipSent,
        long gossipReceived,
        long syncsSent,
        long syncsReceived,
        long updatesReceived,
        long implausibleIncarnations,
        long refutations,
        long declaredDead,
        int pendingBroadcasts) {}
