package io.pulse.core;

import java.net.InetSocketAddress;
import java.util.List;
import java.util.function.Consumer;

/**
 * Cluster mode: this member's part in a membership that the cluster agrees on. Pure like the rest
 * of the core; the package documentation describes the protocol.
 *
 * <p>A member is JOINING until a configuration that holds it arrives, then a MEMBER: it observes
 * its subjects (its successors on the configuration's rings) through an {@link Observation} and
 * reports to the coordinators through an {@link AlertOutbox} those it finds down; if it is a
 * coordinator, {@link Coordination} turns the news into a proposal and {@link Agreement} gets it
 * decided by a majority; every member applies a decided change the same way, and
 * {@link Publication} has its publisher (or the backup) raise the events. A member learns that it
 * is behind, or removed, from the configuration every probe carries, and catches up through
 * {@link ConfigTransfer}; a removed member joins again at once. LEAVING ends when a configuration
 * without this member is decided. {@link Joining} does the join handshake, both sides of it, and
 * {@link Nudges} tells members removed lately that they are out.
 *
 * <p>Over 400 lines because it is where the parts meet: the routing of each cluster message, and the
 * one place that adopts a configuration and moves the phase, which every part follows; the work of
 * each step is in the part it names.
 */
final class Membership {
    enum Phase {
        JOINING,
        MEMBER,
        LEAVING,
        LEFT
    }

    // Injected
    private final ClusterConfig config;
    private final Clock clock;
    private final TimerQueue timers;
    private final Sequences sequences;
    private final PulseCore.Output output;
    private final Consumer<Runnable> defer;
    private final MemberInfo self;
    private final boolean signed;
    private final Configurations configurations;
    private final boolean manualConfirmation;
    // Parts
    private final Observation observation;
    private final AlertOutbox alerts;
    private final ConfigTransfer transfer;
    private final Publication publication;
    private final Joining joining;
    private final Nudges nudges;
    private final Proposer proposer;
    // State
    private Phase phase = Phase.JOINING;
    private Configuration current;
    private int selfIndex = -1;
    private Agreement agreement;

    private TimerQueue.Timer tickTimer;
    private TimerQueue.Timer nudgeTimer;
    private boolean running;
    // Counters
    private long decisions;
    private long alertsReceived;
    private long ignored;

    Membership(
            ClusterConfig config,
            DetectorConfig detectorConfig,
            Clock clock,
            TimerQueue timers,
            Sequences sequences,
            PulseCore.Output output,
            Consumer<Runnable> defer,
            MemberInfo self,
            boolean signed,
            Configurations configurations,
            boolean manualConfirmation) {
        this.config = config;
        this.clock = clock;
        this.timers = timers;
        this.sequences = sequences;
        this.output = output;
        this.defer = defer;
        this.self = self;
        this.signed = signed;
        this.configurations = configurations;
        this.manualConfirmation = manualConfirmation;
        Parts parts = new Parts();
        this.alerts = new AlertOutbox(config, sequences, parts);
        this.observation = new Observation(
                config, detectorConfig, clock, timers, sequences, output, defer, self.address(), alerts, this::ref);
        this.transfer = new ConfigTransfer(sequences, parts, signed, configurations);
        this.publication = new Publication(config, sequences, parts, self.id());
        this.joining = new Joining(config, clock, sequences, output, self);
        this.nudges = new Nudges(config, clock, sequences, output, self.address());
        this.proposer = new Proposer(config, clock, timers);
    }

    /** What the parts hand back: their datagrams go out, their results come here. */
    private final class Parts implements AlertOutbox.Sink, ConfigTransfer.Sink, Publication.Sink {
        @Override
        public void send(InetSocketAddress to, Message message) {
            output.send(to, message);
        }

        @Override
        public void deliverLocally(List<Message.AlertEntry> entries) {
            onAlertEntries(selfIndex, entries);
        }

        @Override
        public void decided(InetSocketAddress from, Message.Decided decided) {
            onDecided(from, decided, true);
        }

        @Override
        public void fetched(InetSocketAddress from, Configuration configuration) {
            adopt(configuration, null, from);
        }

        @Override
        public void statusChanged(Transition change) {
            output.statusChanged(change);
        }

        @Override
        public void failed(NodeFailure failure) {
            output.failed(failure);
        }

        @Override
        public NodeStatus evidence(NodeId member) {
            return observation.evidence(member);
        }

        @Override
        public void changeRaised(ConfigRef change) {
            output.changeRaised(change);
        }
    }

    // ---- lifecycle ----

