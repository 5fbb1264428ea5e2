package io.pulse.core;

import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.function.Consumer;

/**
 * Cluster mode's membership protocol, pure like the rest of the core: the member table and its
 * merge rules (SWIM's incarnations), the ring of observers, Lifeguard suspicion, gossip,
 * push-pull, join, leave and reaping. See {@link ClusterConfig} for the shape.
 *
 * <p>Probing reuses {@link Detector}: a private one watches this member's ring predecessors, with
 * its rounds, retries, indirect probes (through random live members), adaptive timeouts and local
 * health; its failed rounds become SUSPECT gossip, its ACKs with a higher incarnation become ALIVE.
 * It never declares DEAD itself: the gossiped suspicion does.
 *
 * <p>One verdict per change: every member applies every update, but only the change's reporter,
 * the first live member after it on the ring (in practice its first observer), raises the
 * {@link Transition} and {@link NodeFailure} events that the sidecar publishes. A new member's
 * join is the exception: the joiner reports it itself (see {@code joinedAsNew}).
 */
final class Membership {
    /** An incarnation that jumps by more than this is a restart (they start at the epoch millis), not a refutation (+1). */
    static final long RESTART_JUMP = 1000;
    /** Room in a 1400-byte datagram for updates besides the 16-byte header, a message's own fields and the 24-byte authentication trailer. */
    static final int DATAGRAM_UPDATE_BYTES = 1400 - 16 - 8 - 24;

    private static final Duration NEVER = Duration.ofDays(1);

    private final ClusterConfig config;
    private final DetectorConfig detectorConfig;
    private final Clock clock;
    private final TimerQueue timers;
    private final Sequences sequences;
    /** Sends (with piggyback) and queues events for delivery after the entry point. */
    private final PulseCore.Output output;

    private final Consumer<Runnable> defer;
    private final Responder responder;
    private final SplittableRandom random;
    private final Member self;
    private final Map<InetSocketAddress, Member> members = new HashMap<>();
    private final Map<NodeId, Member> byId = new HashMap<>();
    private final Ring ring = new Ring();
    private final List<Member> dead = new ArrayList<>();
    private final Broadcasts broadcasts;
    private final Detector observer;
    private final Map<NodeId, Member> subjects = new LinkedHashMap<>();
    private List<InetSocketAddress> seeds = List.of();
    /** Owners of each static target, for the ring as it was at {@link #ringVersion}. */
    private final Map<NodeId, List<Member>> owners = new HashMap<>();

    private long ringVersion;
    private long ownersVersion = -1;
    private boolean running;
    private boolean joining;
    /** While joining: a view held this member in an earlier life (SUSPECT, DEAD or LEFT), so its return is no new join. */
    private boolean knownBefore;

    private boolean leaving;
    private TimerQueue.Timer gossipTimer;
    private TimerQueue.Timer pushPullTimer;
    private TimerQueue.Timer joinTimer;
    private long joinAttempts;
    private long gossipSent;
    private long gossipReceived;
    private long syncsSent;
    private long syncsReceived;
    private long updatesReceived;
    private long implausible;
    private long refutations;
    private long declaredDead;

    Membership(
            ClusterConfig config,
            DetectorConfig detectorConfig,
            Clock clock,
            TimerQueue timers,
            Sequences sequences,
            PulseCore.Output output,
            Consumer<Runnable> defer,
            Responder responder,
            InetSocketAddress selfAddress) {
        this.config = config;
        this.detectorConfig = detectorConfig;
        this.clock = clock;
        this.timers = timers;
        this.sequences = sequences;
        this.output = output;
        this.defer = defer;
        this.responder = responder;
        this.random = new SplittableRandom(detectorConfig.randomSeed() ^ 0x5DEECE66DL);
        this.self = new Member(selfAddress);
        this.broadcasts = new Broadcasts(selfAddress);
        self.state = Liveness.ALIVE;
        self.incarnation = responder.incarnation();
        self.origin = selfAddress;
        self.since = clock.now();
        DetectorConfig observing =
                detectorConfig.toBuilder().suspicionTimeout(NEVER).build();
        this.observer = new Detector(observing, clock, timers, sequences, new ObserverOutput(), this::relays);
        observer.onRoundFailed(id -> defer.accept(() -> subjectRoundFailed(id)));
    }

