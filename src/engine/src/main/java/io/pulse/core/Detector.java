package io.pulse.core;

import io.pulse.core.Target.Round;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.function.LongConsumer;

/**
 * The prober half of {@link PulseCore}: probe rounds, suspicion and DEAD for every watched
 * node. See {@link DetectorConfig} for the shape of a round. Pure: it reads the {@link Clock},
 * schedules on the {@link TimerQueue} and hands packets and events to the {@link PulseCore.Output}.
 */
final class Detector {

    /** A PING or PING_REQ in flight, found again by the sequence number its answer echoes. */
    private record Probe(
            Target target,
            Round round,
            InetSocketAddress sentTo,
            long sentNanos,
            long sentEpochNanos,
            boolean direct) {}

    /** A node asked to relay a PING_REQ. */
    record Peer(NodeId id, InetSocketAddress address) {}

    /**
     * Where indirect probes go, when not to this detector's own ALIVE targets: in cluster mode, a
     * member watches only a few others, and asks random live members to relay.
     */
    interface Relays {
        /** Up to {@code k} distinct peers other than {@code target} and this node. */
        List<Peer> pick(NodeId target, int k);
    }

    private final DetectorConfig config;
    private final Clock clock;
    private final TimerQueue timers;
    private final Sequences sequences;
    private final PulseCore.Output output;
    private final SplittableRandom random;
    private final LocalHealth health;
    /** Null: relays are picked among this detector's own ALIVE targets. */
    private final Relays relays;
    /** Told of every round that ended unanswered, for cluster mode's suspicion; nothing by default. */
    private java.util.function.Consumer<NodeId> roundFailedListener = id -> {};
    /** Which targets this node probes now: in cluster mode, those it is among the owners of. */
    private java.util.function.Predicate<NodeId> probed = id -> true;

    private final Map<NodeId, Target> byId = new HashMap<>();
    private final Map<InetSocketAddress, Target> byAddress = new HashMap<>();
    private final List<Target> targets = new ArrayList<>();
    /** The ALIVE pulse targets, the only ones that can relay a PING_REQ; see {@link Target#aliveIndex}. */
    private final List<Target> alive = new ArrayList<>();

    private final Map<Long, Probe> inFlight = new HashMap<>();
    private final LongConsumer forgetProbe = inFlight::remove;
    private boolean probing;
    private long nacks;
    private long misaddressedAcks;
    private long implausibleAcks;

    Detector(DetectorConfig config, Clock clock, TimerQueue timers, Sequences sequences, PulseCore.Output output) {
        this(config, clock, timers, sequences, output, null);
    }

    Detector(
            DetectorConfig config,
            Clock clock,
            TimerQueue timers,
            Sequences sequences,
            PulseCore.Output output,
            Relays relays) {
        this.relays = relays;
        this.config = config;
        this.clock = clock;
        this.timers = timers;
        this.sequences = sequences;
        this.output = output;
        this.random = new SplittableRandom(config.randomSeed());
        this.health = new LocalHealth(config.localHealthMaxMultiplier());
    }

    // ---- the public operations, through PulseCore ----

    /** Adds a pulse target at {@code address}, or an external one when {@code address} is null. */
    void add(NodeId id, InetSocketAddress address, TargetOptions options) {
        if (byId.containsKey(id)) {
            throw new DuplicateNodeException(id, "is already watched");
        }
        Target sameAddress = address == null ? null : byAddress.get(address);
        if (sameAddress != null) {
            throw new DuplicateNodeException(id, "has the address " + address + " of " + sameAddress.id);
        }
        Target target = new Target(
                id,
                address,
                options.probeIntervalOr(config.probeInterval()).toNanos(),
                options.maxRetriesOr(config.maxRetries()),
                options.probeTimeoutNanosOr(config.probeTimeoutMax().toNanos()));
        target.index = targets.size();
        targets.add(target);
        byId.put(id, target);
        if (address != null) {
            byAddress.put(address, target);
        }
        if (probing) {
            scheduleFirstProbe(target);
        }
    }

    void remove(NodeId id) {
        Target target = require(id);
        byId.remove(id);
        if (target.address != null) {
            byAddress.remove(target.address);
        }
        Target last = targets.remove(targets.size() - 1);
        if (last != target) {
            targets.set(target.index, last);
            last.index = target.index;
        }
        removeFromAlive(target);
        target.cancelTimers();
        target.forEachSequence(forgetProbe);
        target.removed = true;
        output.removed(id);
    }

