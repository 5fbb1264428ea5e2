package io.pulse.kafka;

import io.pulse.core.Liveness;
import io.pulse.core.NodeFailure;
import io.pulse.core.NodeId;
import io.pulse.core.Transition;
import io.pulse.events.ChangeReason;
import io.pulse.events.EventType;
import io.pulse.events.FailureMessage;
import io.pulse.events.NodeState;
import io.pulse.events.StatusChange;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.UUID;

/**
 * Turns the detector's events into the Avro records Pulse publishes, stamped with the observer
 * (which Pulse instance decided) and the cluster name.
 *
 * <pre>{@code
 * EventMapper mapper = new EventMapper("10.0.0.1:7946", "prod-eu");
 * io.pulse.events.StatusChange record = mapper.statusChange(change);
 * byte[] value = EventCodec.encode(record);
 * }</pre>
 *
 * Event ids: a static-mode observation's id comes from its observer, node, incarnation, time and
 * transition, so each observer's events are its own; a cluster verdict's
 * ({@link Transition#clusterVerdict()}) from cluster, agreed configuration, node and state
 * alone, so that the rare double declaration collapses in consumers' dedup.
 *
 * <p>Durations become microseconds ({@code srttMicros}, {@code clockOffsetMicros}); instants keep
 * millisecond precision ({@code timestamp-millis}). Thread-safe: it holds no mutable state.
 */
public final class EventMapper {
    private final String observer;
    private final String cluster;

    /**
     * @param observer the deciding Pulse instance, non-empty
     * @param cluster  the cluster name, or {@code null} for none
     */
    public EventMapper(String observer, String cluster) {
        Objects.requireNonNull(observer, "observer");
        if (observer.isEmpty()) {
            throw new IllegalArgumentException("observer must not be empty");
        }
        this.observer = observer;
        this.cluster = cluster;
    }

    public String observer() {
        return observer;
    }

    public StatusChange statusChange(Transition change) {
        Objects.requireNonNull(change, "change");
        String node = change.node().toString();
        String detail = change.previous() + ">" + change.current() + ":" + change.reason();
        return StatusChange.newBuilder()
                .setEventId(
                        change.clusterVerdict()
                                ? EventIds.ofVerdict(
                                        EventType.STATUS_CHANGE,
                                        cluster,
                                        change.change(),
                                        node,
                                        change.current().name())
                                : EventIds.of(
                                        EventType.STATUS_CHANGE,
                                        observer,
                                        node,
                                        change.incarnation(),
                                        change.at(),
                                        detail))
                .setObserver(observer)
                .setCluster(cluster)
                .setNodeId(node)
                .setPrevious(state(change.previous()))
                .setCurrent(state(change.current()))
                .setIncarnation(change.incarnation())
                .setAt(millis(change.at()))
                .setSrttMicros(micros(change.srtt()))
                .setTotalProbes(change.totalProbes())
                .setLostProbes(change.lostProbes())
                .setClockOffsetMicros(micros(change.clockOffset()))
                .setReason(ChangeReason.valueOf(change.reason().name()))
                .setDeclaredBy(
                        change.declaredBy() == null ? null : change.declaredBy().toString())
                .setConfirmations(change.confirmations())
                .setLabels(new java.util.LinkedHashMap<>(change.labels().asMap()))
                .setConfigurationEpoch(
                        change.change().isNone() ? null : change.change().epoch())
                .build();
    }

    public FailureMessage failure(NodeFailure failure) {
        Objects.requireNonNull(failure, "failure");
        String node = failure.node().toString();
        List<String> peers = new ArrayList<>(failure.indirectPeers().size());
        for (NodeId peer : failure.indirectPeers()) {
            peers.add(peer.toString());
        }
        return FailureMessage.newBuilder()
                .setEventId(
                        failure.clusterVerdict()
                                ? EventIds.ofVerdict(
                                        EventType.FAILURE,
                                        cluster,
                                        failure.change(),
                                        node,
                                        failure.state().name())
                                : EventIds.of(
                                        EventType.FAILURE,
                                        observer,
                                        node,
                                        failure.incarnation(),
                                        failure.detectedAt(),
                                        failure.state().name()))
                .setObserver(observer)
                .setCluster(cluster)
                .setNodeId(node)
                .setState(state(failure.state()))
                .setIncarnation(failure.incarnation())
                .setRetryAttempts(failure.retryAttempts())
                .setIndirectPeers(peers)
                .setInitialConnect(millis(failure.initialContact()))
                .setLastConnected(millis(failure.lastContact()))
                .setDetectedAt(millis(failure.detectedAt()))
                .setSrttMicros(micros(failure.srtt()))
                .setClockOffsetMicros(micros(failure.clockOffset()))
                .setTotalProbes(failure.totalProbes())
                .setLostProbes(failure.lostProbes())
                .setDeclaredBy(
                        failure.declaredBy() == null
                                ? null
                                : failure.declaredBy().toString())
                .setConfirmations(failure.confirmations())
                .setLabels(new java.util.LinkedHashMap<>(failure.labels().asMap()))
                .setConfigurationEpoch(
                        failure.change().isNone() ? null : failure.change().epoch())
                .build();
    }

    /** The id of the tombstone that says {@code node} was removed at {@code removedAt}. */
    public UUID removalEventId(NodeId node, Instant removedAt) {
        Objects.requireNonNull(node, "node");
        Objects.requireNonNull(removedAt, "removedAt");
        return EventIds.of(EventType.NODE_REMOVED, observer, node.toString(), 0, removedAt, "");
    }

    private static NodeState state(Liveness state) {
        return NodeState.valueOf(state.name());
    }

    /** Truncated to what {@code timestamp-millis} carries, so a decoded record equals the encoded one. */
    private static Instant millis(Instant instant) {
        return instant == null ? null : Instant.ofEpochMilli(instant.toEpochMilli());
    }

    private static Long micros(Duration duration) {
        if (duration == null) {
            return null;
        }
        return Math.addExact(Math.multiplyExact(duration.getSeconds(), 1_000_000L), duration.getNano() / 1_000);
    }
}