    /**
     * Starts: founds a cluster ({@code join} false), joins through {@code seeds} (some may come later,
     * {@link #addSeeds}), or starts from {@code initial}, a configuration every member was given.
     */
    void start(List<InetSocketAddress> seedAddresses, boolean join, Configuration initial) {
        running = true;
        joining.addSeeds(seedAddresses);
        observation.start();
        tickTimer = timers.schedule(
                clock.monotonicNanos() + config.alertRetryInterval().toNanos(), this::tick);
        nudgeTimer = timers.schedule(
                clock.monotonicNanos() + config.removedProbeInterval().toNanos(), this::nudge);
        if (initial != null) {
            adopt(configurations.intern(initial), null, null);
        } else if (!join) {
            adopt(configurations.intern(Configuration.founding(self)), null, null);
        } else {
            joinTick();
        }
    }

    void addSeeds(List<InetSocketAddress> more) {
        joining.addSeeds(more);
    }

    /** Announces a clean stop: the coordinators remove this member; probing stops. */
    void leave() {
        if (!running || phase == Phase.LEAVING || phase == Phase.LEFT) {
            return;
        }
        if (phase != Phase.MEMBER || current.size() == 1) {
            phase = Phase.LEFT;
            proposer.stop();
            return;
        }
        phase = Phase.LEAVING;
        observation.stop();
        alerts.add(new Message.AlertEntry(Message.AlertEntry.Kind.LEAVE, self.bare()));
        alerts.tick(clock.monotonicNanos());
    }

    /** True once a configuration without this member was decided (or there was nobody to tell). */
    boolean leaveDisseminated() {
        return phase == Phase.LEFT;
    }

    void stop() {
        running = false;
        observation.stop();
        proposer.stop();
        TimerQueue.cancel(tickTimer);
        TimerQueue.cancel(nudgeTimer);
    }

    // ---- inputs ----

    /** A cluster message (anything but PING, ACK, PING_REQ and NACK). */
    void onMessage(InetSocketAddress from, Message message, boolean authenticated) {
        if (!running) {
            return;
        }
        if (!authenticated && WireSizes.asksForMore(message)) {
            ignored++;
            return;
        }
        if (message instanceof Message.Join join) {
            onJoin(from, join, authenticated);
        } else if (message instanceof Message.Challenge challenge) {
            if (phase == Phase.JOINING) {
                joining.onChallenge(from, challenge);
            }
        } else if (message instanceof Message.ConfigRequest request) {
            transfer.serve(from, request, current);
        } else if (message instanceof Message.ConfigPage page) {
            transfer.onPage(from, page);
        } else if (message instanceof Message.Decided decided) {
            if (!transfer.onDecided(from, decided)) {
                onDecided(from, decided, false);
            }
        } else {
            onConfigured(from, message);
        }
    }

    /** A message about a configuration: taken only for the one this member holds. */
    private void onConfigured(InetSocketAddress from, Message message) {
        ConfigRef ref = ConfigRef.namedBy(message);
        if (current == null || !ref.equals(current.ref())) {
            ignored++;
            if (ref != null) {
                onConfigSeen(from, ref);
            }
            return;
        }
        if (message instanceof Message.Alert alert) {
            int index = current.indexOf(from);
            if (index < 0) {
                ignored++;
                return;
            }
            alertsReceived++;
            output.send(from, new Message.AlertAck(alert.sequence(), current.ref()));
            onAlertEntries(index, alert.entries());
        } else if (message instanceof Message.AlertAck ack) {
            alerts.onAck(ack);
        } else if (message instanceof Message.Prepare prepare) {
            agreement.onPrepare(from, prepare);
            proposer.markUndecided();
        } else if (message instanceof Message.Promise promise) {
            agreement.onPromise(from, promise);
        } else if (message instanceof Message.Accept accept) {
            agreement.onAccept(from, accept);
            proposer.markUndecided();
        } else if (message instanceof Message.Accepted accepted) {
            agreement.onAccepted(from, accepted);
        } else if (message instanceof Message.Published published) {
            publication.onPublished(from, published);
        }
    }

    /**
     * The configuration a PING, an ACK or a cluster message carried: a newer one than ours means
     * this member is behind (or out), and it catches up from the sender.
     */
    void onConfigSeen(InetSocketAddress from, ConfigRef theirs) {
        if (!running || phase == Phase.LEFT) {
            return;
        }
        if (theirs.isNone()) {
            if (phase == Phase.JOINING && joining.isSeed(from)) {
                joining.peerJoining(from);
            }
            return;
        }
        if (current == null || theirs.newerThan(current.ref())) {
            transfer.fetch(from, theirs, current == null ? ConfigRef.NONE : current.ref(), clock.monotonicNanos());
        }
    }