    void removeAll() {
        for (Target target : List.copyOf(targets)) {
            if (!target.removed) {
                remove(target.id);
            }
        }
    }

    void resetStatistics(NodeId id) {
        require(id).resetStatistics();
    }

    void start() {
        if (probing) {
            return;
        }
        probing = true;
        long now = clock.monotonicNanos();
        for (Target target : targets) {
            scheduleFirstProbe(target);
            if (target.state == Liveness.SUSPECT) {
                // The suspicion deadline survives a stop: stopping and starting cannot postpone DEAD.
                armSuspicion(target, Math.max(now, target.suspicionDeadlineNanos));
            }
        }
    }

    void stop() {
        probing = false;
        for (Target target : targets) {
            if (target.round != null) {
                closeRound(target);
            }
            target.cancelTimers();
            target.suspicionExpired = false;
        }
    }

    boolean probing() {
        return probing;
    }

    NodeStatus status(NodeId id) {
        Target target = require(id);
        return target.status(timeoutNanos(target));
    }

    /** The node's status, or null if it is not watched. */
    NodeStatus statusOrNull(NodeId id) {
        Target target = byId.get(id);
        return target == null ? null : target.status(timeoutNanos(target));
    }

    /**
     * Probes only the targets {@code filter} accepts at each round's start; the others keep their
     * state and schedule, skip their rounds and never time out a suspicion.
     */
    void probeOnly(java.util.function.Predicate<NodeId> filter) {
        this.probed = filter;
    }

    void onRoundFailed(java.util.function.Consumer<NodeId> listener) {
        this.roundFailedListener = listener;
    }

    boolean watchesAddress(InetSocketAddress address) {
        return byAddress.containsKey(address);
    }

    boolean watches(NodeId id) {
        return byId.containsKey(id);
    }

    List<NodeStatus> statusAll() {
        List<NodeStatus> all = new ArrayList<>(targets.size());
        for (Target target : targets) {
            all.add(target.status(timeoutNanos(target)));
        }
        all.sort((a, b) -> a.node().compareTo(b.node()));
        return all;
    }

    Collection<NodeId> ids() {
        return byId.keySet();
    }

    long nacks() {
        return nacks;
    }

    long misaddressedAcks() {
        return misaddressedAcks;
    }

    long implausibleAcks() {
        return implausibleAcks;
    }

    int localHealthMultiplier() {
        return health.multiplier();
    }

    // ---- inputs ----

    /** Returns false if the ACK answers none of our probes (it may be a relay's). */
    boolean onAck(InetSocketAddress from, Message.Ack ack) {
        Probe probe = inFlight.get(ack.sequence());
        if (probe == null) {
            return false;
        }
        if (probe.sentTo == null
                || !probe.sentTo.equals(from)
                || (probe.direct && ack.pingSentEpochNanos() != probe.sentEpochNanos)) {
            misaddressedAcks++;
            return true;
        }
        if (ack.incarnation()
                > clock.epochNanos() / 1_000_000 + ClusterConfig.DEFAULT_MAX_INCARNATION_AHEAD.toMillis()) {
            // Incarnations are start times in epoch ms (or a little above, after refutations): one
            // far ahead of the clock would hide every real restart after it. Not believed, and
            // the probe stays in flight for the true answer.
            implausibleAcks++;
            return true;
        }
        inFlight.remove(ack.sequence());
        Target target = probe.target;
        long now = clock.monotonicNanos();
        if (probe.direct) {
            long rttNanos = now - probe.sentNanos;
            addRttSample(target, rttNanos);
            target.offset.addSample(
                    probe.sentEpochNanos,
                    ack.receivedEpochNanos(),
                    ack.sentEpochNanos(),
                    probe.sentEpochNanos + rttNanos);
            answered(target, probe.round);
        }
        contact(target, ack.incarnation(), probe.round, now);
        return true;
    }

