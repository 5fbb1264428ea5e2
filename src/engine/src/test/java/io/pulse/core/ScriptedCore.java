package io.pulse.core;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/** A {@link PulseCore} on a {@link ManualClock}, with everything it outputs recorded, for scripted tests. */
final class ScriptedCore {
    /** A datagram the core asked to send, with when. */
    record Sent(long atNanos, InetSocketAddress to, Message message) {}

    final ManualClock clock = new ManualClock();
    /** An external probe the core asked the driver for. */
    record Asked(long atNanos, NodeId node, long sequence, Duration timeout) {}

    final List<Sent> sent = new ArrayList<>();
    final List<Asked> asked = new ArrayList<>();
    final List<Transition> changes = new ArrayList<>();
    final List<NodeFailure> failures = new ArrayList<>();
    final List<NodeId> removed = new ArrayList<>();
    final List<RttSample> rttSamples = new ArrayList<>();
    final PulseCore core;
    /** The incarnation each simulated peer answers with; 1 unless a test changes it. */
    final Map<InetSocketAddress, Long> incarnations = new HashMap<>();
    /**
     * Whether relays that are not silent themselves NACK a PING_REQ for a silent target, as real
     * responders do. A test turns it off for relays that hear nothing in time (the monitor's own
     * trouble, as far as local health can tell).
     */
    boolean relaysNack = true;

    private int answeredUpTo;

    ScriptedCore(DetectorConfig config, long incarnation) {
        core = new PulseCore(config, clock, incarnation, new PulseCore.Output() {
            @Override
            public void send(InetSocketAddress to, Message message) {
                sent.add(new Sent(clock.monotonicNanos(), to, message));
            }

            @Override
            public void probe(NodeId node, long sequence, Duration timeout) {
                asked.add(new Asked(clock.monotonicNanos(), node, sequence, timeout));
            }

            @Override
            public void statusChanged(Transition change) {
                changes.add(change);
            }

            @Override
            public void failed(NodeFailure failure) {
                failures.add(failure);
            }

            @Override
            public void removed(NodeId node) {
                removed.add(node);
            }

            @Override
            public void rttSampled(RttSample sample) {
                rttSamples.add(sample);
            }
        });
    }

    /** A config with fixed timing (no jitter, a 100 ms probe timeout) so that scripts are exact. */
    static DetectorConfig exactConfig() {
        return DetectorConfig.builder()
                .probeInterval(Duration.ofSeconds(1))
                .probeTimeoutMin(Duration.ofMillis(100))
                .probeTimeoutMax(Duration.ofMillis(100))
                .maxRetries(2)
                .indirectProbes(3)
                .suspicionTimeout(Duration.ofSeconds(1))
                .deadProbeInterval(Duration.ofSeconds(5))
                .jitterRatio(0)
                .randomSeed(7)
                .build();
    }

    /** A core on {@link #exactConfig()} watching 10.0.0.1 to 10.0.0.{@code n}, all ALIVE, its records cleared. */
    static ScriptedCore withAliveTargets(int n, long incarnation) {
        ScriptedCore s = new ScriptedCore(exactConfig(), incarnation);
        for (int i = 1; i <= n; i++) {
            s.add(i);
        }
        s.core.startProbing();
        s.runAnswering(Duration.ofSeconds(2), Set.of());
        s.changes.clear();
        return s;
    }

    static InetSocketAddress address(int lastOctet) {
        try {
            return new InetSocketAddress(InetAddress.getByAddress(new byte[] {10, 0, 0, (byte) lastOctet}), 7946);
        } catch (UnknownHostException e) {
            throw new AssertionError(e);
        }
    }

    static NodeId id(int lastOctet) {
        return NodeId.of("10.0.0." + lastOctet, 7946);
    }

    NodeId add(int lastOctet) {
        core.addTarget(id(lastOctet), address(lastOctet), TargetOptions.defaults());
        return id(lastOctet);
    }

    /** Moves time forward, firing every timer at its own deadline on the way. */
    void advance(Duration duration) {
        long until = clock.monotonicNanos() + duration.toNanos();
        while (core.nextDeadlineNanos() <= until) {
            clock.advanceTo(core.nextDeadlineNanos());
            core.tick();
        }
        clock.advanceTo(until);
    }