    // ---- lifecycle ----

    /** {@code join}: look for the cluster through the seeds (some may come later, {@link #addSeeds}); else found it. */
    void start(List<InetSocketAddress> seedAddresses, boolean join) {
        running = true;
        ring.add(self);
        seeds = seedAddresses.stream()
                .filter(a -> !a.equals(self.address))
                .distinct()
                .toList();
        observer.start();
        scheduleGossip();
        schedulePushPull();
        if (join) {
            joining = true;
            joinTick();
        }
    }

    /** Seeds whose names resolved late; the next join attempt tries them too. */
    void addSeeds(List<InetSocketAddress> more) {
        List<InetSocketAddress> all = new ArrayList<>(seeds);
        for (InetSocketAddress seed : more) {
            if (!seed.equals(self.address) && !all.contains(seed)) {
                all.add(seed);
            }
        }
        seeds = List.copyOf(all);
    }

    /** Announces LEFT; probing stops, gossip goes on until the driver stops this member. */
    void leave() {
        if (!running || leaving) {
            return;
        }
        leaving = true;
        joining = false;
        observer.stop();
        ring.remove(self);
        ringVersion++;
        self.state = Liveness.LEFT;
        self.since = clock.now();
        broadcasts.add(self.update());
        gossipTick(false);
    }

    /** True once the LEFT news went out to as many members as a gossip round reaches (or there is nobody to tell). */
    boolean leaveDisseminated() {
        return leaving
                && (ring.size() == 0 || broadcasts.countedTransmits() >= Math.min(config.gossipFanout(), ring.size()));
    }

    void stop() {
        running = false;
        observer.stop();
        TimerQueue.cancel(gossipTimer);
        TimerQueue.cancel(pushPullTimer);
        TimerQueue.cancel(joinTimer);
    }

    // ---- inputs ----

    void onUpdates(InetSocketAddress from, List<MemberUpdate> updates) {
        gossipReceived++;
        updatesReceived += updates.size();
        for (MemberUpdate update : updates) {
            apply(update);
        }
    }

    void onSync(InetSocketAddress from, Message.Sync sync) {
        syncsReceived++;
        updatesReceived += sync.members().size();
        if (sync.replyWanted() && sync.page() == 0 && running) {
            // The view as it was before the sender's word: a joiner learns from it whether the
            // cluster knew it before (see joinedAsNew).
            sendSync(from, false);
        }
        for (MemberUpdate update : sync.members()) {
            if (update.state() == Liveness.DEAD) {
                // Another member's view is no verdict here: its DEAD, perhaps from the far side of a
                // partition that just healed, is a suspicion, which a live member refutes (memberlist's
                // mergeState does the same).
                update = new MemberUpdate(update.member(), Liveness.SUSPECT, update.incarnation(), update.origin());
            }
            apply(update);
        }
        if (joining && !sync.replyWanted() && sync.page() == sync.pages() - 1) {
            joining = false; // the whole view arrived (an earlier page lost: the view comes again by push-pull)
            TimerQueue.cancel(joinTimer);
            if (!knownBefore) {
                joinedAsNew();
            }
        }
    }

    /**
     * A new member reports its own join, once its first view arrived. Not its reporter, nor the seed
     * that admitted it: under joins at the same moment the ring changes while the news spreads, and
     * a joiner's reporter may learn of it only from the view that made itself a member (state
     * transfer, no news) after everyone else took another for the reporter; a joiner asks all its
     * seeds at once, so several admit it. Only the joiner is sure to be there exactly once. A member
     * the cluster held LEFT or DEAD (it said so in the view) comes back with a newer incarnation, a
     * change its reporter publishes ({@code LEFT -> ALIVE}, {@code DEAD -> ALIVE}) like any other.
     */
    private void joinedAsNew() {
        if (!running || leaving) {
            return;
        }
        output.statusChanged(new Transition(
                self.id,
                Liveness.PENDING,
                Liveness.ALIVE,
                self.incarnation,
                clock.now(),
                null,
                null,
                0,
                0,
                Transition.Reason.JOINED,
                self.id,
                0));
    }

