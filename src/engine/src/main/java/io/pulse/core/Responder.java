package io.pulse.core;

import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.function.Predicate;

/**
 * The answering half of {@link PulseCore}: ACKs every PING, and relays PING_REQ by probing the
 * target itself and passing its ACK back, or a NACK when the target stays silent. Relayed PINGs
 * draw their sequences from a space of their own, so that the numbers a relay sends to a target
 * it was asked to probe tell nothing of the numbers in this node's own probes.
 */
final class Responder {
    /** Relays in flight at most; past it a PING_REQ is dropped, so a flood cannot grow the heap. */
    static final int MAX_PENDING_RELAYS = 4096;
    /** Relays in flight for one requester at most: no one requester fills the table for the others. */
    static final int MAX_RELAYS_PER_REQUESTER = MAX_PENDING_RELAYS / 16;
    /**
     * Relays in flight for strangers (neither authenticated, watched nor members) together at most:
     * the other half of the table is always there for the members.
     */
    static final int MAX_STRANGER_RELAYS = MAX_PENDING_RELAYS / 2;

    private record Relay(
            InetSocketAddress requester,
            long requestSequence,
            InetSocketAddress target,
            TimerQueue.Timer timer,
            boolean stranger) {}

    private final Clock clock;
    private final TimerQueue timers;
    private final Sequences sequences;
    private final PulseCore.Output output;
    private long incarnation;
    private final Duration maxRelayTimeout;
    private final Map<Long, Relay> relays = new HashMap<>();
    private int strangerRelays;
    private final Map<InetSocketAddress, Integer> relaysByRequester = new HashMap<>();
    private AnswerLimits limits = new AnswerLimits(AnswerLimits.DEFAULT_PER_SOURCE, AnswerLimits.DEFAULT_TOTAL);
    /** Whether a requester this node neither watches nor authenticated may have a PING_REQ relayed. */
    private Predicate<InetSocketAddress> strangers = requester -> true;
    /** Whether a PING_REQ may name this target. */
    private Predicate<InetSocketAddress> targets = RelayPolicy::routable;

    private final Predicate<InetSocketAddress> known;
    /** The configuration this node's ACKs and relayed PINGs carry (cluster mode), else NONE. */
    private java.util.function.Supplier<ConfigRef> configuration = () -> ConfigRef.NONE;

    private boolean answering;
    private long relaysStarted;
    private long relaysDropped;
    private long relaysRefused;
    private long pingsAnswered;

    /**
     * @param known           whether an address is a watched node or a member: its PING_REQs are
     *                        relayed, and its answers are never starved by strangers
     * @param maxRelayTimeout the longest a relay waits for its target, whatever the requester asks:
     *                        this node's longest probe timeout
     */
    Responder(
            Clock clock,
            TimerQueue timers,
            Sequences sequences,
            PulseCore.Output output,
            long incarnation,
            Predicate<InetSocketAddress> known,
            Duration maxRelayTimeout) {
        this.known = known;
        this.maxRelayTimeout = maxRelayTimeout;
        this.clock = clock;
        this.timers = timers;
        this.sequences = sequences;
        this.output = output;
        this.incarnation = incarnation;
    }

    void start() {
        answering = true;
    }

    void stop() {
        answering = false;
        relays.values().forEach(relay -> relay.timer.cancel());
        relays.clear();
        relaysByRequester.clear();
        strangerRelays = 0;
    }

    void relayPolicy(Predicate<InetSocketAddress> strangers, Predicate<InetSocketAddress> targets) {
        this.strangers = strangers;
        this.targets = targets;
    }

    void configuration(java.util.function.Supplier<ConfigRef> value) {
        this.configuration = value;
    }

    void answerLimits(AnswerLimits value) {
        this.limits = value;
    }

    long pingsAnswered() {
        return pingsAnswered;
    }

    long relaysRefused() {
        return relaysRefused;
    }

    long answersLimited() {
        return limits.limited();
    }

    boolean answering() {
        return answering;
    }

    long incarnation() {
        return incarnation;
    }

    long relaysStarted() {
        return relaysStarted;
    }

    long relaysDropped() {
        return relaysDropped;
    }

    void onPing(InetSocketAddress from, Message.Ping ping, long receivedEpochNanos, boolean authenticated) {
        if (answering && limits.allow(from, clock.monotonicNanos(), authenticated || known.test(from))) {
            pingsAnswered++;
            output.send(
                    from,
                    new Message.Ack(
                            ping.sequence(),
                            ping.sentEpochNanos(),
                            receivedEpochNanos,
                            clock.epochNanos(),
                            incarnation,
                            configuration.get()));
        }
    }

    /**
     * Relays a PING_REQ from a requester that is authenticated, watched, a member, or a stranger
     * the policy lets in, to a target the policy allows; within the answer limits and the table's
     * quotas (per requester, and for strangers together), waiting at most this node's longest probe
     * timeout for the target.
     */
    void onPingReq(InetSocketAddress from, Message.PingReq request, boolean authenticated) {
        if (!answering) {
            return;
        }
        boolean member = authenticated || known.test(from);
        if (!(member || strangers.test(from)) || !targets.test(request.target())) {
            relaysRefused++;
            return;
        }
        int mine = relaysByRequester.getOrDefault(from, 0);
        if (relays.size() >= MAX_PENDING_RELAYS
                || mine >= MAX_RELAYS_PER_REQUESTER
                || (!member && strangerRelays >= MAX_STRANGER_RELAYS)) {
            relaysDropped++;
            return;
        }
        if (!limits.allow(from, clock.monotonicNanos(), member)) {
            return;
        }
        long sequence = sequences.next();
        Duration timeout = request.timeout().compareTo(maxRelayTimeout) <= 0 ? request.timeout() : maxRelayTimeout;
        TimerQueue.Timer timer =
                timers.schedule(clock.monotonicNanos() + timeout.toNanos(), () -> relayTimedOut(sequence));
        relays.put(sequence, new Relay(from, request.sequence(), request.target(), timer, !member));
        strangerRelays += member ? 0 : 1;
        relaysByRequester.put(from, mine + 1);
        relaysStarted++;
        output.send(request.target(), new Message.Ping(sequence, clock.epochNanos(), configuration.get()));
    }

    /** Returns false if the ACK answers none of our relayed PINGs. */
    boolean onAck(InetSocketAddress from, Message.Ack ack) {
        Relay relay = relays.get(ack.sequence());
        if (relay == null || !relay.target.equals(from)) {
            return false;
        }
        ended(ack.sequence());
        relay.timer.cancel();
        output.send(
                relay.requester,
                new Message.Ack(
                        relay.requestSequence,
                        ack.pingSentEpochNanos(),
                        ack.receivedEpochNanos(),
                        ack.sentEpochNanos(),
                        ack.incarnation(),
                        ack.config()));
        return true;
    }

    private Relay ended(long sequence) {
        Relay relay = relays.remove(sequence);
        if (relay != null) {
            strangerRelays -= relay.stranger ? 1 : 0;
            relaysByRequester.computeIfPresent(relay.requester, (requester, n) -> n == 1 ? null : n - 1);
        }
        return relay;
    }

    private void relayTimedOut(long sequence) {
        Relay relay = ended(sequence);
        if (relay != null) {
            output.send(relay.requester, new Message.Nack(relay.requestSequence, relay.target));
        }
    }
}
