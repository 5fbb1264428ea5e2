package io.pulse.core;

import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * This member's watch over its subjects, its successors on the rings of the configuration it holds:
 * a private {@link Detector} probes them (indirectly through random members of the configuration),
 * and a subject it finds DEAD, or back ALIVE, becomes a DOWN or UP alert for the coordinators. The
 * detector's own events stay here; what the cluster publishes is decided by agreement.
 */
final class Observation {
    private final ClusterConfig config;
    private final Clock clock;
    private final PulseCore.Output output;
    private final Consumer<Runnable> defer;
    private final InetSocketAddress self;
    private final AlertOutbox alerts;
    private final SplittableRandom random;
    private final Detector detector;
    private final Map<NodeId, MemberInfo> subjects = new LinkedHashMap<>();
    private Configuration current;
    private boolean active;

    Observation(
            ClusterConfig config,
            DetectorConfig detectorConfig,
            Clock clock,
            TimerQueue timers,
            Sequences sequences,
            PulseCore.Output output,
            Consumer<Runnable> defer,
            InetSocketAddress self,
            AlertOutbox alerts,
            Supplier<ConfigRef> configuration) {
        this.config = config;
        this.clock = clock;
        this.output = output;
        this.defer = defer;
        this.self = self;
        this.alerts = alerts;
        this.random = new SplittableRandom(detectorConfig.randomSeed() ^ Hashing.address(self));
        DetectorConfig observing = detectorConfig.toBuilder()
                .deadProbeInterval(shorter(detectorConfig.deadProbeInterval(), config.removedProbeInterval()))
                .build();
        this.detector = new Detector(observing, clock, timers, sequences, new DetectorOutput(), this::relays);
        detector.configuration(configuration);
    }

    private static java.time.Duration shorter(java.time.Duration a, java.time.Duration b) {
        return a.compareTo(b) <= 0 ? a : b;
    }

    void start() {
        detector.start();
    }

    void stop() {
        active = false;
        detector.stop();
    }

    /**
     * Watches exactly the subjects of member {@code selfIndex} in {@code configuration} while
     * {@code member} (a member that is joining, leaving or out watches nobody). A subject still
     * DEAD in a new configuration is reported again, in its terms.
     */
    void watch(Configuration configuration, int selfIndex, boolean member) {
        current = configuration;
        active = member && selfIndex >= 0;
        Map<NodeId, MemberInfo> wanted = new LinkedHashMap<>();
        if (active) {
            for (int s : configuration.subjectsOf(selfIndex, config.observers())) {
                MemberInfo m = configuration.member(s);
                wanted.put(m.id(), m);
            }
        }
        for (MemberInfo old : List.copyOf(subjects.values())) {
            MemberInfo now = wanted.get(old.id());
            if (now == null || now.incarnation() != old.incarnation()) {
                subjects.remove(old.id());
                detector.remove(old.id());
            }
        }
        for (MemberInfo m : wanted.values()) {
            if (subjects.putIfAbsent(m.id(), m) == null) {
                detector.add(m.id(), m.address(), TargetOptions.defaults());
            } else if (detector.status(m.id()).state() == Liveness.DEAD) {
                alerts.add(new Message.AlertEntry(Message.AlertEntry.Kind.DOWN, m.bare()));
            }
        }
    }

    boolean onAck(InetSocketAddress from, Message.Ack ack) {
        return detector.onAck(from, ack);
    }

    boolean onNack(InetSocketAddress from, Message.Nack nack) {
        return detector.onNack(from, nack);
    }

    /** What this member saw of {@code member}: null unless it is a subject. */
    Liveness seen(NodeId member) {
        return subjects.containsKey(member) ? detector.status(member).state() : null;
    }

    /** This member's own evidence about {@code member} (its RTT, its last contact), or null. */
    NodeStatus evidence(NodeId member) {
        return detector.statusOrNull(member);
    }

    int localHealthMultiplier() {
        return detector.localHealthMultiplier();
    }

    private void subjectChanged(Transition change) {
        MemberInfo m = subjects.get(change.node());
        if (m == null || !active) {
            return;
        }
        if (change.current() == Liveness.DEAD) {
            alerts.add(new Message.AlertEntry(Message.AlertEntry.Kind.DOWN, m.bare()));
            alerts.tick(clock.monotonicNanos());
        } else if (change.previous() == Liveness.DEAD && change.current() == Liveness.ALIVE) {
            alerts.add(new Message.AlertEntry(Message.AlertEntry.Kind.UP, m.bare()));
            alerts.tick(clock.monotonicNanos());
        }
    }

    /** Up to {@code k} random members of the configuration, to relay a probe of {@code target}. */
    private List<Detector.Peer> relays(NodeId target, int k) {
        List<Detector.Peer> peers = new ArrayList<>(k);
        if (current == null || current.size() <= 2) {
            return peers;
        }
        for (int tries = 0; peers.size() < k && tries < 4 * k; tries++) {
            MemberInfo m = current.member(random.nextInt(current.size()));
            NodeId id = m.id();
            if (m.address().equals(self) || id.equals(target) || peers.stream().anyMatch(p -> p.id().equals(id))) {
                continue;
            }
            peers.add(new Detector.Peer(id, m.address()));
        }
        return peers;
    }

    /** The detector's probes go out; its state changes come back here, after its own state work. */
    private final class DetectorOutput implements PulseCore.Output {
        @Override
        public void send(InetSocketAddress to, Message message) {
            output.send(to, message);
        }

        @Override
        public void statusChanged(Transition change) {
            defer.accept(() -> subjectChanged(change));
        }

        @Override
        public void rttSampled(RttSample sample) {
            output.rttSampled(sample);
        }
    }
}