    /**
     * Adds membership news, up to {@code budgetBytes} of it, to a PING, ACK, PING_REQ or NACK for a
     * member; anything else goes as it is.
     */
    Message piggyback(InetSocketAddress to, Message message, int budgetBytes) {
        if (!running
                || message instanceof Message.Gossip
                || message instanceof Message.Sync
                || message instanceof Message.Piggybacked
                || (!members.containsKey(to) && !seeds.contains(to))) {
            return message;
        }
        List<MemberUpdate> updates = broadcasts.take(Math.min(budgetBytes, config.piggybackBytes()), retransmits());
        return updates.isEmpty() ? message : new Message.Piggybacked(message, updates);
    }

    /** Whether {@code address} is a member this one knows of, in any state, or a seed. */
    boolean knows(InetSocketAddress address) {
        return members.containsKey(address) || seeds.contains(address);
    }

    boolean onAck(InetSocketAddress from, Message.Ack ack) {
        return observer.onAck(from, ack);
    }

    boolean onNack(InetSocketAddress from, Message.Nack nack) {
        return observer.onNack(from, nack);
    }

    // ---- the merge rules ----

    /** Applies one update (a member unknown here is no event: a new member reports its own join, see joinedAsNew). */
    void apply(MemberUpdate update) {
        long maxIncarnation =
                clock.epochNanos() / 1_000_000 + config.maxIncarnationAhead().toMillis();
        if (update.incarnation() > maxIncarnation) {
            implausible++;
            return;
        }
        if (update.member().equals(self.address)) {
            aboutSelf(update);
            return;
        }
        Member m = members.get(update.member());
        long inc = update.incarnation();
        if (m == null) {
            if (update.state() != Liveness.ALIVE || leaving) {
                return; // news of the end of a member never known here
            }
            m = new Member(update.member());
            members.put(m.address, m);
            byId.put(m.id, m);
            m.incarnation = inc;
            setState(m, Liveness.ALIVE, update.origin(), null);
            // Spread it even when it came in a view (push-pull): those who learned it so would
            // otherwise let the news of a join die out.
            broadcasts.add(update);
            return;
        }
        switch (update.state()) {
            case ALIVE -> {
                if (inc <= m.incarnation) {
                    return;
                }
                long before = m.incarnation;
                m.incarnation = inc;
                Transition.Reason reason = switch (m.state) {
                    case SUSPECT -> Transition.Reason.REFUTED;
                    case DEAD ->
                        inc - before > RESTART_JUMP ? Transition.Reason.RESTARTED : Transition.Reason.RECOVERED;
                    case LEFT, PENDING -> Transition.Reason.JOINED;
                    case ALIVE -> null; // a newer incarnation of a member that was never in doubt here
                };
                setState(m, Liveness.ALIVE, update.origin(), reason);
                broadcasts.add(update);
            }
            case SUSPECT -> {
                if ((m.state == Liveness.ALIVE && inc >= m.incarnation)
                        || (m.state == Liveness.SUSPECT && inc > m.incarnation)) {
                    m.incarnation = inc;
                    setState(m, Liveness.SUSPECT, update.origin(), Transition.Reason.PROBE_ROUND_FAILED);
                    broadcasts.add(update);
                } else if (m.state == Liveness.SUSPECT
                        && inc == m.incarnation
                        && m.suspicion.confirm(update.origin())) {
                    armSuspicion(m);
                    broadcasts.add(update);
                }
            }
            case DEAD -> {
                Member declarer = members.get(update.origin());
                if (declarer != null && !declarer.live() && m.live()) {
                    // Declared by a member this one holds DEAD or LEFT: a verdict from the other side
                    // of a partition, or from the past. Only a suspicion here, which a live member refutes.
                    apply(new MemberUpdate(update.member(), Liveness.SUSPECT, inc, update.origin()));
                    return;
                }
                if (m.live() && inc >= m.incarnation) {
                    m.incarnation = inc;
                    setState(m, Liveness.DEAD, update.origin(), Transition.Reason.SUSPICION_TIMEOUT);
                    broadcasts.add(update);
                } else if (!m.live() && inc > m.incarnation) {
                    m.incarnation = inc;
                }
            }
            case LEFT -> {
                if (m.state != Liveness.LEFT && inc >= m.incarnation) {
                    m.incarnation = inc;
                    setState(m, Liveness.LEFT, update.origin(), Transition.Reason.LEFT);
                    broadcasts.add(update);
                }
            }
            case PENDING -> throw new AssertionError("MemberUpdate refuses PENDING");
        }
    }

