package io.pulse.core;

import io.pulse.core.Target.Round;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;

/**
 * The probes a {@link Detector} has in flight, and the answers to them: each PING, PING_REQ and
 * HTTP/TCP probe is found again by the sequence number its answer echoes; an answer from another
 * address than the probe went to, to another PING than the one sent, or with an incarnation far
 * ahead of the clock is counted and not believed. A believed answer feeds the target's RTT and
 * clock offset (direct probes only) and is handed on as a contact.
 *
 * <pre>{@code
 * ProbeAnswers answers = new ProbeAnswers(clock, output, detector::contact);
 * answers.expect(sequence, target, round, address, clock.monotonicNanos(), epochNanos, true);
 * answers.onAck(from, ack); // -> detector.contact(target, incarnation, round, now)
 * }</pre>
 */
final class ProbeAnswers {
    /** A PING or PING_REQ in flight, found again by the sequence number its answer echoes. */
    private record Probe(
            Target target,
            Round round,
            InetSocketAddress sentTo,
            long sentNanos,
            long sentEpochNanos,
            boolean direct) {}

    /** Where a believed answer goes: the node answered (directly or through a relay) a probe of {@code round}. */
    @FunctionalInterface
    interface Contact {
        void contact(Target target, long incarnation, Round round, long nowNanos);
    }

    private final Clock clock;
    private final PulseCore.Output output;
    private final Contact contact;
    private final Map<Long, Probe> inFlight = new HashMap<>();
    private long nacks;
    private long misaddressedAcks;
    private long implausibleAcks;

    ProbeAnswers(Clock clock, PulseCore.Output output, Contact contact) {
        this.clock = clock;
        this.output = output;
        this.contact = contact;
    }

    /** Registers a probe sent: {@code sentTo} null for an HTTP or TCP probe, {@code direct} false for a PING_REQ. */
    void expect(
            long sequence,
            Target target,
            Round round,
            InetSocketAddress sentTo,
            long sentNanos,
            long sentEpochNanos,
            boolean direct) {
        inFlight.put(sequence, new Probe(target, round, sentTo, sentNanos, sentEpochNanos, direct));
    }

    /** Stops waiting for the answer to {@code sequence}: its round or its target is gone. */
    void forget(long sequence) {
        inFlight.remove(sequence);
    }

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
        contact.contact(target, ack.incarnation(), probe.round, now);
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
        contact.contact(target, 0, probe.round, now);
        return true;
    }

    /** A relay's NACK: it did not reach the target, but it answered, which local health counts. */
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

    long nacks() {
        return nacks;
    }

    long misaddressedAcks() {
        return misaddressedAcks;
    }

    long implausibleAcks() {
        return implausibleAcks;
    }
}
