package io.pulse.core;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.PriorityQueue;
import java.util.Set;
import java.util.SplittableRandom;

/**
 * Many {@link PulseCore}s on one virtual clock, joined by an in-memory network with seeded loss,
 * delay and partitions. The same seed gives the same run, event for event. Nothing here sleeps:
 * an hour of a 200-node cluster runs in seconds.
 *
 * <pre>{@code
 * SimulatedNetwork net = new SimulatedNetwork(42);
 * net.lossRate(0.1);
 * SimulatedNetwork.Node monitor = net.addNode(config, Duration.ZERO);
 * ...
 * net.run(Duration.ofHours(1));
 * }</pre>
 */
final class SimulatedNetwork {

    /** One simulated node and everything its core reported. */
    final class Node {
        final int index;
        final InetSocketAddress address;
        final NodeId id;
        PulseCore core;
        private final DetectorConfig config;
        private final Clock nodeClock;
        private int lives = 1;
        final List<Transition> changes = new ArrayList<>();
        final List<NodeFailure> failures = new ArrayList<>();
        /** When each of {@link #failures} was raised, in simulated monotonic nanoseconds. */
        final List<Long> failedAtNanos = new ArrayList<>();

        final List<NodeId> removals = new ArrayList<>();
        private long wakeAt = Long.MAX_VALUE;
        private boolean crashed;
        private boolean isolated;
        private SharedHost host;

        private Node(int index, DetectorConfig config, Clock nodeClock) {
            this.index = index;
            this.address = addressOf(index);
            this.id = NodeId.of(address.getAddress().getHostAddress(), address.getPort());
            this.config = config;
            this.nodeClock = nodeClock;
            this.core = newCore();
        }

        /** A core of this node's current life: its incarnation grows with each restart. */
        private PulseCore newCore() {
            return new PulseCore(config, nodeClock, 1 + index + 1_000_000L * (lives - 1), new PulseCore.Output() {
                @Override
                public void send(InetSocketAddress to, Message message) {
                    transmit(Node.this, to, message);
                }

                @Override
                public void statusChanged(Transition change) {
                    changes.add(change);
                }

                @Override
                public void failed(NodeFailure failure) {
                    failures.add(failure);
                    failedAtNanos.add(clock.monotonicNanos());
                }

                @Override
                public void removed(NodeId node) {
                    removals.add(node);
                }
            });
        }

        /** Cluster mode: joins through {@code seeds} (none: founds the cluster), answering and observing. */
        void join(ClusterConfig cluster, Node... seeds) {
            List<InetSocketAddress> addresses = new ArrayList<>();
            for (Node seed : seeds) {
                addresses.add(seed.address);
            }
            core.startResponding();
            core.startCluster(cluster, address, Labels.NONE, addresses, seeds.length > 0, null, configurations);
            scheduleWake(this);
        }

        /** Cluster mode: starts from {@code initial}, a configuration every member was given. */
        void startIn(ClusterConfig cluster, Configuration initial) {
            core.startResponding();
            core.startCluster(cluster, address, Labels.NONE, List.of(), false, initial, configurations);
            scheduleWake(this);
        }

        /** The process restarts: a new core with a new incarnation, joining again through {@code seeds}. */
        void restart(ClusterConfig cluster, Node... seeds) {
            lives++;
            crashed = false;
            core = newCore();
            join(cluster, seeds);
        }

        /** The configuration this member holds, or null. */
        Configuration configuration() {
            return core.configuration();
        }

        /** Whether this member holds {@code other} in its configuration. */
        boolean holds(Node other) {
            Configuration c = core.configuration();
            return c != null && c.contains(other.address);
        }

        /** Cluster mode: announces LEFT; the driver then stops it once that went out. */
        void leave() {
            core.leaveCluster();
            scheduleWake(this);
        }

        /** This member's view of {@code other}, or null if it does not know it. */
        Liveness viewOf(Node other) {
            for (MemberStatus m : core.members()) {
                if (m.id().equals(other.id)) {
                    return m.state();
                }
            }
            return null;
        }