    /** Someone doubts this member, or holds an incarnation of it above ours: refute by raising ours. */
    private void aboutSelf(MemberUpdate update) {
        if (leaving) {
            return;
        }
        if (joining && update.state() != Liveness.ALIVE && update.incarnation() < self.incarnation) {
            knownBefore =
                    true; // an earlier life of this member, held in doubt, DEAD or LEFT: its reporter tells the change
        }
        long mine = self.incarnation;
        boolean refute = update.state() == Liveness.ALIVE ? update.incarnation() > mine : update.incarnation() >= mine;
        if (!refute) {
            return;
        }
        self.incarnation = update.incarnation() + 1;
        responder.incarnation(self.incarnation);
        refutations++;
        broadcasts.add(self.update());
    }

    private void setState(Member m, Liveness to, InetSocketAddress origin, Transition.Reason reason) {
        Liveness from = m.state;
        int suspecters = m.suspicion != null ? m.suspicion.suspecters() : 0;
        m.origin = origin;
        if (to == Liveness.SUSPECT) {
            m.suspicion = new Suspicion(
                    m.incarnation,
                    clock.monotonicNanos(),
                    origin,
                    expectedConfirmations(),
                    detectorConfig.suspicionTimeout().toNanos(),
                    detectorConfig.suspicionTimeout().toNanos() * config.suspicionMaxMultiplier());
            suspecters = 1;
        }
        if (reason != null) {
            report(m, from, to, reason, suspecters);
        }
        m.state = to;
        m.since = clock.now();
        if (to != Liveness.SUSPECT && from == Liveness.SUSPECT) {
            TimerQueue.cancel(m.suspicion.timer);
            m.suspicion = null;
        }
        if (to == Liveness.SUSPECT) {
            armSuspicion(m);
        }
        TimerQueue.cancel(m.reapTimer);
        m.reapTimer = null;
        dead.remove(m);
        if (to == Liveness.DEAD || to == Liveness.LEFT) {
            java.time.Instant stateSince = m.since;
            m.reapTimer =
                    timers.schedule(clock.monotonicNanos() + config.reapAfter().toNanos(), () -> reap(m, stateSince));
            if (to == Liveness.DEAD) {
                dead.add(m);
            }
        }
        boolean wasLive = from == Liveness.ALIVE || from == Liveness.SUSPECT;
        if (wasLive != m.live()) {
            ringVersion++;
            if (m.live()) {
                ring.add(m);
            } else {
                ring.remove(m);
            }
            refreshSubjects();
        }
    }

    private void armSuspicion(Member m) {
        Suspicion suspicion = m.suspicion;
        TimerQueue.cancel(suspicion.timer);
        suspicion.timer = timers.schedule(
                Math.max(clock.monotonicNanos(), suspicion.deadlineNanos()), () -> suspicionExpired(m, suspicion));
    }

