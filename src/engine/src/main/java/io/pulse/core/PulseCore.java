package io.pulse.core;

import java.net.InetSocketAddress;
import java.util.List;
import java.util.Objects;
import java.util.function.Predicate;

/**
 * The failure detector as a state machine with no I/O and no threads: a prober that watches
 * targets, and a responder that answers PINGs and relays PING_REQs. A driver (the Netty
 * transport, or the simulated network in the tests) feeds it messages and ticks, and performs
 * what it asks of its {@link Output}.
 *
 * <pre>{@code
 * PulseCore core = new PulseCore(DetectorConfig.defaults(), clock, incarnation, output);
 * core.addTarget(NodeId.parse("10.0.0.7:7946"), address, TargetOptions.defaults());
 * core.startProbing();
 * core.startResponding();
 * // driver loop:
 * core.onMessage(sender, decodedMessage);          // on every datagram
 * if (clock.monotonicNanos() >= core.nextDeadlineNanos()) core.tick();
 * }</pre>
 *
 * <p>Not thread-safe: one thread (in Netty, the channel's event loop) owns it.
 *
 * <p>Over 400 lines because it is the core's whole surface: every input and query, each a few
 * lines handing on to the {@code Detector}, the {@code Responder} or the {@code Membership}, and
 * the hold-back that delivers a transition's events only once it is complete.
 */
public final class PulseCore {

    /** What the core asks of its driver. Called synchronously from the core's methods. */
    public interface Output {
        /** Put {@code message} on the wire to {@code to}. */
        void send(InetSocketAddress to, Message message);

        /**
         * Probe the external target {@code node} (HTTP, TCP) and report with
         * {@link PulseCore#onProbeResult} carrying {@code sequence}, within {@code timeout} (a later
         * result still counts as contact, but the round may have failed by then).
         */
        default void probe(NodeId node, long sequence, java.time.Duration timeout) {
            throw new UnsupportedOperationException("this driver cannot probe external target " + node);
        }

        default void statusChanged(Transition change) {}

        default void failed(NodeFailure failure) {}

        default void removed(NodeId node) {}

        /** A direct probe was answered; delivered like the other events, after the state work. */
        default void rttSampled(RttSample sample) {}

        /**
         * Cluster mode: every event of the agreed change that made configuration {@code change} was
         * delivered just before this; a driver that confirms publications ({@link
         * #confirmPublications(boolean)}) calls {@link #published(ConfigRef)} once they are safe.
         */
        default void changeRaised(ConfigRef change) {}
    }

    /**
     * Counters of the messages the core handled or set aside (the codec counts malformed ones):
     * answers to nothing of ours ({@code unmatched}), ACKs from the wrong address
     * ({@code misaddressed}) or with an incarnation far ahead of the clock ({@code implausible}),
     * relays started, dropped (table or requester share full) and refused (requester or target not
     * allowed), answers dropped by the rate limits, and PINGs answered.
     */
    public record Counters(
            long unmatchedAcks,
            long unmatchedNacks,
            long misaddressedAcks,
            long nacksReceived,
            long relaysStarted,
            long relaysDropped,
            long unmatchedProbeResults,
            long unexpectedClusterMessages,
            long implausibleAcks,
            long relaysRefused,
            long answersLimited,
            long pingsAnswered) {}

    private final Clock clock;
    private final Output output;
    private final TimerQueue timers = new TimerQueue();
    /** Events raised during one entry point, delivered when its state work is done. */
    private final java.util.ArrayDeque<Runnable> pendingEvents = new java.util.ArrayDeque<>();

    private boolean delivering;
    private final Detector detector;
    private final Responder responder;
    private final DetectorConfig config;
    private final Sequences sequences;
    private final Output deferred;
    /** Cluster mode, once {@link #startCluster} was called; null in static mode. */
    private Membership membership;
    /** Whether the driver signs this node's datagrams (see {@link #signs(boolean)}). */
    private boolean signs;
    /** Whether the driver confirms each change's events itself (see {@link #confirmPublications(boolean)}). */
    private boolean manualConfirmation;