    /** Returns false if the result answers none of our probes (too late, or its target was removed). */
    boolean onProbeResult(ProbeResult result) {
        Probe probe = inFlight.get(result.sequence());
        if (probe == null || !probe.target.external()) {
            return false;
        }
        inFlight.remove(result.sequence());
        Target target = probe.target;
        if (!result.successful()) {
            target.lastError = result.error();
            return true;
        }
        long now = clock.monotonicNanos();
        addRttSample(target, result.rttNanos());
        if (result.hasPeerTime()) {
            // One peer timestamp: t1 = t2, and t3 is t0 plus the RTT the driver measured.
            target.offset.addSample(
                    probe.sentEpochNanos,
                    result.peerEpochNanos(),
                    result.peerEpochNanos(),
                    probe.sentEpochNanos + result.rttNanos());
        }
        answered(target, probe.round);
        target.lastError = null;
        contact(target, 0, probe.round, now);
        return true;
    }

    private void addRttSample(Target target, long rttNanos) {
        target.rtt.addSample(rttNanos);
        output.rttSampled(new RttSample(target.id, target.kind(), Duration.ofNanos(rttNanos)));
    }

    /**
     * A direct probe of {@code round} was answered. If that round is closed, its probe was counted
     * lost when it closed; a late answer is not a loss, so the count is taken back.
     */
    private static void answered(Target target, Round round) {
        if (round == target.round) {
            round.directAnswered++;
        } else if (target.lostProbes > 0) { // not if the statistics were reset since
            target.lostProbes--;
        }
    }

    boolean onNack(InetSocketAddress from, Message.Nack nack) {
        Probe probe = inFlight.get(nack.sequence());
        if (probe == null || probe.direct || !probe.sentTo.equals(from)) {
            return false;
        }
        inFlight.remove(nack.sequence());
        nacks++;
        probe.round.peersAnswered++;
        return true;
    }

    // ---- the round ----

    private void scheduleFirstProbe(Target target) {
        long now = clock.monotonicNanos();
        long offset = (long) (random.nextDouble() * target.intervalNanos);
        scheduleProbe(target, now + offset);
    }

    private void scheduleProbe(Target target, long atNanos) {
        TimerQueue.cancel(target.nextProbe);
        target.nextProbe = timers.schedule(atNanos, () -> startRound(target));
    }

    private void startRound(Target target) {
        target.nextProbe = null;
        if (!probing || target.removed || target.round != null) {
            return;
        }
        long now = clock.monotonicNanos();
        if (!probed.test(target.id)) {
            scheduleProbe(target, now + target.intervalNanos); // another member probes it; look again then
            return;
        }
        target.rotateSequences(forgetProbe);

        Round round = new Round(now, timeoutNanos(target));
        target.round = round;
        target.lastRoundStartNanos = now;
        sendPing(target, round);
        round.phaseTimer = timers.schedule(now + round.timeoutNanos, () -> startIndirectPhase(target, round));
    }

    private void startIndirectPhase(Target target, Round round) {
        if (target.round != round) {
            return;
        }
        long now = clock.monotonicNanos();
        Duration relayTimeout = Duration.ofMillis(
                Math.min(Message.PingReq.MAX_TIMEOUT.toMillis(), Math.max(1, round.timeoutNanos / 1_000_000)));
        List<Peer> peers = target.external()
                ? List.of()
                : relays != null ? relays.pick(target.id, config.indirectProbes()) : pickPeers(target);
        List<NodeId> peerIds = new ArrayList<>(peers.size());
        for (Peer peer : peers) {
            long sequence = sequences.next();
            inFlight.put(sequence, new Probe(target, round, peer.address(), now, clock.epochNanos(), false));
            target.addSequence(sequence);
            peerIds.add(peer.id());
            output.send(peer.address(), new Message.PingReq(sequence, target.address, relayTimeout));
        }
        round.peers = List.copyOf(peerIds);

        long windowNanos = 2 * round.timeoutNanos;
        if (target.maxRetries > 0) {
            retry(target, round, retrySpacingNanos(target, windowNanos));
        }
        round.phaseTimer = timers.schedule(now + windowNanos, () -> roundFailed(target, round));
    }

    /**
     * Retries are spaced by the smoothed RTT, but spread over at least the indirect window: on a
     * LAN the SRTT is far below a millisecond, and back-to-back retries would all fall to the same
     * burst of loss.
     */
    private long retrySpacingNanos(Target target, long windowNanos) {
        long srtt = Math.max(0, target.rtt.srttNanos());
        return Math.max(srtt, windowNanos / (target.maxRetries + 1));
    }