        boolean crashed() {
            return crashed;
        }

        void watch(Node other) {
            core.addTarget(other.id, other.address, TargetOptions.defaults());
            scheduleWake(this);
        }

        /** Stops dead: no more datagrams in or out, no more timers. */
        void crash() {
            crashed = true;
        }

        /** Comes back with its state as it was (a paused process that resumes). */
        void resume() {
            crashed = false;
            scheduleWake(this);
        }

        void startProbing() {
            core.startProbing();
            scheduleWake(this);
        }

        void startResponding() {
            core.startResponding();
        }

        /** From now on, every datagram this node receives takes its turn on {@code shared}. */
        void runOn(SharedHost shared) {
            this.host = shared;
        }
    }

    /**
     * One CPU that several nodes share, like the responders' JVM in the UDP load harness: each
     * datagram delivered to any of them takes {@code serviceTime} of it, first come first served,
     * and one that would wait longer than {@code maxQueueDelay} is dropped, as a full socket
     * buffer drops it. Sending costs nothing here.
     */
    final class SharedHost {
        private final long serviceNanos;
        private final long maxQueueNanos;
        private long busyUntil;
        private long busyNanos;

        SharedHost(Duration serviceTime, Duration maxQueueDelay) {
            this.serviceNanos = serviceTime.toNanos();
            this.maxQueueNanos = maxQueueDelay.toNanos();
        }

        /** Stops serving for {@code duration} from now (a GC pause, a descheduled process); work queues up. */
        void pause(Duration duration) {
            busyUntil = Math.max(busyUntil, clock.monotonicNanos()) + duration.toNanos();
        }

        /** CPU time spent on datagrams so far. */
        Duration busy() {
            return Duration.ofNanos(busyNanos);
        }

        /** When a datagram arriving at {@code arrivalNanos} has been handled, or -1 if it is dropped. */
        private long admit(long arrivalNanos) {
            long start = Math.max(arrivalNanos, busyUntil);
            if (start - arrivalNanos > maxQueueNanos) {
                return -1;
            }
            busyUntil = start + serviceNanos;
            busyNanos += serviceNanos;
            return busyUntil;
        }
    }

    private record Event(long atNanos, long order, Node node, InetSocketAddress from, Message message) {
        boolean isWake() {
            return message == null;
        }
    }

    private final ManualClock clock = new ManualClock();
    /** Every member's configurations, shared: members holding the same one hold one instance. */
    private final Configurations configurations = new Configurations();

    private final SplittableRandom random;
    private final List<Node> nodes = new ArrayList<>();
    private final Map<InetSocketAddress, Node> byAddress = new HashMap<>();
    private final PriorityQueue<Event> events = new PriorityQueue<>(
            (a, b) -> a.atNanos != b.atNanos ? Long.compare(a.atNanos, b.atNanos) : Long.compare(a.order, b.order));
    private final Set<Long> cutLinks = new HashSet<>();
    private final Map<Long, Long> fixedDelays = new HashMap<>();
    private long order;
    private double lossRate;
    private long minDelayNanos = Duration.ofMillis(1).toNanos();
    private long maxDelayNanos = Duration.ofMillis(5).toNanos();
    private long delivered;
    private long dropped;
    private long sent;
    private java.util.function.ToIntFunction<Message> sizer;
    private long sentBytes;

    /** Measures every datagram handed to the network (e.g. with the wire format's encoded size). */
    void measureWith(java.util.function.ToIntFunction<Message> value) {
        this.sizer = value;
    }

    long sentBytes() {
        return sentBytes;
    }

    SimulatedNetwork(long seed) {
        this.random = new SplittableRandom(seed);
    }

    /** Each datagram is lost with this probability, independently, in both directions. */
    void lossRate(double rate) {
        this.lossRate = rate;
    }

    /** One-way delay, uniform in {@code [min, max]}. */
    void delay(Duration min, Duration max) {
        this.minDelayNanos = min.toNanos();
        this.maxDelayNanos = max.toNanos();
    }

