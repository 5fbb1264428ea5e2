package io.pulse.core;

import java.net.InetSocketAddress;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/** One watched node inside the {@link Detector}: its state, statistics and probe round. */
final class Target {

    /** One probe round in flight: the direct PING, its retries and the indirect probes. */
    static final class Round {
        final long startNanos;
        final long timeoutNanos;
        int directSent;
        int directAnswered;
        int retries;
        List<NodeId> peers = List.of();
        TimerQueue.Timer phaseTimer;
        TimerQueue.Timer retryTimer;

        Round(long startNanos, long timeoutNanos) {
            this.startNanos = startNanos;
            this.timeoutNanos = timeoutNanos;
        }
    }

    final NodeId id;
    /** The UDP address of a pulse target; {@code null} for an external (HTTP, TCP) one. */
    final InetSocketAddress address;
    final long intervalNanos;
    final int maxRetries;
    final RttEstimator rtt = new RttEstimator();
    final ClockOffsetEstimator offset = new ClockOffsetEstimator();

    NodeState state = NodeState.PENDING;
    long incarnation;
    long totalProbes;
    long lostProbes;
    Instant firstContact;
    Instant lastContact;
    boolean removed;
    /** Why the latest failed probe of an external target failed, or {@code null}. */
    String lastError;

    Round round;
    long lastRoundStartNanos;
    TimerQueue.Timer nextProbe;
    TimerQueue.Timer suspicionTimer;
    /** When the current suspicion runs out, on the monotonic clock. */
    long suspicionDeadlineNanos;
    /** The suspicion timeout ran out while a round was in flight: that round decides. */
    boolean suspicionExpired;
    int lastRetries;
    List<NodeId> lastPeers = List.of();

    /** Sequence numbers of this round's probes, and of the round before (late ACKs still count). */
    List<Long> currentSequences = new ArrayList<>(4);
    List<Long> previousSequences = new ArrayList<>(4);

    /** Index in the detector's list of targets, for O(1) removal. */
    int index;
    /** Index in the detector's list of ALIVE pulse targets, or -1: peers are drawn from it in O(k). */
    int aliveIndex = -1;

    boolean external() {
        return address == null;
    }

    NodeStatus.ProbeKind kind() {
        return external() ? NodeStatus.ProbeKind.EXTERNAL : NodeStatus.ProbeKind.PULSE;
    }

    Target(NodeId id, InetSocketAddress address, long intervalNanos, int maxRetries) {
        this.id = id;
        this.address = address;
        this.intervalNanos = intervalNanos;
        this.maxRetries = maxRetries;
    }

    Duration srtt() {
        return rtt.hasSample() ? Duration.ofNanos(rtt.srttNanos()) : null;
    }

    Duration clockOffset() {
        return offset.hasSample() ? Duration.ofNanos(offset.offsetNanos()) : null;
    }

    void cancelTimers() {
        TimerQueue.cancel(nextProbe);
        TimerQueue.cancel(suspicionTimer);
        nextProbe = null;
        suspicionTimer = null;
        if (round != null) {
            TimerQueue.cancel(round.phaseTimer);
            TimerQueue.cancel(round.retryTimer);
            round = null;
        }
    }

    void resetStatistics() {
        rtt.reset();
        offset.reset();
        totalProbes = 0;
        lostProbes = 0;
    }

    NodeStatus status(long timeoutNanos) {
        return new NodeStatus(id, state, incarnation, totalProbes, lostProbes, srtt(),
                rtt.hasSample() ? Duration.ofNanos(rtt.rttvarNanos()) : null,
                Duration.ofNanos(timeoutNanos), clockOffset(),
                offset.hasSample() ? Duration.ofNanos(offset.errorBoundNanos()) : null,
                firstContact, lastContact, kind(), lastError);
    }
}
