package io.pulse.core;

import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.function.Consumer;

/**
 * Cluster mode: this member's part in a membership that the cluster agrees on. Pure like the rest
 * of the core; the package documentation describes the protocol.
 *
 * <p>A member is JOINING until a configuration that holds it arrives, then a MEMBER: it observes
 * its subjects (its successors on the configuration's rings) with a private {@link Detector} and
 * reports to the coordinators through an {@link AlertOutbox} those it finds down; if it is a
 * coordinator, {@link Coordination} turns the news into a proposal and {@link Agreement} gets it
 * decided by a majority; every member applies a decided change the same way, and
 * {@link Publication} has its publisher (or the backup) raise the events. A member learns that it
 * is behind, or removed, from the configuration every probe carries, and catches up through
 * {@link ConfigTransfer}; a removed member joins again at once. LEAVING ends when a configuration
 * without this member is decided.
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
    private final SplittableRandom random;
    private final boolean manualConfirmation;
    // Parts
    private final Detector observer;
    private final AlertOutbox alerts;
    private final ConfigTransfer transfer;
    private final Publication publication;
    private final Cookies cookies = new Cookies();
    // State
    private Phase phase = Phase.JOINING;
    private Configuration current;
    private int selfIndex = -1;
    private Agreement agreement;
    private Coordination coordination;
    private final Map<NodeId, MemberInfo> subjects = new LinkedHashMap<>();
    private List<InetSocketAddress> seeds = List.of();
    private final Map<InetSocketAddress, Long> joinCookies = new LinkedHashMap<>();
    /** Members (or seeds) that told this one it is out, or answered while joining themselves. */
    private final Set<InetSocketAddress> joinVia = new LinkedHashSet<>();
    /** Peers seen joining while this member was joining too: the lowest address founds the cluster. */
    private final Set<InetSocketAddress> joiningPeers = new LinkedHashSet<>();
    /** Members removed lately, pinged until their deadline so that they learn it when reachable. */
    private final Map<InetSocketAddress, Long> nudges = new LinkedHashMap<>();

    private TimerQueue.Timer tickTimer;
    private TimerQueue.Timer coordinationTimer;
    private TimerQueue.Timer nudgeTimer;
    private long nextJoinNanos;
    private long undecidedSinceNanos = -1;
    private int attempt;
    private boolean running;
    // Counters
    private long joinAttempts;
    private long decisions;
    private long proposals;
    private long challenges;
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
        this.random = new SplittableRandom(detectorConfig.randomSeed() ^ Hashing.address(self.address()));
        DetectorConfig observing = detectorConfig.toBuilder()
                .deadProbeInterval(min(detectorConfig.deadProbeInterval(), config.removedProbeInterval()))
                .build();
        this.observer = new Detector(observing, clock, timers, sequences, new ObserverOutput(), this::relays);
        observer.configuration(this::ref);
        this.alerts = new AlertOutbox(config, sequences, new AlertOutbox.Sink() {
            @Override
            public void send(InetSocketAddress to, Message message) {
                output.send(to, message);
            }

            @Override
            public void deliverLocally(List<Message.AlertEntry> entries) {
                onAlertEntries(selfIndex, entries);
            }
        });
        this.transfer = new ConfigTransfer(
                sequences,
                new ConfigTransfer.Sink() {
                    @Override
                    public void send(InetSocketAddress to, Message message) {
                        output.send(to, message);
                    }

                    @Override
                    public void decided(InetSocketAddress from, Message.Decided decided) {
                        onDecided(from, decided, true);
                    }

                    @Override
                    public void fetched(InetSocketAddress from, Configuration configuration) {
                        adopt(configuration, null, from);
                    }
                },
                signed,
                configurations);
        this.publication = new Publication(
                config,
                sequences,
                new Publication.Sink() {
                    @Override
                    public void send(InetSocketAddress to, Message message) {
                        output.send(to, message);
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
                        return observer.statusOrNull(member);
                    }

                    @Override
                    public void changeRaised(ConfigRef change) {
                        output.changeRaised(change);
                    }
                },
                self.id());
    }

    private static java.time.Duration min(java.time.Duration a, java.time.Duration b) {
        return a.compareTo(b) <= 0 ? a : b;
    }

    // ---- lifecycle ----

    /**
     * Starts: founds a cluster ({@code join} false), joins through {@code seeds} (some may come later,
     * {@link #addSeeds}), or starts from {@code initial}, a configuration every member was given.
     */
    void start(List<InetSocketAddress> seedAddresses, boolean join, Configuration initial) {
        running = true;
        seeds = seedAddresses.stream()
                .filter(a -> !a.equals(self.address()))
                .distinct()
                .toList();
        observer.start();
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
        List<InetSocketAddress> all = new ArrayList<>(seeds);
        for (InetSocketAddress seed : more) {
            if (!seed.equals(self.address()) && !all.contains(seed)) {
                all.add(seed);
            }
        }
        seeds = List.copyOf(all);
    }

    /** Announces a clean stop: the coordinators remove this member; probing stops. */
    void leave() {
        if (!running || phase == Phase.LEAVING || phase == Phase.LEFT) {
            return;
        }
        if (phase != Phase.MEMBER || current.size() == 1) {
            phase = Phase.LEFT;
            return;
        }
        phase = Phase.LEAVING;
        observer.stop();
        alerts.add(new Message.AlertEntry(Message.AlertEntry.Kind.LEAVE, bare(self)));
        alerts.tick(clock.monotonicNanos());
    }

    /** True once a configuration without this member was decided (or there was nobody to tell). */
    boolean leaveDisseminated() {
        return phase == Phase.LEFT;
    }

    void stop() {
        running = false;
        observer.stop();
        TimerQueue.cancel(tickTimer);
        TimerQueue.cancel(coordinationTimer);
        TimerQueue.cancel(nudgeTimer);
    }

    // ---- inputs ----

    /** A cluster message (anything but PING, ACK, PING_REQ and NACK). */
    void onMessage(InetSocketAddress from, Message message, boolean authenticated) {
        if (!running) {
            return;
        }
        if (message instanceof Message.Join join) {
            onJoin(from, join, authenticated);
        } else if (message instanceof Message.Challenge challenge) {
            if (phase == Phase.JOINING && (seeds.contains(from) || joinVia.contains(from))) {
                joinCookies.put(from, challenge.cookie());
                sendJoin(from);
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
        ConfigRef ref = refOf(message);
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
            markUndecided();
        } else if (message instanceof Message.Promise promise) {
            agreement.onPromise(from, promise);
        } else if (message instanceof Message.Accept accept) {
            agreement.onAccept(from, accept);
            markUndecided();
        } else if (message instanceof Message.Accepted accepted) {
            agreement.onAccepted(from, accepted);
        } else if (message instanceof Message.Published published) {
            publication.onPublished(from, published);
        }
    }

    private static ConfigRef refOf(Message message) {
        if (message instanceof Message.Alert m) {
            return m.config();
        } else if (message instanceof Message.AlertAck m) {
            return m.config();
        } else if (message instanceof Message.Prepare m) {
            return m.config();
        } else if (message instanceof Message.Promise m) {
            return m.config();
        } else if (message instanceof Message.Accept m) {
            return m.config();
        } else if (message instanceof Message.Accepted m) {
            return m.config();
        } else if (message instanceof Message.Published m) {
            return m.config();
        }
        return null;
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
            if (phase == Phase.JOINING && seeds.contains(from)) {
                joiningPeers.add(from);
            }
            return;
        }
        if (current == null || theirs.newerThan(current.ref())) {
            transfer.fetch(from, theirs, current == null ? ConfigRef.NONE : current.ref(), clock.monotonicNanos());
        }
    }

    boolean onAck(InetSocketAddress from, Message.Ack ack) {
        return observer.onAck(from, ack) || nudges.containsKey(from);
    }

    boolean onNack(InetSocketAddress from, Message.Nack nack) {
        return observer.onNack(from, nack);
    }

    /** The driver has the events of {@code change} published. */
    void published(ConfigRef change) {
        publication.confirmed(change);
    }

    // ---- joining ----

    private void joinTick() {
        if (!running || phase != Phase.JOINING) {
            return;
        }
        long now = clock.monotonicNanos();
        if (now < nextJoinNanos) {
            return;
        }
        nextJoinNanos = now + config.joinRetryInterval().toNanos();
        joinAttempts++;
        for (InetSocketAddress to : joinTargets()) {
            sendJoin(to);
        }
        // Every seed answered that it is joining too, and none holds a configuration after a few
        // attempts: the lowest address among them founds the cluster, the others join it.
        if (current == null
                && joinAttempts > 3
                && !seeds.isEmpty()
                && joiningPeers.containsAll(seeds)
                && seeds.stream().allMatch(s -> Configuration.ADDRESS_ORDER.compare(self.address(), s) < 0)) {
            adopt(configurations.intern(Configuration.founding(self)), null, null);
        }
    }

    private List<InetSocketAddress> joinTargets() {
        List<InetSocketAddress> targets = new ArrayList<>(joinVia);
        for (InetSocketAddress seed : seeds) {
            if (!targets.contains(seed)) {
                targets.add(seed);
            }
        }
        return targets;
    }

    private void sendJoin(InetSocketAddress to) {
        long cookie = joinCookies.getOrDefault(to, 0L);
        output.send(to, new Message.Join(sequences.next(), self.incarnation(), cookie, self.labels()));
    }

    /** A JOIN to this member: challenged unless signed or carrying a good cookie, then vouched for to the coordinators. */
    private void onJoin(InetSocketAddress from, Message.Join join, boolean authenticated) {
        if (phase == Phase.JOINING) {
            joiningPeers.add(from);
        }
        if (current == null || (phase != Phase.MEMBER && phase != Phase.LEAVING)) {
            return;
        }
        long now = clock.monotonicNanos();
        if (!authenticated && !cookies.valid(from, join.cookie(), now)) {
            challenges++;
            output.send(from, new Message.Challenge(join.sequence(), cookies.make(from, now)));
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
        alerts.tick(now);
    }

    private long maxIncarnation() {
        return clock.epochNanos() / 1_000_000 + config.maxIncarnationAhead().toMillis();
    }

    // ---- coordinating ----

    private void onAlertEntries(int from, List<Message.AlertEntry> entries) {
        if (coordination == null || agreement.isDecided()) {
            return;
        }
        if (coordination.onAlert(from, entries, clock.monotonicNanos(), maxIncarnation())) {
            scheduleCoordination(Math.max(clock.monotonicNanos(), coordination.batchEndsNanos()));
        }
    }

    private void scheduleCoordination(long atNanos) {
        if (coordinationTimer != null && !coordinationTimer.isCancelled() && coordinationTimerAt <= atNanos) {
            return;
        }
        TimerQueue.cancel(coordinationTimer);
        coordinationTimerAt = atNanos;
        coordinationTimer = timers.schedule(atNanos, this::coordinate);
    }

    private long coordinationTimerAt;

    /** Proposes the change the news adds up to, if this member is the one to coordinate it now. */
    private void coordinate() {
        coordinationTimer = null;
        if (!running || coordination == null || agreement.isDecided() || phase == Phase.LEFT) {
            return;
        }
        long now = clock.monotonicNanos();
        long nowMillis = clock.epochNanos() / 1_000_000;
        Proposal value = coordination.proposal(now, nowMillis);
        if (value.isEmpty()) {
            // Nothing to decide yet: look again when a member in flux times out or a flapping one settles.
            long expiry = coordination.nextExpiryNanos(now);
            long settle = current.nextSettleMillis(config.holdDown().toMillis());
            long settleNanos =
                    settle == Long.MAX_VALUE ? Long.MAX_VALUE : now + Math.max(0, settle - nowMillis) * 1_000_000;
            long next = Math.min(expiry, settleNanos);
            if (next != Long.MAX_VALUE) {
                scheduleCoordination(Math.max(now + config.alertRetryInterval().toNanos(), next));
            }
            return;
        }
        int turn = coordination.turn(value);
        long timeout = config.consensusTimeout().toNanos();
        if (turn > 0 && attempt == 0) {
            // Another member should coordinate: give it one consensus timeout per rank before this one tries.
            attempt = 1;
            scheduleCoordination(now + turn * timeout);
            return;
        }
        proposals++;
        markUndecided();
        agreement.propose(value, current.rankOf(selfIndex));
        attempt++;
        long backoff = timeout << Math.min(3, Math.max(0, attempt - 1));
        scheduleCoordination(now + backoff);
    }

    private void markUndecided() {
        if (undecidedSinceNanos < 0) {
            undecidedSinceNanos = clock.monotonicNanos();
        }
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
        attempt = 0;
        undecidedSinceNanos = -1;
        TimerQueue.cancel(coordinationTimer);
        coordinationTimer = null;
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
                        if (coordination != null) {
                            coordination.forget(index);
                        }
                    }
                },
                signed);
        coordination = in ? new Coordination(next, config, selfIndex) : null;
        alerts.reset(next, selfIndex);
        if (in) {
            if (phase == Phase.JOINING) {
                phase = Phase.MEMBER;
                joinVia.clear();
                joinCookies.clear();
            }
        } else if (phase == Phase.LEAVING) {
            phase = Phase.LEFT;
        } else if (phase == Phase.MEMBER || phase == Phase.JOINING) {
            phase = Phase.JOINING; // out of the configuration: join again at once, through its members
            if (from != null) {
                joinVia.add(from);
            }
            for (int rank = 0; rank < Math.min(config.coordinators(), next.size()); rank++) {
                joinVia.add(next.member(next.byRank(rank)).address());
            }
            joinVia.remove(self.address());
            nextJoinNanos = 0;
            joinTick();
        }
        if (phase == Phase.LEAVING) {
            alerts.add(new Message.AlertEntry(Message.AlertEntry.Kind.LEAVE, bare(self)));
        }
        refreshSubjects();
        if (decision != null) {
            if (before != null && in) {
                long until =
                        clock.monotonicNanos() + config.removedProbeWindow().toNanos();
                for (Verdict v : decision.verdicts()) {
                    InetSocketAddress gone = v.member().address();
                    if (!next.contains(gone) && observedIn(before, gone)) {
                        nudges.put(gone, until);
                    }
                }
            }
            ConfigRef change = next.ref();
            if (publication.onDecision(decision, selfIndex, timers, clock.monotonicNanos()) && !manualConfirmation) {
                defer.accept(() -> publication.confirmed(change)); // after the Output has the events
            }
        }
        if (in && current.nextSettleMillis(config.holdDown().toMillis()) != Long.MAX_VALUE) {
            scheduleCoordination(clock.monotonicNanos() + config.batchWindow().toNanos());
        }
    }

    /** Whether this member observed {@code address} in {@code configuration}. */
    private boolean observedIn(Configuration configuration, InetSocketAddress address) {
        int me = configuration.indexOf(self.address());
        int them = configuration.indexOf(address);
        if (me < 0 || them < 0) {
            return false;
        }
        for (int o : configuration.observersOf(them, config.observers())) {
            if (o == me) {
                return true;
            }
        }
        return false;
    }

    private static MemberInfo bare(MemberInfo member) {
        return new MemberInfo(member.address(), member.incarnation(), Labels.NONE);
    }

    /** Sends, or handles at once what this member sends itself (a coordinator is also an acceptor). */
    private void send(InetSocketAddress to, Message message) {
        if (to.equals(self.address())) {
            defer.accept(() -> onMessage(to, message, true));
        } else {
            output.send(to, message);
        }
    }

    // ---- observing ----

    /** Watches exactly this member's subjects in the configuration it holds. */
    private void refreshSubjects() {
        Map<NodeId, MemberInfo> wanted = new LinkedHashMap<>();
        if (selfIndex >= 0 && phase == Phase.MEMBER) {
            for (int s : current.subjectsOf(selfIndex, config.observers())) {
                MemberInfo m = current.member(s);
                wanted.put(m.id(), m);
            }
        }
        for (MemberInfo old : List.copyOf(subjects.values())) {
            MemberInfo now = wanted.get(old.id());
            if (now == null || now.incarnation() != old.incarnation()) {
                subjects.remove(old.id());
                observer.remove(old.id());
            }
        }
        for (MemberInfo m : wanted.values()) {
            if (subjects.putIfAbsent(m.id(), m) == null) {
                observer.add(m.id(), m.address(), TargetOptions.defaults());
            } else if (observer.status(m.id()).state() == Liveness.DEAD) {
                // Still down in the new configuration: say so again, in its terms.
                alerts.add(new Message.AlertEntry(Message.AlertEntry.Kind.DOWN, bare(m)));
            }
        }
    }

    private final class ObserverOutput implements PulseCore.Output {
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

    private void subjectChanged(Transition change) {
        MemberInfo m = subjects.get(change.node());
        if (m == null || phase != Phase.MEMBER) {
            return;
        }
        if (change.current() == Liveness.DEAD) {
            alerts.add(new Message.AlertEntry(Message.AlertEntry.Kind.DOWN, bare(m)));
            alerts.tick(clock.monotonicNanos());
        } else if (change.previous() == Liveness.DEAD && change.current() == Liveness.ALIVE) {
            alerts.add(new Message.AlertEntry(Message.AlertEntry.Kind.UP, bare(m)));
            alerts.tick(clock.monotonicNanos());
        }
    }

    private List<Detector.Peer> relays(NodeId target, int k) {
        List<Detector.Peer> peers = new ArrayList<>(k);
        if (current == null || current.size() <= 2) {
            return peers;
        }
        for (int tries = 0; peers.size() < k && tries < 4 * k; tries++) {
            MemberInfo m = current.member(random.nextInt(current.size()));
            NodeId id = m.id();
            if (m.address().equals(self.address())
                    || id.equals(target)
                    || peers.stream().anyMatch(p -> p.id().equals(id))) {
                continue;
            }
            peers.add(new Detector.Peer(id, m.address()));
        }
        return peers;
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
        if (current == null) {
            return;
        }
        for (var it = nudges.entrySet().iterator(); it.hasNext(); ) {
            var e = it.next();
            if (e.getValue() < now || current.contains(e.getKey())) {
                it.remove();
            } else {
                output.send(e.getKey(), new Message.Ping(sequences.next(), clock.epochNanos(), current.ref()));
            }
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
        return (current != null && current.contains(address)) || seeds.contains(address);
    }

    int localHealthMultiplier() {
        return observer.localHealthMultiplier();
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
        List<MemberStatus> all = new ArrayList<>();
        if (current == null) {
            all.add(new MemberStatus(
                    self.id(), Liveness.PENDING, self.incarnation(), null, self.labels(), true, false, -1));
            return all;
        }
        for (int i = 0; i < current.size(); i++) {
            MemberInfo m = current.member(i);
            boolean isSelf = i == selfIndex;
            MemberInfo watched = subjects.get(m.id());
            Liveness state = Liveness.ALIVE;
            if (isSelf && phase == Phase.LEAVING) {
                state = Liveness.LEFT;
            } else if (watched != null) {
                Liveness seen = observer.status(m.id()).state();
                state = seen == Liveness.PENDING ? Liveness.ALIVE : seen;
            }
            Standing standing = current.standing(m.address());
            if (standing != null && standing.state() == Liveness.FLAPPING) {
                state = Liveness.FLAPPING;
            }
            all.add(new MemberStatus(
                    m.id(),
                    state,
                    m.incarnation(),
                    standing == null ? null : java.time.Instant.ofEpochMilli(standing.sinceMillis()),
                    m.labels(),
                    isSelf,
                    watched != null,
                    current.rankOf(i)));
        }
        for (Standing s : current.standings()) {
            if (!current.contains(s.address())) {
                all.add(new MemberStatus(
                        new MemberInfo(s.address(), s.incarnation(), Labels.NONE).id(),
                        s.state(),
                        s.incarnation(),
                        java.time.Instant.ofEpochMilli(s.sinceMillis()),
                        Labels.NONE,
                        false,
                        false,
                        -1));
            }
        }
        all.sort((a, b) -> a.id().compareTo(b.id()));
        return all;
    }

    ClusterStats stats() {
        long now = clock.monotonicNanos();
        long undecidedMillis = undecidedSinceNanos < 0 ? 0 : (now - undecidedSinceNanos) / 1_000_000;
        boolean stuck = undecidedSinceNanos >= 0
                && now - undecidedSinceNanos > 3 * config.consensusTimeout().toNanos();
        int flapping = 0;
        int dead = 0;
        int left = 0;
        if (current != null) {
            for (Standing s : current.standings()) {
                switch (s.state()) {
                    case FLAPPING -> flapping++;
                    case DEAD -> dead += current.contains(s.address()) ? 0 : 1;
                    case LEFT -> left += current.contains(s.address()) ? 0 : 1;
                    default -> {}
                }
            }
        }
        int presentFlapping = 0;
        if (current != null) {
            for (Standing s : current.standings()) {
                presentFlapping += s.state() == Liveness.FLAPPING && current.contains(s.address()) ? 1 : 0;
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
                !stuck,
                undecidedMillis,
                joinAttempts,
                decisions,
                proposals,
                alerts.sent(),
                alertsReceived,
                transfer.fetches(),
                transfer.served(),
                challenges,
                publication.published(),
                publication.publishedAsBackup(),
                ignored);
    }
}
