package io.pulse.core;

import java.net.InetSocketAddress;
import java.util.HashMap;
import java.util.Map;

/**
 * The answering half of {@link PulseCore}: ACKs every PING, and relays PING_REQ by probing the
 * target itself and passing its ACK back, or a NACK when the target stays silent. Relayed PINGs
 * draw their sequences from a space of their own, so that the numbers a relay sends to a target
 * it was asked to probe tell nothing of the numbers in this node's own probes.
 */
final class Responder {
    /** Relays in flight at most; past it a PING_REQ is dropped, so a flood cannot grow the heap. */
    static final int MAX_PENDING_RELAYS = 4096;

    private record Relay(InetSocketAddress requester, long requestSequence, InetSocketAddress target,
                         TimerQueue.Timer timer) {
    }

    private final Clock clock;
    private final TimerQueue timers;
    private final Sequences sequences;
    private final PulseCore.Output output;
    private long incarnation;
    private final Map<Long, Relay> relays = new HashMap<>();
    private boolean answering;
    private long relaysStarted;
    private long relaysDropped;

    Responder(Clock clock, TimerQueue timers, Sequences sequences, PulseCore.Output output,
              long incarnation) {
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
    }

    boolean answering() {
        return answering;
    }

    long incarnation() {
        return incarnation;
    }

    /** Cluster mode: a refutation raised this node's incarnation; ACKs carry it from now on. */
    void incarnation(long value) {
        if (value < incarnation) {
            throw new IllegalArgumentException("incarnation must not go down: " + incarnation + " -> " + value);
        }
        this.incarnation = value;
    }

    long relaysStarted() {
        return relaysStarted;
    }

    long relaysDropped() {
        return relaysDropped;
    }

    void onPing(InetSocketAddress from, Message.Ping ping, long receivedEpochNanos) {
        if (answering) {
            output.send(from, new Message.Ack(ping.sequence(), ping.sentEpochNanos(), receivedEpochNanos,
                    clock.epochNanos(), incarnation));
        }
    }

    void onPingReq(InetSocketAddress from, Message.PingReq request) {
        if (!answering) {
            return;
        }
        if (relays.size() >= MAX_PENDING_RELAYS) {
            relaysDropped++;
            return;
        }
        long sequence = sequences.next();
        TimerQueue.Timer timer = timers.schedule(clock.monotonicNanos() + request.timeout().toNanos(),
                () -> relayTimedOut(sequence));
        relays.put(sequence, new Relay(from, request.sequence(), request.target(), timer));
        relaysStarted++;
        output.send(request.target(), new Message.Ping(sequence, clock.epochNanos()));
    }

    /** Returns false if the ACK answers none of our relayed PINGs. */
    boolean onAck(InetSocketAddress from, Message.Ack ack) {
        Relay relay = relays.get(ack.sequence());
        if (relay == null || !relay.target.equals(from)) {
            return false;
        }
        relays.remove(ack.sequence());
        relay.timer.cancel();
        output.send(relay.requester, new Message.Ack(relay.requestSequence, ack.pingSentEpochNanos(),
                ack.receivedEpochNanos(), ack.sentEpochNanos(), ack.incarnation()));
        return true;
    }

    private void relayTimedOut(long sequence) {
        Relay relay = relays.remove(sequence);
        if (relay != null) {
            output.send(relay.requester, new Message.Nack(relay.requestSequence, relay.target));
        }
    }
}
