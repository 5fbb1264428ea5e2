package io.pulse.core;

import java.net.InetSocketAddress;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.function.LongConsumer;

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
        /** NACKs from this round's peers; with no relayed ACK either, a failed round counts against local health. */
        int peersAnswered;

        TimerQueue.Timer phaseTimer;
        TimerQueue.Timer retryTimer;

        Round(long startNanos, long timeoutNanos) {
            this.startNanos = startNanos;
            this.timeoutNanos = timeoutNanos;
        }
    }

    /** No contact yet, in place of an epoch timestamp. */
    static final long NEVER = Long.MIN_VALUE;

    final NodeId id;
    /**
     * The UDP address of a pulse target; {@code null} for an external (HTTP, TCP) one. Changed only
     * by {@link TargetTable#readdress}, when the target's name resolves elsewhere.
     */
    InetSocketAddress address;

    final long intervalNanos;
    final int maxRetries;
    /** The ceiling of this target's adaptive probe timeout. */
    final long probeTimeoutMaxNanos;

    final RttEstimator rtt = new RttEstimator();
    final ClockOffsetEstimator offset = new ClockOffsetEstimator();

    Liveness state = Liveness.PENDING;
    long incarnation;
    long totalProbes;
    long lostProbes;
    /** Wall-clock epoch nanoseconds of the first and latest ACK, or {@link #NEVER}. */
    long firstContactEpochNanos = NEVER;

    long lastContactEpochNanos = NEVER;
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

    /**
     * Sequence numbers of this round's probes, then of the round before (late ACKs still count).
     * Primitive, because one is added per probe sent; room for one to start with, as a round
     * answered at once has only its PING. They grow on the first failed round.
     */
    private long[] currentSequences = new long[1];

    private int currentCount;
    private long[] previousSequences = new long[1];
    private int previousCount;

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

    Target(NodeId id, InetSocketAddress address, long intervalNanos, int maxRetries, long probeTimeoutMaxNanos) {
        this.id = id;
        this.address = address;
        this.intervalNanos = intervalNanos;
        this.maxRetries = maxRetries;
        this.probeTimeoutMaxNanos = probeTimeoutMaxNanos;
    }

    Duration srtt() {
        return rtt.hasSample() ? Duration.ofNanos(rtt.srttNanos()) : null;
    }

    Duration clockOffset() {
        return offset.hasSample() ? Duration.ofNanos(offset.offsetNanos()) : null;
    }

    Instant firstContact() {
        return instant(firstContactEpochNanos);
    }

    Instant lastContact() {
        return instant(lastContactEpochNanos);
    }

    /** {@code epochNanos} as {@link Clock#now()} would give it, or {@code null} for {@link #NEVER}. */
    static Instant instant(long epochNanos) {
        return epochNanos == NEVER
                ? null
                : Instant.ofEpochSecond(
                        Math.floorDiv(epochNanos, 1_000_000_000L), Math.floorMod(epochNanos, 1_000_000_000L));
    }

    void addSequence(long sequence) {
        if (currentCount == currentSequences.length) {
            currentSequences = Arrays.copyOf(currentSequences, 2 * currentCount);
        }
        currentSequences[currentCount++] = sequence;
    }

    /** At a round's start: the sequences of the round before the last go to {@code dropped}, and are forgotten. */
    void rotateSequences(LongConsumer dropped) {
        for (int i = 0; i < previousCount; i++) {
            dropped.accept(previousSequences[i]);
        }
        long[] recycled = previousSequences;
        previousSequences = currentSequences;
        previousCount = currentCount;
        currentSequences = recycled;
        currentCount = 0;
    }

    /** Every remembered sequence, of this round and the round before. */
    void forEachSequence(LongConsumer action) {
        for (int i = 0; i < previousCount; i++) {
            action.accept(previousSequences[i]);
        }
        for (int i = 0; i < currentCount; i++) {
            action.accept(currentSequences[i]);
        }
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

    /** Forgets the RTT and clock-offset estimates: they described another host, or a reset. */
    void resetEstimates() {
        rtt.reset();
        offset.reset();
    }

    void resetStatistics() {
        resetEstimates();
        totalProbes = 0;
        lostProbes = 0;
    }

    NodeStatus status(long timeoutNanos) {
        return new NodeStatus(
                id,
                state,
                incarnation,
                totalProbes,
                lostProbes,
                srtt(),
                rtt.hasSample() ? Duration.ofNanos(rtt.rttvarNanos()) : null,
                Duration.ofNanos(timeoutNanos),
                clockOffset(),
                offset.hasSample() ? Duration.ofNanos(offset.errorBoundNanos()) : null,
                firstContact(),
                lastContact(),
                kind(),
                lastError,
                lastRetries);
    }
}