    private long unexpectedClusterMessages;
    private long unmatchedAcks;
    private long unmatchedNacks;
    private long unmatchedProbeResults;

    /**
     * @param incarnation this node's incarnation, carried in its ACKs; it must grow across restarts
     *                    (the start time in epoch milliseconds does, see {@link #defaultIncarnation})
     */
    public PulseCore(DetectorConfig config, Clock clock, long incarnation, Output output) {
        Objects.requireNonNull(config, "config");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.output = Objects.requireNonNull(output, "output");
        if (incarnation <= 0) {
            throw new IllegalArgumentException("incarnation must be > 0, got " + incarnation);
        }
        this.config = config;
        this.sequences = Sequences.secure();
        this.deferred = new DeferredEvents();
        this.detector = new Detector(config, clock, timers, sequences, deferred);
        this.responder = new Responder(
                clock,
                timers,
                Sequences.secure(),
                deferred,
                incarnation,
                address -> detector.watchesAddress(address) || (membership != null && membership.knows(address)),
                config.probeTimeoutMax());
    }

    /** An incarnation that grows across restarts: the wall clock in epoch milliseconds. */
    public static long defaultIncarnation(Clock clock) {
        return Math.max(1, clock.epochNanos() / 1_000_000);
    }

    // ---- targets ----

    /**
     * Starts watching a node at a resolved address.
     *
     * @throws DuplicateNodeException if the id, or the address, is watched already
     */
    public void addTarget(NodeId id, InetSocketAddress address, TargetOptions options) {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(address, "address");
        Objects.requireNonNull(options, "options");
        if (address.isUnresolved()) {
            throw new IllegalArgumentException("address must be resolved, got " + address);
        }
        detector.add(id, address, options);
    }

    /**
     * Starts watching a node that the driver probes itself (HTTP, TCP): the core asks for each
     * probe through {@link Output#probe} and learns its outcome from {@link #onProbeResult}. The
     * same rounds, retries, suspicion and recovery apply; there are no indirect probes.
     *
     * @throws DuplicateNodeException if the id is watched already
     */
    public void addExternalTarget(NodeId id, TargetOptions options) {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(options, "options");
        detector.add(id, null, options);
    }

    /** Stops watching a node; {@link Output#removed} follows. @throws UnknownNodeException */
    public void remove(NodeId id) {
        try {
            detector.remove(Objects.requireNonNull(id, "id"));
        } finally {
            deliverEvents();
        }
    }

    public void removeAll() {
        try {
            detector.removeAll();
        } finally {
            deliverEvents();
        }
    }

    /**
     * Probes the pulse target {@code id} at {@code address} from now on (its name resolves there
     * now); its status stays, its RTT and clock-offset estimates start again.
     *
     * @return the address it had, or null if it had this one already
     * @throws UnknownNodeException if it is not watched
     * @throws DuplicateNodeException if another target has the address
     */
    public InetSocketAddress readdressTarget(NodeId id, InetSocketAddress address) {
        Objects.requireNonNull(id, "id");
        if (address.isUnresolved()) {
            throw new IllegalArgumentException("address must be resolved, got " + address);
        }
        return detector.readdress(id, address);
    }

    /** Zeroes a node's probe counts, RTT and clock-offset estimates. @throws UnknownNodeException */
    public void resetStatistics(NodeId id) {
        detector.resetStatistics(Objects.requireNonNull(id, "id"));
    }

    /** Starts probing every target, spread at random over one probe interval. */
    public void startProbing() {
        detector.start();
    }

    /** Stops probing; states and statistics are kept as they are. */
    public void stopProbing() {
        detector.stop();
    }

    public boolean probing() {
        return detector.probing();
    }

