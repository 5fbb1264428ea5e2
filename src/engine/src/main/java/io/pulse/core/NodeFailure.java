package io.pulse.core;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * The detector's declaration that a node is DEAD, with the evidence.
 *
 * <pre>{@code
 * engine.onFailure(f -> alert(f.node() + " dead after " + f.retryAttempts() + " retries"));
 * }</pre>
 *
 * @param retryAttempts  direct PING retries in the round that confirmed the failure
 * @param indirectPeers  the peers asked to probe the node in that round (PING_REQ)
 * @param initialContact the node's first ACK ever, or {@code null} if it never answered
 * @param lastContact    its latest ACK, or {@code null} if it never answered
 * @param srtt           the last smoothed RTT, or {@code null} if never measured
 * @param clockOffset    the last clock-offset estimate, or {@code null} if never measured
 * @param declaredBy     cluster mode: the member whose suspicion timed out first and declared the
 *                       node DEAD; {@code null} in static mode
 * @param confirmations  cluster mode: how many observers reported the member down (0 when not known)
 * @param change         cluster mode: the configuration the agreed change made (see {@link Transition#change()})
 * @param labels         cluster mode: the member's labels
 */
public record NodeFailure(
        NodeId node,
        Liveness state,
        long incarnation,
        int retryAttempts,
        List<NodeId> indirectPeers,
        Instant initialContact,
        Instant lastContact,
        Instant detectedAt,
        Duration srtt,
        Duration clockOffset,
        long totalProbes,
        long lostProbes,
        NodeId declaredBy,
        int confirmations,
        ConfigRef change,
        Labels labels) {

    /** A declaration without a configuration. */
    public NodeFailure(
            NodeId node,
            Liveness state,
            long incarnation,
            int retryAttempts,
            List<NodeId> indirectPeers,
            Instant initialContact,
            Instant lastContact,
            Instant detectedAt,
            Duration srtt,
            Duration clockOffset,
            long totalProbes,
            long lostProbes,
            NodeId declaredBy,
            int confirmations) {
        this(
                node,
                state,
                incarnation,
                retryAttempts,
                indirectPeers,
                initialContact,
                lastContact,
                detectedAt,
                srtt,
                clockOffset,
                totalProbes,
                lostProbes,
                declaredBy,
                confirmations,
                ConfigRef.NONE,
                Labels.NONE);
    }

    /** A static-mode declaration, by this detector alone. */
    public NodeFailure(
            NodeId node,
            Liveness state,
            long incarnation,
            int retryAttempts,
            List<NodeId> indirectPeers,
            Instant initialContact,
            Instant lastContact,
            Instant detectedAt,
            Duration srtt,
            Duration clockOffset,
            long totalProbes,
            long lostProbes) {
        this(
                node,
                state,
                incarnation,
                retryAttempts,
                indirectPeers,
                initialContact,
                lastContact,
                detectedAt,
                srtt,
                clockOffset,
                totalProbes,
                lostProbes,
                null,
                0);
    }

    /** True when the group decided, rather than one observer. */
    public boolean clusterVerdict() {
        return !change.isNone() || declaredBy != null;
    }

    public NodeFailure {
        Objects.requireNonNull(node, "node");
        Objects.requireNonNull(state, "state");
        Objects.requireNonNull(detectedAt, "detectedAt");
        indirectPeers = List.copyOf(indirectPeers);
        Objects.requireNonNull(change, "change");
        Objects.requireNonNull(labels, "labels");
    }
}
