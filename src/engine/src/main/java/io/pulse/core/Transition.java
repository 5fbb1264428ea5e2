package io.pulse.core;

import java.time.Duration;
import java.time.Instant;
import java.util.Objects;

/**
 * One transition of a node's state, as the detector decided it.
 *
 * <pre>{@code
 * engine.onStatusChange(change -> log.info("{} {} -> {}", change.node(), change.previous(), change.current()));
 * }</pre>
 *
 * A restart seen through a higher incarnation gives {@code ALIVE -> ALIVE} with
 * {@link Reason#RESTARTED}.
 *
 * @param srtt          smoothed RTT at the time, or {@code null} if never measured
 * @param clockOffset   estimated clock offset at the time, or {@code null} if never measured
 * @param declaredBy    cluster mode: the member whose word made the change (who suspected, declared
 *                      DEAD, or announced the join or leave); {@code null} for a static-mode observation
 * @param confirmations cluster mode: how many observers reported the member down (0 when not known)
 * @param change        cluster mode: the configuration the agreed change made, which names the change
 *                      (its events' ids derive from it); {@link ConfigRef#NONE} for a static-mode observation
 * @param labels        cluster mode: the member's labels; {@link Labels#NONE} otherwise
 */
public record Transition(
        NodeId node,
        Liveness previous,
        Liveness current,
        long incarnation,
        Instant at,
        Duration srtt,
        Duration clockOffset,
        long totalProbes,
        long lostProbes,
        Reason reason,
        NodeId declaredBy,
        int confirmations,
        ConfigRef change,
        Labels labels) {

    /** An observation without a configuration (static mode, or a test). */
    public Transition(
            NodeId node,
            Liveness previous,
            Liveness current,
            long incarnation,
            Instant at,
            Duration srtt,
            Duration clockOffset,
            long totalProbes,
            long lostProbes,
            Reason reason,
            NodeId declaredBy,
            int confirmations) {
        this(
                node,
                previous,
                current,
                incarnation,
                at,
                srtt,
                clockOffset,
                totalProbes,
                lostProbes,
                reason,
                declaredBy,
                confirmations,
                ConfigRef.NONE,
                Labels.NONE);
    }

    /** A static-mode observation: this detector's own, not a cluster verdict. */
    public Transition(
            NodeId node,
            Liveness previous,
            Liveness current,
            long incarnation,
            Instant at,
            Duration srtt,
            Duration clockOffset,
            long totalProbes,
            long lostProbes,
            Reason reason) {
        this(node, previous, current, incarnation, at, srtt, clockOffset, totalProbes, lostProbes, reason, null, 0);
    }

    /** True when this is a cluster member's state, decided by the group rather than by one observer. */
    public boolean clusterVerdict() {
        return !change.isNone() || declaredBy != null;
    }

    public Transition {
        Objects.requireNonNull(node, "node");
        Objects.requireNonNull(previous, "previous");
        Objects.requireNonNull(current, "current");
        Objects.requireNonNull(at, "at");
        Objects.requireNonNull(reason, "reason");
        Objects.requireNonNull(change, "change");
        Objects.requireNonNull(labels, "labels");
    }

    /** Why the state changed. */
    public enum Reason {
        /** PENDING -> ALIVE: the first ACK. */
        FIRST_CONTACT,
        /** -> SUSPECT: a whole probe round, direct and indirect, went unanswered. */
        PROBE_ROUND_FAILED,
        /** SUSPECT -> ALIVE: an ACK arrived before the suspicion timeout. */
        REFUTED,
        /** SUSPECT -> DEAD: no ACK for the whole suspicion timeout. */
        SUSPICION_TIMEOUT,
        /** DEAD -> ALIVE: a dead node answered again. */
        RECOVERED,
        /** ALIVE -> ALIVE: the node answered with a higher incarnation; it restarted. */
        RESTARTED,
        /** Cluster mode: the member joined the group (again, after LEFT). */
        JOINED,
        /** Cluster mode: the member announced a clean stop. */
        LEFT,
        /** Cluster mode: its observers found it down, and the configuration removed it. */
        UNREACHABLE,
        /** Cluster mode: it failed again within the hold-down window; held FLAPPING, not paged again. */
        FLAPPING,
        /** Cluster mode: a FLAPPING member had no failure for the hold-down window. */
        STABLE
    }
}