    private void suspicionExpired(Member m, Suspicion suspicion) {
        if (m.suspicion != suspicion || m.state != Liveness.SUSPECT || !running || leaving) {
            return;
        }
        if (suspicion.suspecters() < 2 && expectedConfirmations() >= 1) {
            // One member's word alone evicts nobody while another could confirm it (Rapid's rule that
            // one sick observer cannot evict a healthy node): a member cut off from the rest suspects
            // everyone it watches, alone, and must not publish their deaths. A confirmation that comes
            // later re-arms the timer, whose deadline has passed: DEAD follows at once.
            return;
        }
        declaredDead++;
        apply(new MemberUpdate(m.address, Liveness.DEAD, m.incarnation, self.address));
    }

    /** K - 1 other observers can confirm, fewer in a small cluster (the suspect and the first suspecter do not). */
    private int expectedConfirmations() {
        return Math.max(0, Math.min(config.observers() - 1, ring.size() - 2));
    }

    private void reap(Member m, java.time.Instant stateSince) {
        if (m.live() || m.since != stateSince || members.get(m.address) != m) {
            return;
        }
        boolean reporter = reporterOf(m);
        members.remove(m.address);
        byId.remove(m.id);
        dead.remove(m);
        broadcasts.forget(m.address);
        if (reporter) {
            output.removed(m.id);
        }
    }

    // ---- events ----

    private boolean reporterOf(Member m) {
        return running && !leaving && ring.successor(m) == self;
    }

    private void report(Member m, Liveness from, Liveness to, Transition.Reason reason, int suspecters) {
        if (!reporterOf(m)) {
            return;
        }
        NodeStatus s = observer.statusOrNull(m.id);
        NodeId declaredBy = idOf(m.origin);
        java.time.Instant now = clock.now();
        output.statusChanged(new Transition(
                m.id,
                from,
                to,
                m.incarnation,
                now,
                s == null ? null : s.srtt(),
                s == null ? null : s.clockOffset(),
                s == null ? 0 : s.totalProbes(),
                s == null ? 0 : s.lostProbes(),
                reason,
                declaredBy,
                suspecters));
        if (to == Liveness.DEAD) {
            output.failed(new NodeFailure(
                    m.id,
                    Liveness.DEAD,
                    m.incarnation,
                    s == null ? 0 : s.lastRetries(),
                    List.of(),
                    s == null ? null : s.firstContact(),
                    s == null ? null : s.lastContact(),
                    now,
                    s == null ? null : s.srtt(),
                    s == null ? null : s.clockOffset(),
                    s == null ? 0 : s.totalProbes(),
                    s == null ? 0 : s.lostProbes(),
                    declaredBy,
                    suspecters));
        }
    }

    private static NodeId idOf(InetSocketAddress address) {
        return NodeId.of(address.getAddress().getHostAddress(), address.getPort());
    }

    // ---- static targets (HTTP, TCP, respond nodes) given to the cluster ----

    /** Whether this member probes static target {@code target}: it is among its owners (or not in a cluster yet). */
    boolean probes(NodeId target) {
        return !running || (!leaving && ownersOf(target).contains(self));
    }

    /** Whether this member publishes {@code target}'s events: it is its first owner. */
    boolean publishes(NodeId target) {
        if (!running) {
            return true;
        }
        List<Member> list = ownersOf(target);
        return !leaving && !list.isEmpty() && list.get(0) == self;
    }

    /**
     * The {@code observers} live members with the highest rendezvous score for {@code target},
     * best first: every member computes the same owners from the same view, and a member coming or
     * going moves only the targets it owned or now owns (Thaler and Ravishankar's highest random weight).
     */
    private List<Member> ownersOf(NodeId target) {
        if (ownersVersion != ringVersion) {
            owners.clear();
            ownersVersion = ringVersion;
        }
        return owners.computeIfAbsent(target, id -> {
            long key = Member.ringKey(id.toString());
            List<Member> live = ring.all();
            live.sort((a, b) -> {
                int byScore = Long.compareUnsigned(Member.score(b.ringKey, key), Member.score(a.ringKey, key));
                return byScore != 0 ? byScore : a.id.compareTo(b.id);
            });
            return List.copyOf(live.subList(0, Math.min(config.observers(), live.size())));
        });
    }