    /** @throws UnknownNodeException */
    public NodeStatus status(NodeId id) {
        return detector.status(Objects.requireNonNull(id, "id"));
    }

    /** Every target, ordered by id. */
    public List<NodeStatus> statusAll() {
        return detector.statusAll();
    }

    /**
     * The local health multiplier (see {@link DetectorConfig}): 1 while the monitor's view is
     * trusted, up to {@link DetectorConfig#localHealthMaxMultiplier()} while indirect phases go
     * unanswered; probe timeouts and intervals are stretched by it. In cluster mode, the larger of
     * the static targets' and the cluster observer's.
     */
    public int localHealthMultiplier() {
        return membership == null
                ? detector.localHealthMultiplier()
                : Math.max(detector.localHealthMultiplier(), membership.localHealthMultiplier());
    }

    public int targetCount() {
        return detector.ids().size();
    }

    // ---- responder ----

    public void startResponding() {
        responder.start();
    }

    /** Stops answering PINGs and relaying PING_REQs: to peers, this node looks down. */
    public void stopResponding() {
        responder.stop();
    }

    public boolean responding() {
        return responder.answering();
    }

    /** This node's incarnation: when its process started, in epoch milliseconds (a restart makes a new one). */
    public long incarnation() {
        return responder.incarnation();
    }

    // ---- cluster mode ----

    /**
     * Whether the driver signs every datagram this node sends (it holds keys). Unsigned, a
     * coordinator pads its PREPAREs and a member its CONFIG_REQUESTs to the size of the answer they
     * ask for, because a node answers an unsigned datagram with nothing larger. Call before
     * {@link #startCluster}.
     */
    public void signs(boolean value) {
        this.signs = value;
    }

    /**
     * Cluster mode: whether the driver tells the core, with {@link #published(ConfigRef)}, when the
     * events of a change it raised are safely published (for the sidecar: acknowledged by Kafka).
     * Default false: they count as published once the {@link Output} has them. Until a change's
     * publisher confirms it, the change's backup stands ready to publish the same events.
     */
    public void confirmPublications(boolean manual) {
        this.manualConfirmation = manual;
    }

    /**
     * Joins (or founds) a cluster as the member at {@code self}: with no {@code seeds} it is the first
     * member; otherwise it asks every seed to let it in every {@link ClusterConfig#joinRetryInterval()}
     * until it is in a configuration. Static targets added with {@link #addTarget} stay watched, by
     * their owners among the members.
     *
     * @throws IllegalStateException if cluster mode was started already
     */
    public void startCluster(ClusterConfig clusterConfig, InetSocketAddress self, List<InetSocketAddress> seeds) {
        startCluster(clusterConfig, self, Labels.NONE, seeds, !seeds.isEmpty(), null, new Configurations());
    }

    /** {@link #startCluster(ClusterConfig, InetSocketAddress, List)}, joining even with no seed yet when {@code join} is true. */
    public void startCluster(
            ClusterConfig clusterConfig, InetSocketAddress self, List<InetSocketAddress> seeds, boolean join) {
        startCluster(clusterConfig, self, Labels.NONE, seeds, join, null, new Configurations());
    }

    /**
     * The general form: this member's {@code labels}; {@code initial}, a configuration every member
     * starts from (null to found or join); {@code shared}, the configurations of the members of one
     * simulated network (a new one for a real node).
     */
    public void startCluster(
            ClusterConfig clusterConfig,
            InetSocketAddress self,
            Labels labels,
            List<InetSocketAddress> seeds,
            boolean join,
            Configuration initial,
            Configurations shared) {
        Objects.requireNonNull(clusterConfig, "clusterConfig");
        Objects.requireNonNull(self, "self");
        Objects.requireNonNull(labels, "labels");
        Objects.requireNonNull(seeds, "seeds");
        Objects.requireNonNull(shared, "shared");
        if (self.isUnresolved() || self.getAddress().isAnyLocalAddress() || self.getPort() == 0) {
            throw new IllegalArgumentException("self must be a resolved, specific address with a port, got " + self);
        }
        if (membership != null) {
            throw new IllegalStateException("cluster mode is started already");
        }
        MemberInfo me = new MemberInfo(self, responder.incarnation(), labels);
        membership = new Membership(
                clusterConfig,
                config,
                clock,
                timers,
                sequences,
                deferred,
                pendingEvents::add,
                me,
                signs,
                shared,
                manualConfirmation);
        responder.configuration(membership::ref);
        detector.configuration(membership::ref);
        detector.probeOnly(membership::probes);
        try {
            membership.start(seeds, join, initial);
        } finally {
            deliverEvents();
        }
    }