    private void retry(Target target, Round round, long spacingNanos) {
        if (target.round != round) {
            return;
        }
        sendPing(target, round);
        round.retries++;
        if (round.retries < target.maxRetries) {
            round.retryTimer =
                    timers.schedule(clock.monotonicNanos() + spacingNanos, () -> retry(target, round, spacingNanos));
        }
    }

    private void sendPing(Target target, Round round) {
        long sequence = sequences.next();
        long epoch = clock.epochNanos();
        inFlight.put(sequence, new Probe(target, round, target.address, clock.monotonicNanos(), epoch, true));
        target.addSequence(sequence);
        round.directSent++;
        target.totalProbes++;
        if (target.external()) {
            output.probe(target.id, sequence, Duration.ofNanos(round.timeoutNanos));
        } else {
            output.send(target.address, new Message.Ping(sequence, epoch));
        }
    }

    private void closeRound(Target target) {
        Round round = target.round;
        TimerQueue.cancel(round.phaseTimer);
        TimerQueue.cancel(round.retryTimer);
        target.lostProbes += round.directSent - round.directAnswered;
        target.lastRetries = round.retries;
        target.lastPeers = round.peers;
        target.round = null;
    }

    private void roundFailed(Target target, Round round) {
        if (target.round != round) {
            return;
        }
        closeRound(target);
        roundFailedListener.accept(target.id);
        if (!round.peers.isEmpty() && round.peersAnswered == 0) {
            health.peersSilent(targets.size());
        }
        long now = clock.monotonicNanos();
        switch (target.state) {
            case PENDING, ALIVE -> {
                transition(target, Liveness.SUSPECT, Transition.Reason.PROBE_ROUND_FAILED);
                armSuspicion(target, now + config.suspicionTimeout().toNanos());
                scheduleProbe(target, now);
            }
            case SUSPECT -> {
                if (target.suspicionExpired) {
                    declareDead(target);
                    scheduleProbe(target, round.startNanos + deadProbeIntervalNanos());
                } else {
                    scheduleProbe(target, now);
                }
            }
            case DEAD -> scheduleProbe(target, round.startNanos + deadProbeIntervalNanos());
        }
    }

    private void armSuspicion(Target target, long deadlineNanos) {
        TimerQueue.cancel(target.suspicionTimer);
        target.suspicionExpired = false;
        target.suspicionDeadlineNanos = deadlineNanos;
        target.suspicionTimer = timers.schedule(deadlineNanos, () -> suspicionTimedOut(target));
    }

    private void suspicionTimedOut(Target target) {
        target.suspicionTimer = null;
        if (target.state != Liveness.SUSPECT || target.removed || !probing) {
            return;
        }
        if (target.round != null) {
            target.suspicionExpired = true;
            return;
        }
        if (!probed.test(target.id)) {
            armSuspicion(
                    target, clock.monotonicNanos() + config.suspicionTimeout().toNanos());
            return; // not ours to declare: its owners probe it
        }
        declareDead(target);
        scheduleProbe(target, clock.monotonicNanos() + deadProbeIntervalNanos());
    }

    private void declareDead(Target target) {
        target.suspicionExpired = false;
        transition(target, Liveness.DEAD, Transition.Reason.SUSPICION_TIMEOUT);
        output.failed(new NodeFailure(
                target.id,
                Liveness.DEAD,
                target.incarnation,
                target.lastRetries,
                target.lastPeers,
                target.firstContact(),
                target.lastContact(),
                clock.now(),
                target.srtt(),
                target.clockOffset(),
                target.totalProbes,
                target.lostProbes));
    }