    boolean onAck(InetSocketAddress from, Message.Ack ack) {
        return observation.onAck(from, ack) || nudges.expects(from);
    }

    boolean onNack(InetSocketAddress from, Message.Nack nack) {
        return observation.onNack(from, nack);
    }

    /** The driver has the events of {@code change} published. */
    void published(ConfigRef change) {
        publication.confirmed(change);
    }

    // ---- joining ----

    private void joinTick() {
        if (running && phase == Phase.JOINING && joining.tick(current == null)) {
            adopt(configurations.intern(Configuration.founding(self)), null, null);
        }
    }

    /** A JOIN to this member: challenged unless signed or carrying a good cookie, then vouched for to the coordinators. */
    private void onJoin(InetSocketAddress from, Message.Join join, boolean authenticated) {
        if (phase == Phase.JOINING) {
            joining.peerJoining(from);
        }
        if (current == null
                || (phase != Phase.MEMBER && phase != Phase.LEAVING)
                || !joining.admitted(from, join, authenticated)) {
            return;
        }
        if (join.incarnation() > maxIncarnation()) {
            ignored++;
            return;
        }
        int index = current.indexOf(from);
        if (index >= 0 && current.member(index).incarnation() == join.incarnation()) {
            // In already: the PING's configuration tells it so, and it fetches.
            output.send(from, new Message.Ping(sequences.next(), clock.epochNanos(), current.ref()));
            return;
        }
        alerts.add(new Message.AlertEntry(
                Message.AlertEntry.Kind.JOIN, new MemberInfo(from, join.incarnation(), join.labels())));
        alerts.tick(clock.monotonicNanos());
    }

    private long maxIncarnation() {
        return clock.epochNanos() / 1_000_000 + config.maxIncarnationAhead().toMillis();
    }

    // ---- deciding ----

    private void onAlertEntries(int from, List<Message.AlertEntry> entries) {
        proposer.onAlert(from, entries, maxIncarnation());
    }

    /** A majority accepted {@code value}: tell every member (and the joiners), and apply it. */
    private void decidedHere(Proposal value) {
        Message.Decided decided = new Message.Decided(sequences.next(), current.ref(), value);
        for (MemberInfo m : current.members()) {
            if (m.address().equals(self.address())) {
                continue;
            }
            output.send(m.address(), decided);
        }
        for (MemberInfo m : value.joined()) {
            if (!current.contains(m.address())) {
                output.send(m.address(), decided);
            }
        }
        apply(decided, self.address());
    }

    private void onDecided(InetSocketAddress from, Message.Decided decided, boolean requested) {
        if (current == null) {
            // A joiner told of the change that lets it in: it fetches the configuration that follows.
            if (phase == Phase.JOINING) {
                transfer.fetch(
                        from, new ConfigRef(decided.config().epoch() + 1, 1), ConfigRef.NONE, clock.monotonicNanos());
            }
            return;
        }
        if (decided.config().equals(current.ref())) {
            if (requested || current.contains(from)) {
                apply(decided, from);
            }
        } else if (decided.config().newerThan(current.ref()) || (phase == Phase.JOINING)) {
            transfer.fetch(from, new ConfigRef(decided.config().epoch() + 1, 1), current.ref(), clock.monotonicNanos());
        }
    }

    private void apply(Message.Decided decided, InetSocketAddress from) {
        if (!Agreement.valid(current, decided.value())) {
            ignored++;
            return;
        }
        Decision decision;
        try {
            decision = current.apply(
                    decided.value(),
                    config.holdDown().toMillis(),
                    config.forgetAfter().toMillis());
        } catch (IllegalArgumentException e) {
            ignored++;
            return;
        }
        agreement.decided();
        transfer.remember(current.ref(), new Message.Decided(0, current.ref(), decided.value()));
        adopt(configurations.intern(decision.after()), decision, from);
    }