    public boolean clustered() {
        return membership != null;
    }

    /** More seeds for a member that is still joining (their host names resolved late). */
    public void addSeeds(List<InetSocketAddress> seeds) {
        requireCluster().addSeeds(List.copyOf(seeds));
    }

    /** Announces a clean stop (LEFT) to the cluster; see {@link #leaveDisseminated()}. */
    public void leaveCluster() {
        try {
            requireCluster().leave();
        } finally {
            deliverEvents();
        }
    }

    /** True once a configuration without this member was decided: the others know it left. */
    public boolean leaveDisseminated() {
        return requireCluster().leaveDisseminated();
    }

    /**
     * Cluster mode: the events this node raised for the change that made configuration
     * {@code change} are published (see {@link #confirmPublications(boolean)}).
     */
    public void published(ConfigRef change) {
        try {
            requireCluster().published(Objects.requireNonNull(change, "change"));
        } finally {
            deliverEvents();
        }
    }

    /** Every member of the configuration this node holds, and those it remembers away, ordered by id. */
    public List<MemberStatus> members() {
        return requireCluster().members();
    }

    public ClusterStats clusterStats() {
        return requireCluster().stats();
    }

    /** The agreed configuration this node holds, or null before its first. */
    public Configuration configuration() {
        return requireCluster().configuration();
    }

    private Membership requireCluster() {
        if (membership == null) {
            throw new IllegalStateException("not in cluster mode");
        }
        return membership;
    }

    // ---- the driver's inputs ----

    /** One decoded, unauthenticated datagram from {@code from}. */
    public void onMessage(InetSocketAddress from, Message message) {
        onMessage(from, message, false);
    }

    /**
     * One decoded datagram from {@code from}; {@code authenticated} when its MAC checked out, which
     * makes its sender a peer whose PING_REQs are relayed.
     */
    public void onMessage(InetSocketAddress from, Message message, boolean authenticated) {
        try {
            dispatch(from, message, authenticated);
        } finally {
            deliverEvents();
        }
    }

    /**
     * Which PING_REQs are relayed: those of authenticated senders, watched nodes and members
     * always, those of other senders if {@code strangers} allows them; and only to targets that
     * {@code targets} allows. Default: every sender, any target but multicast, broadcast and
     * unspecified addresses ({@link RelayPolicy}).
     */
    public void relayPolicy(Predicate<InetSocketAddress> strangers, Predicate<InetSocketAddress> targets) {
        responder.relayPolicy(
                Objects.requireNonNull(strangers, "strangers"), Objects.requireNonNull(targets, "targets"));
    }

    /**
     * Caps the answers (ACKs to PINGs, relayed PINGs) given per second to one address and to all
     * together; the excess is dropped and counted ({@link Counters#answersLimited()}). Default
     * 200 and 50,000. ACKs to this node's own probes are never capped.
     */
    public void answerLimits(int perSecondPerSource, int perSecondInAll) {
        responder.answerLimits(new AnswerLimits(perSecondPerSource, perSecondInAll));
    }