    /**
     * Runs, with every peer but {@code to} answering at once, until the core sends a PING to
     * {@code to}; returns that PING (unanswered).
     */
    Sent awaitPing(InetSocketAddress to, Duration limit) {
        long until = clock.monotonicNanos() + limit.toNanos();
        int seen = sent.size();
        while (true) {
            for (int i = seen; i < sent.size(); i++) {
                if (sent.get(i).to().equals(to) && sent.get(i).message() instanceof Message.Ping) {
                    answerPending(Set.of(to), Set.of());
                    return sent.get(i);
                }
            }
            seen = sent.size();
            answerPending(Set.of(to), Set.of());
            long next = core.nextDeadlineNanos();
            if (next > until) {
                throw new AssertionError("no PING sent to " + to + " within " + limit);
            }
            clock.advanceTo(next);
            core.tick();
        }
    }

    /** The peer at {@code from} answers {@code ping} the way a responder with {@code incarnation} would. */
    void ack(InetSocketAddress from, Message.Ping ping, long incarnation) {
        long now = clock.epochNanos();
        core.onMessage(from, new Message.Ack(ping.sequence(), ping.sentEpochNanos(), now, now, incarnation));
    }

    /** Every target other than {@code exceptTo} answers whatever it was sent and has not answered yet. */
    void answerAllExcept(InetSocketAddress exceptTo, int fromIndex) {
        for (int i = fromIndex; i < sent.size(); i++) {
            Sent s = sent.get(i);
            if (!s.to().equals(exceptTo) && s.message() instanceof Message.Ping ping) {
                ack(s.to(), ping, 1);
            }
        }
    }

    /**
     * Runs for {@code duration}, with every peer answering at once: PINGs with an ACK, PING_REQs
     * with a relayed ACK. Peers in {@code silent} answer nothing; targets in {@code unreachableDirectly}
     * do not answer direct PINGs but are reached through relays.
     */
    void runAnswering(Duration duration, Set<InetSocketAddress> silent, Set<InetSocketAddress> unreachableDirectly) {
        long until = clock.monotonicNanos() + duration.toNanos();
        while (true) {
            answerPending(silent, unreachableDirectly);
            long next = core.nextDeadlineNanos();
            if (next > until) {
                break;
            }
            clock.advanceTo(next);
            core.tick();
        }
        clock.advanceTo(until);
    }

    void runAnswering(Duration duration, Set<InetSocketAddress> silent) {
        runAnswering(duration, silent, Set.of());
    }

    private void answerPending(Set<InetSocketAddress> silent, Set<InetSocketAddress> unreachableDirectly) {
        while (answeredUpTo < sent.size()) {
            Sent s = sent.get(answeredUpTo++);
            if (silent.contains(s.to())) {
                continue;
            }
            if (s.message() instanceof Message.Ping ping && !unreachableDirectly.contains(s.to())) {
                ack(s.to(), ping, incarnations.getOrDefault(s.to(), 1L));
            } else if (s.message() instanceof Message.PingReq request && !silent.contains(request.target())) {
                long now = clock.epochNanos();
                core.onMessage(
                        s.to(),
                        new Message.Ack(
                                request.sequence(), now, now, now, incarnations.getOrDefault(request.target(), 1L)));
            } else if (s.message() instanceof Message.PingReq request && relaysNack) {
                core.onMessage(s.to(), new Message.Nack(request.sequence(), request.target()));
            }
        }
    }

    List<Message> sentTo(InetSocketAddress to, int fromIndex) {
        return sent.subList(fromIndex, sent.size()).stream()
                .filter(s -> s.to().equals(to))
                .map(Sent::message)
                .collect(Collectors.toList());
    }

    <T extends Message> List<Sent> sentOfType(Class<T> type, int fromIndex) {
        return sent.subList(fromIndex, sent.size()).stream()
                .filter(s -> type.isInstance(s.message()))
                .collect(Collectors.toList());
    }

    Transition lastChange() {
        return changes.get(changes.size() - 1);
    }
}
