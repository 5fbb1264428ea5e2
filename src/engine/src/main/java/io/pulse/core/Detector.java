package io.pulse.core;

import io.pulse.core.Target.Round;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.SplittableRandom;
import java.util.function.Consumer;
import java.util.function.Predicate;

/**
 * The prober half of {@link PulseCore}: the watched nodes' states and what moves them. A failed
 * probe round makes a node SUSPECT; a suspicion that times out unrefuted makes it DEAD (and a
 * failure); any answer, direct or relayed, makes it ALIVE again. Pure: it reads the {@link Clock},
 * schedules on the {@link TimerQueue} and hands events to the {@link PulseCore.Output}. Its parts:
 * the rounds themselves ({@link ProbeRounds}, shaped by {@link DetectorConfig}), the probes in
 * flight and their answers ({@link ProbeAnswers}), the nodes ({@link TargetTable}) and the relays
 * of a static monitor ({@link AlivePeers}).
 *
 * <pre>{@code
 * Detector detector = new Detector(config, clock, timers, sequences, output);
 * detector.add(id, address, TargetOptions.defaults());
 * detector.start();
 * detector.onAck(from, ack); // from the driver
 * }</pre>
 */
final class Detector {

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
    private final PulseCore.Output output;
    private final SplittableRandom random;
    private final LocalHealth health;
    /** Told of every round that ended unanswered, for cluster mode's suspicion; nothing by default. */
    private Consumer<NodeId> roundFailedListener = id -> {};

    private final TargetTable targets = new TargetTable();
    /** The ALIVE pulse targets, the only ones that can relay a PING_REQ when no {@link Relays} were given. */
    private final AlivePeers alive = new AlivePeers();

    private final ProbeAnswers answers;
    private final ProbeRounds rounds;
    private boolean probing;