    private void dispatch(InetSocketAddress from, Message message, boolean authenticated) {
        long receivedEpochNanos = clock.epochNanos();
        if (message instanceof Message.Ping ping) {
            responder.onPing(from, ping, receivedEpochNanos, authenticated);
            if (membership != null) {
                membership.onConfigSeen(from, ping.config());
            }
        } else if (message instanceof Message.PingReq request) {
            responder.onPingReq(from, request, authenticated);
        } else if (message instanceof Message.Ack ack) {
            if (!detector.onAck(from, ack)
                    && (membership == null || !membership.onAck(from, ack))
                    && !responder.onAck(from, ack)) {
                unmatchedAcks++;
            }
            if (membership != null) {
                membership.onConfigSeen(from, ack.config());
            }
        } else if (message instanceof Message.Nack nack) {
            if (!detector.onNack(from, nack) && (membership == null || !membership.onNack(from, nack))) {
                unmatchedNacks++;
            }
        } else if (membership != null) {
            membership.onMessage(from, message, authenticated);
        } else {
            unexpectedClusterMessages++;
        }
    }

    /** The outcome of a probe asked for through {@link Output#probe}; unknown or late ones are counted and dropped. */
    public void onProbeResult(ProbeResult result) {
        try {
            if (!detector.onProbeResult(Objects.requireNonNull(result, "result"))) {
                unmatchedProbeResults++;
            }
        } finally {
            deliverEvents();
        }
    }

    /** Fires every timer that is due; call it when the clock reaches {@link #nextDeadlineNanos()}. */
    public void tick() {
        try {
            timers.fireDue(clock.monotonicNanos());
        } finally {
            deliverEvents();
        }
    }

    /** When the next timer is due on the monotonic clock, or {@link Long#MAX_VALUE} if none is. */
    public long nextDeadlineNanos() {
        return timers.nextDeadlineNanos();
    }

    /**
     * Hands the queued events to the {@link Output}, after the entry point that raised them has
     * finished its state work: a listener that throws, or calls back into the core, cannot leave a
     * transition half done. Events a listener's call raises are delivered in the same loop; if a
     * listener throws, the rest wait for the next entry point.
     */
    private void deliverEvents() {
        if (delivering) {
            return;
        }
        delivering = true;
        try {
            Runnable event;
            while ((event = pendingEvents.poll()) != null) {
                event.run();
            }
        } finally {
            delivering = false;
        }
    }

    /** Passes packets and probe requests straight through; queues events until {@link #deliverEvents}. */
    private final class DeferredEvents implements Output {
        @Override
        public void send(InetSocketAddress to, Message message) {
            output.send(to, message);
        }

        @Override
        public void probe(NodeId node, long sequence, java.time.Duration timeout) {
            output.probe(node, sequence, timeout);
        }

        @Override
        public void statusChanged(Transition change) {
            if (publishes(change.node())) {
                pendingEvents.add(() -> output.statusChanged(change));
            }
        }

        @Override
        public void failed(NodeFailure failure) {
            if (publishes(failure.node())) {
                pendingEvents.add(() -> output.failed(failure));
            }
        }

        /** In cluster mode, a static target's events come from its first owner alone. */
        private boolean publishes(NodeId node) {
            return membership == null || !detector.watches(node) || membership.publishes(node);
        }

        @Override
        public void removed(NodeId node) {
            pendingEvents.add(() -> output.removed(node));
        }

        @Override
        public void rttSampled(RttSample sample) {
            pendingEvents.add(() -> output.rttSampled(sample));
        }

        @Override
        public void changeRaised(ConfigRef change) {
            pendingEvents.add(() -> output.changeRaised(change));
        }
    }

    public Counters counters() {
        return new Counters(
                unmatchedAcks,
                unmatchedNacks,
                detector.misaddressedAcks(),
                detector.nacks(),
                responder.relaysStarted(),
                responder.relaysDropped(),
                unmatchedProbeResults,
                unexpectedClusterMessages,
                detector.implausibleAcks(),
                responder.relaysRefused(),
                responder.answersLimited(),
                responder.pingsAnswered());
    }
}