    // ---- observing the ring predecessors ----

    /** Watches exactly the live members this one observes: its {@code observers} ring predecessors. */
    private void refreshSubjects() {
        if (!running || leaving) {
            return;
        }
        List<Member> wanted = ring.predecessors(self, config.observers());
        for (Member old : List.copyOf(subjects.values())) {
            if (!wanted.contains(old)) {
                subjects.remove(old.id);
                observer.remove(old.id);
            }
        }
        for (Member m : wanted) {
            if (subjects.putIfAbsent(m.id, m) == null) {
                observer.add(m.id, m.address, TargetOptions.defaults());
            }
        }
    }

    private void subjectRoundFailed(NodeId id) {
        Member m = subjects.get(id);
        if (m == null || !running || leaving) {
            return;
        }
        if (m.state == Liveness.ALIVE || (m.state == Liveness.SUSPECT && !m.suspicion.suspectedBy(self.address))) {
            MemberUpdate suspect = new MemberUpdate(m.address, Liveness.SUSPECT, m.incarnation, self.address);
            apply(suspect);
            // Lifeguard: tell the suspect first, so that it can refute before anyone else waits on it.
            output.send(m.address, new Message.Gossip(sequences.next(), List.of(suspect)));
            gossipSent++;
        }
    }

    private void subjectAnswered(Transition change) {
        Member m = subjects.get(change.node());
        if (m == null || change.current() != Liveness.ALIVE) {
            return;
        }
        if (change.incarnation() > m.incarnation) {
            apply(new MemberUpdate(m.address, Liveness.ALIVE, change.incarnation(), m.address));
        } else if (m.state == Liveness.SUSPECT && running && !leaving) {
            // It answers, yet is suspected at the incarnation it answers with: it has not heard of the
            // suspicion (the news was lost, or this member was cut off when it went out). Tell it
            // again, so that it refutes instead of running out the suspicion.
            output.send(m.address, new Message.Gossip(sequences.next(), List.of(m.update())));
            gossipSent++;
        }
    }

    private List<Detector.Peer> relays(NodeId target, int k) {
        List<Member> picked = ring.sample(random, k, self, byId.get(target));
        List<Detector.Peer> peers = new ArrayList<>(picked.size());
        for (Member m : picked) {
            peers.add(new Detector.Peer(m.id, m.address));
        }
        return peers;
    }

    private final class ObserverOutput implements PulseCore.Output {
        @Override
        public void send(InetSocketAddress to, Message message) {
            output.send(to, message);
        }

        @Override
        public void statusChanged(Transition change) {
            defer.accept(() -> subjectAnswered(change));
        }

        @Override
        public void rttSampled(RttSample sample) {
            output.rttSampled(sample);
        }
    }

    // ---- gossip, push-pull, join ----

    private int retransmits() {
        return config.retransmits(Math.max(1, ring.size()));
    }

    private void scheduleGossip() {
        gossipTimer =
                timers.schedule(clock.monotonicNanos() + config.gossipInterval().toNanos(), () -> {
                    scheduleGossip();
                    gossipTick(true);
                });
    }

    /** Sends the queued news to {@code gossipFanout} random live members, and to one recently DEAD member. */
    private void gossipTick(boolean toTheDead) {
        if (broadcasts.isEmpty() || (!running && !leaving)) {
            return;
        }
        List<Member> targets = ring.sample(random, config.gossipFanout(), self, null);
        if (toTheDead && !dead.isEmpty()) {
            Member m = dead.get(random.nextInt(dead.size()));
            if (Duration.between(m.since, clock.now()).compareTo(config.gossipToTheDead()) <= 0) {
                targets = new ArrayList<>(targets);
                targets.add(m);
            }
        }
        int limit = retransmits();
        for (Member target : targets) {
            List<MemberUpdate> updates = broadcasts.take(DATAGRAM_UPDATE_BYTES, limit);
            if (updates.isEmpty()) {
                return;
            }
            output.send(target.address, new Message.Gossip(sequences.next(), updates));
            gossipSent++;
        }
    }