    /** A fixed one-way delay from {@code from} to {@code to}, overriding the uniform one. */
    void fixedDelay(Node from, Node to, Duration delay) {
        fixedDelays.put(link(from, to), delay.toNanos());
    }

    /** Drops everything between {@code a} and {@code b}, both ways. */
    void cut(Node a, Node b) {
        cutLinks.add(link(a, b));
        cutLinks.add(link(b, a));
    }

    /**
     * Cuts {@code group} off from every other node, both ways, while its members still reach each
     * other: the same as {@link #cut} for every pair across, without a set of N² links.
     */
    void isolate(Iterable<Node> group) {
        for (Node node : group) {
            node.isolated = true;
        }
    }

    /** Restores every link cut by {@link #cut} or {@link #isolate}. */
    void healAll() {
        cutLinks.clear();
        for (Node node : nodes) {
            node.isolated = false;
        }
    }

    Node addNode(DetectorConfig config, Duration clockSkew) {
        Node node = new Node(nodes.size(), config, clock.skewedBy(clockSkew));
        nodes.add(node);
        byAddress.put(node.address, node);
        return node;
    }

    ManualClock clock() {
        return clock;
    }

    long delivered() {
        return delivered;
    }

    long dropped() {
        return dropped;
    }

    List<Node> nodes() {
        return nodes;
    }

    /** Datagrams handed to the network so far (delivered or not), and their bytes if {@code sizer} measures them. */
    long sent() {
        return sent;
    }

    /** Runs every event due within {@code duration} of virtual time. */
    void run(Duration duration) {
        long until = clock.monotonicNanos() + duration.toNanos();
        Event event;
        while ((event = events.peek()) != null && event.atNanos <= until) {
            events.poll();
            clock.advanceTo(event.atNanos);
            Node node = event.node;
            if (event.isWake()) {
                if (event.atNanos != node.wakeAt) {
                    continue; // superseded by an earlier wake-up
                }
                node.wakeAt = Long.MAX_VALUE;
                if (!node.crashed) {
                    node.core.tick();
                }
            } else if (!node.crashed) {
                delivered++;
                node.core.onMessage(event.from, event.message);
            } else {
                dropped++;
            }
            if (!node.crashed) {
                scheduleWake(node);
            }
        }
        clock.advanceTo(until);
    }

    private void transmit(Node from, InetSocketAddress to, Message message) {
        sent++;
        if (sizer != null) {
            sentBytes += sizer.applyAsInt(message);
        }
        Node target = byAddress.get(to);
        if (from.crashed
                || target == null
                || from.isolated != target.isolated
                || cutLinks.contains(link(from, target))
                || (lossRate > 0 && random.nextDouble() < lossRate)) {
            dropped++;
            return;
        }
        Long fixed = fixedDelays.get(link(from, target));
        long delay =
                fixed != null ? fixed : minDelayNanos + (long) (random.nextDouble() * (maxDelayNanos - minDelayNanos));
        long at = clock.monotonicNanos() + delay;
        if (target.host != null) {
            at = target.host.admit(at);
            if (at < 0) {
                dropped++;
                return;
            }
        }
        events.add(new Event(at, order++, target, from.address, message));
    }

    private void scheduleWake(Node node) {
        long next = node.core.nextDeadlineNanos();
        if (next < node.wakeAt) {
            node.wakeAt = Math.max(next, clock.monotonicNanos());
            events.add(new Event(node.wakeAt, order++, node, null, null));
        }
    }

    private static long link(Node from, Node to) {
        return ((long) from.index << 32) | to.index;
    }

    private static InetSocketAddress addressOf(int index) {
        try {
            // Addresses are only keys here: nothing is ever sent to them.
            byte[] ip = {10, (byte) (index >> 16), (byte) (index >> 8), (byte) index};
            return new InetSocketAddress(InetAddress.getByAddress(ip), 7946);
        } catch (UnknownHostException e) {
            throw new AssertionError(e);
        }
    }
}
