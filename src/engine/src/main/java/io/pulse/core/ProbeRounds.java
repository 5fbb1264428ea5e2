package io.pulse.core;

import io.pulse.core.Target.Round;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.function.BooleanSupplier;
import java.util.function.Predicate;

/**
 * The probe round of each target, as {@link DetectorConfig} shapes it: a direct PING (or HTTP/TCP
 * probe) with the target's adaptive timeout; unanswered, PING_REQs through k relays and retries
 * of the PING spread over the indirect window; still unanswered when the window closes, the round
 * failed, which the {@link Detector} turns into a verdict. An answer ends a round through
 * {@link #close}. Rounds start at the times the detector schedules, and only while it probes and
 * for the targets it {@link #probeOnly probes}.
 *
 * <pre>{@code
 * ProbeRounds rounds = new ProbeRounds(config, clock, timers, sequences, output, random, health,
 *         answers, (target, k) -> alive.pick(target, k, random), () -> probing, detector::roundFailed);
 * rounds.scheduleFirst(target);
 * }</pre>
 */
final class ProbeRounds {
    /** Who relays a target's PING_REQs: up to {@code k} distinct peers other than the target and this node. */
    @FunctionalInterface
    interface RelayPicker {
        List<Detector.Peer> pick(Target target, int k);
    }

    /** Where a round that ended unanswered goes. */
    @FunctionalInterface
    interface Failed {
        void roundFailed(Target target, Round round);
    }

    private final DetectorConfig config;
    private final Clock clock;
    private final TimerQueue timers;
    private final Sequences sequences;
    private final PulseCore.Output output;
    /** Shared with the detector: one seed, one sequence of draws. */
    private final SplittableRandom random;

    private final LocalHealth health;
    /** The configuration this node's PINGs carry (cluster mode), else NONE. */
    private java.util.function.Supplier<ConfigRef> configuration = () -> ConfigRef.NONE;

    private final ProbeAnswers answers;
    private final RelayPicker relays;
    private final BooleanSupplier probing;
    private final Failed failed;
    /** Which targets this node probes now: in cluster mode, those it is among the owners of. */
    private Predicate<NodeId> probed = id -> true;

    void configuration(java.util.function.Supplier<ConfigRef> value) {
        this.configuration = value;
    }

    ProbeRounds(
            DetectorConfig config,
            Clock clock,
            TimerQueue timers,
            Sequences sequences,
            PulseCore.Output output,
            SplittableRandom random,
            LocalHealth health,
            ProbeAnswers answers,
            RelayPicker relays,
            BooleanSupplier probing,
            Failed failed) {
        this.config = config;
        this.clock = clock;
        this.timers = timers;
        this.sequences = sequences;
        this.output = output;
        this.random = random;
        this.health = health;
        this.answers = answers;
        this.relays = relays;
        this.probing = probing;
        this.failed = failed;
    }

    /** See {@link Detector#probeOnly}. */
    void probeOnly(Predicate<NodeId> filter) {
        this.probed = filter;
    }

    /** Whether this node probes {@code id} now. */
    boolean probes(NodeId id) {
        return probed.test(id);
    }

    /** Schedules a new target's first round at a random point of its interval, so that rounds spread out. */
    void scheduleFirst(Target target) {
        long now = clock.monotonicNanos();
        long offset = (long) (random.nextDouble() * target.intervalNanos);
        schedule(target, now + offset);
    }

    /** The next round of {@code target} at {@code atNanos}, instead of any scheduled before. */
    void schedule(Target target, long atNanos) {
        TimerQueue.cancel(target.nextProbe);
        target.nextProbe = timers.schedule(atNanos, () -> startRound(target));
    }

    private void startRound(Target target) {
        target.nextProbe = null;
        if (!probing.getAsBoolean() || target.removed || target.round != null) {
            return;
        }
        long now = clock.monotonicNanos();
        if (!probes(target.id)) {
            schedule(target, now + target.intervalNanos); // another member probes it; look again then
            return;
        }
        target.rotateSequences(answers::forget);

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
        List<Detector.Peer> peers = target.external() ? List.of() : relays.pick(target, config.indirectProbes());
        List<NodeId> peerIds = new ArrayList<>(peers.size());
        for (Detector.Peer peer : peers) {
            long sequence = sequences.next();
            answers.expect(sequence, target, round, peer.address(), now, clock.epochNanos(), false);
            target.addSequence(sequence);
            peerIds.add(peer.id());
            output.send(peer.address(), new Message.PingReq(sequence, target.address, relayTimeout));
        }
        round.peers = List.copyOf(peerIds);

        long windowNanos = 2 * round.timeoutNanos;
        if (target.maxRetries > 0) {
            retry(target, round, retrySpacingNanos(target, windowNanos));
        }
        round.phaseTimer = timers.schedule(now + windowNanos, () -> failed.roundFailed(target, round));
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
        answers.expect(sequence, target, round, target.address, clock.monotonicNanos(), epoch, true);
        target.addSequence(sequence);
        round.directSent++;
        target.totalProbes++;
        if (target.external()) {
            output.probe(target.id, sequence, Duration.ofNanos(round.timeoutNanos));
        } else {
            output.send(target.address, new Message.Ping(sequence, epoch, configuration.get()));
        }
    }

    /** Ends the target's current round: its timers cancelled, its unanswered PINGs counted lost. */
    void close(Target target) {
        Round round = target.round;
        TimerQueue.cancel(round.phaseTimer);
        TimerQueue.cancel(round.retryTimer);
        target.lostProbes += round.directSent - round.directAnswered;
        target.lastRetries = round.retries;
        target.lastPeers = round.peers;
        target.round = null;
    }

    /**
     * The RFC 6298 RTO clamped to the detector's floor and the target's ceiling (the floor never
     * above the ceiling), stretched by the local health multiplier.
     */
    long timeoutNanos(Target target) {
        long rto = target.rtt.rtoNanos();
        long ceiling = target.probeTimeoutMaxNanos;
        long floor = Math.min(config.probeTimeoutMin().toNanos(), ceiling);
        return health.stretch(Math.min(Math.max(rto, floor), ceiling));
    }
}