    private void schedulePushPull() {
        long interval = config.pushPullInterval(ring.size()).toNanos();
        long jittered = interval / 2 + (long) (random.nextDouble() * interval);
        pushPullTimer = timers.schedule(clock.monotonicNanos() + jittered, () -> {
            schedulePushPull();
            if (leaving) {
                return;
            }
            List<Member> peer = ring.sample(random, 1, self, null);
            if (!peer.isEmpty()) {
                sendSync(peer.get(0).address, true);
            }
            if (!dead.isEmpty()) {
                // A DEAD member may be alive behind a healed partition: if so, it refutes.
                sendSync(dead.get(random.nextInt(dead.size())).address, true);
            }
        });
    }

    private void joinTick() {
        if (!joining) {
            return;
        }
        joinAttempts++;
        for (InetSocketAddress seed : seeds) {
            sendSync(seed, true);
        }
        joinTimer = timers.schedule(
                clock.monotonicNanos() + config.joinRetryInterval().toNanos(), this::joinTick);
    }

    /** This member's whole view, in as many pages as it takes. */
    private void sendSync(InetSocketAddress to, boolean replyWanted) {
        List<MemberUpdate> view = new ArrayList<>(members.size() + 1);
        view.add(self.update());
        for (Member m : members.values()) {
            view.add(m.update());
        }
        List<List<MemberUpdate>> pages = new ArrayList<>();
        List<MemberUpdate> page = new ArrayList<>();
        int left = DATAGRAM_UPDATE_BYTES;
        for (MemberUpdate update : view) {
            int size = update.wireBytes();
            if (size > left) {
                pages.add(page);
                page = new ArrayList<>();
                left = DATAGRAM_UPDATE_BYTES;
            }
            page.add(update);
            left -= size;
        }
        pages.add(page);
        int count = Math.min(pages.size(), Message.Sync.MAX_PAGES);
        long sequence = sequences.next();
        for (int i = 0; i < count; i++) {
            output.send(to, new Message.Sync(sequence, replyWanted, i, count, pages.get(i)));
        }
        syncsSent++;
    }

    // ---- what the driver reads ----

    long incarnation() {
        return self.incarnation;
    }

    int localHealthMultiplier() {
        return observer.localHealthMultiplier();
    }

    List<MemberStatus> members() {
        List<MemberStatus> all = new ArrayList<>(members.size() + 1);
        all.add(new MemberStatus(self.id, self.state, self.incarnation, self.since, self.id, true, false, false));
        for (Member m : members.values()) {
            all.add(new MemberStatus(
                    m.id,
                    m.state,
                    m.incarnation,
                    m.since,
                    idOf(m.origin != null ? m.origin : m.address),
                    false,
                    subjects.containsKey(m.id),
                    reporterOf(m)));
        }
        all.sort((a, b) -> a.id().compareTo(b.id()));
        return all;
    }

    ClusterStats stats() {
        int alive = 0;
        int suspect = 0;
        int deadCount = 0;
        int left = 0;
        for (Member m : members.values()) {
            switch (m.state) {
                case ALIVE -> alive++;
                case SUSPECT -> suspect++;
                case DEAD -> deadCount++;
                case LEFT -> left++;
                case PENDING -> {}
            }
        }
        if (!leaving) {
            alive++;
        } else {
            left++;
        }
        return new ClusterStats(
                alive,
                suspect,
                deadCount,
                left,
                !joining,
                joinAttempts,
                gossipSent,
                gossipReceived,
                syncsSent,
                syncsReceived,
                updatesReceived,
                implausible,
                refutations,
                declaredDead,
                broadcasts.size());
    }
}