    /** Cluster mode: the configuration this node's PINGs carry. */
    void configuration(java.util.function.Supplier<ConfigRef> value) {
        rounds.configuration(value);
    }

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
        this.config = config;
        this.clock = clock;
        this.timers = timers;
        this.output = output;
        this.random = new SplittableRandom(config.randomSeed());
        this.health = new LocalHealth(config.localHealthMaxMultiplier());
        this.answers = new ProbeAnswers(clock, output, this::contact);
        this.rounds = new ProbeRounds(
                config,
                clock,
                timers,
                sequences,
                output,
                random,
                health,
                answers,
                relays != null
                        ? (target, k) -> relays.pick(target.id, k)
                        : (target, k) -> alive.pick(target, k, random),
                () -> probing,
                this::roundFailed);
    }

    // ---- the public operations, through PulseCore ----

    /** Adds a pulse target at {@code address}, or an external one when {@code address} is null. */
    void add(NodeId id, InetSocketAddress address, TargetOptions options) {
        Target target = new Target(
                id,
                address,
                options.probeIntervalOr(config.probeInterval()).toNanos(),
                options.maxRetriesOr(config.maxRetries()),
                options.probeTimeoutNanosOr(config.probeTimeoutMax().toNanos()));
        targets.add(target);
        if (probing) {
            rounds.scheduleFirst(target);
        }
    }

    void remove(NodeId id) {
        Target target = targets.remove(id);
        alive.remove(target);
        target.cancelTimers();
        target.forEachSequence(answers::forget);
        target.removed = true;
        output.removed(id);
    }

    /**
     * Probes a pulse target at {@code address} from now on; its status and counts stay, its RTT and
     * clock-offset estimates start again (they were the old host's).
     *
     * @return the address it had, or null if it had this one already
     */
    InetSocketAddress readdress(NodeId id, InetSocketAddress address) {
        Target target = targets.require(id);
        if (target.external()) {
            throw new IllegalArgumentException(id + " is probed over HTTP or TCP: it has no UDP address to change");
        }
        InetSocketAddress before = target.address;
        if (before.equals(address)) {
            return null;
        }
        targets.readdress(target, address);
        target.resetEstimates();
        return before;
    }

    void removeAll() {
        for (Target target : List.copyOf(targets.all())) {
            if (!target.removed) {
                remove(target.id);
            }
        }
    }

    void resetStatistics(NodeId id) {
        targets.require(id).resetStatistics();
    }

    void start() {
        if (probing) {
            return;
        }
        probing = true;
        long now = clock.monotonicNanos();
        for (Target target : targets.all()) {
            rounds.scheduleFirst(target);
            if (target.state == Liveness.SUSPECT) {
                // The suspicion deadline survives a stop: stopping and starting cannot postpone DEAD.
                armSuspicion(target, Math.max(now, target.suspicionDeadlineNanos));
            }
        }
    }

    void stop() {
        probing = false;
        for (Target target : targets.all()) {
            if (target.round != null) {
                rounds.close(target);
            }
            target.cancelTimers();
            target.suspicionExpired = false;
        }
    }

    boolean probing() {
        return probing;
    }

    NodeStatus status(NodeId id) {
        Target target = targets.require(id);
        return target.status(rounds.timeoutNanos(target));
    }

    /** The node's status, or null if it is not watched. */
    NodeStatus statusOrNull(NodeId id) {
        Target target = targets.get(id);
        return target == null ? null : target.status(rounds.timeoutNanos(target));
    }

    /**
     * Probes only the targets {@code filter} accepts at each round's start; the others keep their
     * state and schedule, skip their rounds and never time out a suspicion.
     */
    void probeOnly(Predicate<NodeId> filter) {
        rounds.probeOnly(filter);
    }

    void onRoundFailed(Consumer<NodeId> listener) {
        this.roundFailedListener = listener;
    }

    boolean watchesAddress(InetSocketAddress address) {
        return targets.containsAddress(address);
    }

    boolean watches(NodeId id) {
        return targets.contains(id);
    }

    List<NodeStatus> statusAll() {
        List<NodeStatus> all = new ArrayList<>(targets.size());
        for (Target target : targets.all()) {
            all.add(target.status(rounds.timeoutNanos(target)));
        }
        all.sort((a, b) -> a.node().compareTo(b.node()));
        return all;
    }

    Collection<NodeId> ids() {
        return targets.ids();
    }

    long nacks() {
        return answers.nacks();
    }

    long misaddressedAcks() {
        return answers.misaddressedAcks();
    }

    long implausibleAcks() {
        return answers.implausibleAcks();
    }

    int localHealthMultiplier() {
        return health.multiplier();
    }

    // ---- inputs ----

    /** Returns false if the ACK answers none of our probes (it may be a relay's). */
    boolean onAck(InetSocketAddress from, Message.Ack ack) {
        return answers.onAck(from, ack);
    }

    /** Returns false if the result answers none of our probes (too late, or its target was removed). */
    boolean onProbeResult(ProbeResult result) {
        return answers.onProbeResult(result);
    }

    boolean onNack(InetSocketAddress from, Message.Nack nack) {
        return answers.onNack(from, nack);
    }

    // ---- verdicts ----

    /** The window of {@code round} closed unanswered: SUSPECT, or DEAD once the suspicion has expired. */
    private void roundFailed(Target target, Round round) {
        if (target.round != round) {
            return;
        }
        rounds.close(target);
        roundFailedListener.accept(target.id);
        if (!round.peers.isEmpty() && round.peersAnswered == 0) {
            health.peersSilent(targets.size());
        }
        long now = clock.monotonicNanos();
        switch (target.state) {
            case PENDING, ALIVE -> {
                transition(target, Liveness.SUSPECT, Transition.Reason.PROBE_ROUND_FAILED);
                armSuspicion(target, now + config.suspicionTimeout().toNanos());
                rounds.schedule(target, now);
            }
            case SUSPECT -> {
                if (target.suspicionExpired) {
                    declareDead(target);
                    rounds.schedule(target, round.startNanos + deadProbeIntervalNanos());
                } else {
                    rounds.schedule(target, now);
                }
            }
            case DEAD -> rounds.schedule(target, round.startNanos + deadProbeIntervalNanos());
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
        if (!rounds.probes(target.id)) {
            armSuspicion(
                    target, clock.monotonicNanos() + config.suspicionTimeout().toNanos());
            return; // not ours to declare: its owners probe it
        }
        declareDead(target);
        rounds.schedule(target, clock.monotonicNanos() + deadProbeIntervalNanos());
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
            rounds.close(target);
            rounds.schedule(target, Math.max(now, nextRoundStart(target)));
        } else if (target.round == null && before != Liveness.ALIVE) {
            // A late ACK revived a node that was waiting on a suspect or dead schedule.
            rounds.schedule(target, Math.max(now, nextRoundStart(target)));
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
            alive.add(target);
        } else {
            alive.remove(target);
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
}