    /**
     * This member holds {@code next} from now on: from a decision it applied, a configuration it
     * fetched, the one it founded or was given.
     */
    private void adopt(Configuration next, Decision decision, InetSocketAddress from) {
        if (current != null && !next.ref().newerThan(current.ref())) {
            return;
        }
        Configuration before = current;
        current = next;
        decisions++;
        int index = next.indexOf(self.address());
        boolean in = index >= 0 && next.member(index).incarnation() == self.incarnation();
        selfIndex = in ? index : -1;
        agreement = new Agreement(
                next,
                selfIndex,
                sequences,
                new Agreement.Network() {
                    @Override
                    public void send(InetSocketAddress to, Message message) {
                        Membership.this.send(to, message);
                    }

                    @Override
                    public void decided(Proposal value) {
                        decidedHere(value);
                    }

                    @Override
                    public void answeredWhileDown(int index) {
                        proposer.forget(index);
                    }
                },
                signed);
        proposer.reset(next, selfIndex, agreement);
        alerts.reset(next, selfIndex);
        if (in) {
            if (phase == Phase.JOINING) {
                phase = Phase.MEMBER;
                joining.joined();
            }
        } else if (phase == Phase.LEAVING) {
            phase = Phase.LEFT;
        } else if (phase == Phase.MEMBER || phase == Phase.JOINING) {
            phase = Phase.JOINING; // out of the configuration: join again at once, through its members
            joining.rejoin(from, next);
            joinTick();
        }
        if (phase == Phase.LEAVING) {
            alerts.add(new Message.AlertEntry(Message.AlertEntry.Kind.LEAVE, self.bare()));
        }
        observation.watch(next, selfIndex, phase == Phase.MEMBER);
        if (decision != null) {
            if (before != null && in) {
                nudges.removed(decision, before, next);
            }
            ConfigRef change = next.ref();
            if (publication.onDecision(decision, selfIndex, timers, clock.monotonicNanos()) && !manualConfirmation) {
                defer.accept(() -> publication.confirmed(change)); // after the Output has the events
            }
        }
        proposer.reviewFlapping();
    }

    /** Sends, or handles at once what this member sends itself (a coordinator is also an acceptor). */
    private void send(InetSocketAddress to, Message message) {
        if (to.equals(self.address())) {
            defer.accept(() -> onMessage(to, message, true));
        } else {
            output.send(to, message);
        }
    }

    // ---- timers ----

    private void tick() {
        if (!running) {
            return;
        }
        long now = clock.monotonicNanos();
        tickTimer = timers.schedule(now + config.alertRetryInterval().toNanos(), this::tick);
        alerts.tick(now);
        transfer.tick(now);
        joinTick();
    }

    private void nudge() {
        if (!running) {
            return;
        }
        long now = clock.monotonicNanos();
        nudgeTimer = timers.schedule(now + config.removedProbeInterval().toNanos(), this::nudge);
        if (current != null) {
            nudges.ping(current);
        }
    }

    // ---- what the driver reads ----

    ConfigRef ref() {
        return current == null ? ConfigRef.NONE : current.ref();
    }

    Configuration configuration() {
        return current;
    }

    Phase phase() {
        return phase;
    }

    /** Whether {@code address} is a member of this member's configuration, or a seed. */
    boolean knows(InetSocketAddress address) {
        return (current != null && current.contains(address)) || joining.isSeed(address);
    }

    int localHealthMultiplier() {
        return observation.localHealthMultiplier();
    }

    /** Whether this member probes static target {@code target}: it is among its owners (or not in a cluster yet). */
    boolean probes(NodeId target) {
        if (current == null || selfIndex < 0) {
            return current == null;
        }
        for (int owner : current.ownersOf(target, config.targetOwners())) {
            if (owner == selfIndex) {
                return phase == Phase.MEMBER;
            }
        }
        return false;
    }

    /** Whether this member publishes {@code target}'s events: it is its first owner. */
    boolean publishes(NodeId target) {
        if (current == null || selfIndex < 0) {
            return current == null;
        }
        return phase == Phase.MEMBER && current.ownersOf(target, config.targetOwners())[0] == selfIndex;
    }

    List<MemberStatus> members() {
        return current == null
                ? MemberStatuses.joining(self)
                : MemberStatuses.of(current, selfIndex, phase == Phase.LEAVING, observation::seen);
    }

    ClusterStats stats() {
        int flapping = 0;
        int presentFlapping = 0;
        int dead = 0;
        int left = 0;
        for (Standing s : current == null ? List.<Standing>of() : current.standings()) {
            boolean present = current.contains(s.address());
            switch (s.state()) {
                case FLAPPING -> {
                    flapping++;
                    presentFlapping += present ? 1 : 0;
                }
                case DEAD -> dead += present ? 0 : 1;
                case LEFT -> left += present ? 0 : 1;
                default -> {}
            }
        }
        return new ClusterStats(
                ref(),
                current == null ? 0 : current.size(),
                current == null ? 0 : current.size() - presentFlapping,
                flapping,
                dead,
                left,
                phase == Phase.MEMBER,
                phase.name(),
                !proposer.stuck(),
                proposer.undecidedMillis(),
                joining.attempts(),
                decisions,
                proposer.proposals(),
                alerts.sent(),
                alertsReceived,
                transfer.fetches(),
                transfer.served(),
                joining.challenges(),
                publication.published(),
                publication.publishedAsBackup(),
                ignored);
    }
}
