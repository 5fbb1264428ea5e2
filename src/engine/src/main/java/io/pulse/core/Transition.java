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
 * @param confirmations cluster mode: how many members independently suspected the node (0 otherwise)
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
        int confirmations) {

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
        return declaredBy != null;
    }

    public Transition {
        Objects.requireNonNull(node, "node");
        Objects.requireNonNull(previous, "previous");
        Objects.requireNonNull(current, "current");
        Objects.requireNonNull(at, "at");
        Objects.requireNonNull(reason, "reason");
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
        LEFT
    }
}