    /**
     * An ACK, direct or relayed, of a probe sent in {@code round}: the node is alive. Only an
     * answer to the current round ends it; a late one from an earlier round proves the node was
     * alive then, which refutes a suspicion, but says nothing of now.
     */
    private void contact(Target target, long incarnation, Round round, long now) {
        long at = clock.epochNanos();
        if (target.firstContactEpochNanos == Target.NEVER) {
            target.firstContactEpochNanos = at;
        }
        target.lastContactEpochNanos = at;
        boolean restarted = target.incarnation != 0 && incarnation > target.incarnation;
        target.incarnation = Math.max(target.incarnation, incarnation);

        Liveness before = target.state;
        switch (before) {
            case PENDING -> transition(target, Liveness.ALIVE, Transition.Reason.FIRST_CONTACT);
            case SUSPECT -> {
                TimerQueue.cancel(target.suspicionTimer);
                target.suspicionTimer = null;
                target.suspicionExpired = false;
                transition(target, Liveness.ALIVE, Transition.Reason.REFUTED);
            }
            case DEAD -> transition(target, Liveness.ALIVE, Transition.Reason.RECOVERED);
            case ALIVE -> {
                if (restarted) {
                    transition(target, Liveness.ALIVE, Transition.Reason.RESTARTED);
                }
            }
        }
        if (!probing) {
            return;
        }
        if (target.round != null && target.round == round) {
            health.answered(targets.size());
            closeRound(target);
            scheduleProbe(target, Math.max(now, nextRoundStart(target)));
        } else if (target.round == null && before != Liveness.ALIVE) {
            // A late ACK revived a node that was waiting on a suspect or dead schedule.
            scheduleProbe(target, Math.max(now, nextRoundStart(target)));
        }
    }

    private long nextRoundStart(Target target) {
        double jitter = (random.nextDouble() * 2 - 1) * config.jitterRatio();
        return target.lastRoundStartNanos + Math.round(health.stretch(target.intervalNanos) * (1 + jitter));
    }

    private long deadProbeIntervalNanos() {
        return health.stretch(config.deadProbeInterval().toNanos());
    }

    private void transition(Target target, Liveness to, Transition.Reason reason) {
        Liveness from = target.state;
        target.state = to;
        if (to == Liveness.ALIVE) {
            addToAlive(target);
        } else {
            removeFromAlive(target);
        }
        output.statusChanged(new Transition(
                target.id,
                from,
                to,
                target.incarnation,
                clock.now(),
                target.srtt(),
                target.clockOffset(),
                target.totalProbes,
                target.lostProbes,
                reason));
    }

    /**
     * Up to k distinct ALIVE pulse targets other than {@code target}, chosen at random: Floyd's
     * sampling of k of the n candidates in the ALIVE index, so O(k) however many targets there are
     * and however few of them are ALIVE.
     */
    private List<Peer> pickPeers(Target target) {
        int k = config.indirectProbes();
        // The candidates are the ALIVE index without the target itself, if it is there.
        int skip = target.aliveIndex;
        int n = alive.size() - (skip >= 0 ? 1 : 0);
        int wanted = Math.min(k, n);
        List<Peer> chosen = new ArrayList<>(wanted);
        int[] picked = new int[wanted];
        for (int j = n - wanted; j < n; j++) {
            int t = random.nextInt(j + 1);
            int pick = contains(picked, chosen.size(), t) ? j : t;
            picked[chosen.size()] = pick;
            Target peer = alive.get(skip >= 0 && pick >= skip ? pick + 1 : pick);
            chosen.add(new Peer(peer.id, peer.address));
        }
        return chosen;
    }

    private static boolean contains(int[] values, int count, int value) {
        for (int i = 0; i < count; i++) {
            if (values[i] == value) {
                return true;
            }
        }
        return false;
    }

    private void addToAlive(Target target) {
        if (target.aliveIndex < 0 && !target.external()) {
            target.aliveIndex = alive.size();
            alive.add(target);
        }
    }

    private void removeFromAlive(Target target) {
        int index = target.aliveIndex;
        if (index < 0) {
            return;
        }
        Target last = alive.remove(alive.size() - 1);
        if (last != target) {
            alive.set(index, last);
            last.aliveIndex = index;
        }
        target.aliveIndex = -1;
    }

    /**
     * The RFC 6298 RTO clamped to the detector's floor and the target's ceiling (the floor never
     * above the ceiling), stretched by the local health multiplier.
     */
    private long timeoutNanos(Target target) {
        long rto = target.rtt.rtoNanos();
        long ceiling = target.probeTimeoutMaxNanos;
        long floor = Math.min(config.probeTimeoutMin().toNanos(), ceiling);
        return health.stretch(Math.min(Math.max(rto, floor), ceiling));
    }

    private Target require(NodeId id) {
        Target target = byId.get(id);
        if (target == null) {
            throw new UnknownNodeException(id);
        }
        return target;
    }
}
