package io.pulse.core;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.function.BooleanSupplier;
import java.util.function.Predicate;

/**
 * The scenarios of {@link ClusterSimulationMain}, on one simulated network with default settings
 * ({@link ClusterConfig#defaults()}, {@link DetectorConfig} defaults, 1 to 5 ms one-way delay).
 *
 * <p>Every scenario but {@code joins} starts all members from one configuration holding them all,
 * runs 15 s, measures the used heap per member, and then the traffic of a 30 s steady window. Then:
 * <ul>
 *   <li>{@code crash}: a random member crashes at a random phase: time to the first member that
 *       decided it DEAD, to its FailureMessage raised, and until every live member holds the
 *       configuration without it; distinct FailureMessages (node and change, what a consumer that
 *       drops duplicate event ids sees) and DEAD verdicts about anyone else, over 30 s.</li>
 *   <li>{@code publisher-crash}: as {@code crash}, but publications wait for the driver's
 *       confirmation (the sidecar's Kafka acknowledgement, here 10 ms later), and the member that
 *       publishes the crash's verdict never confirms it and crashes 1 s after raising it, its
 *       outbox lost with it: the backup must publish the same verdict.</li>
 *   <li>{@code partition}: {@code --percent} of the members, drawn at random, cut off from the rest
 *       for 30 s, then healed: verdicts about each side, and the time from the heal until every
 *       member holds one configuration with all members again (at most 10 minutes).</li>
 *   <li>{@code loss}: every datagram lost with probability {@code --loss} for {@code --minutes},
 *       then 30 s without loss: DEAD verdicts and FailureMessages (all false: nobody is down).</li>
 *   <li>{@code joins}: one founding member, then all the others join through it, starting spread
 *       over {@code --join-spread-ms}: the time until every member holds one configuration with all
 *       of them (at most 10 minutes).</li>
 *   <li>{@code stall}: a random member stops for {@code --stall-ms} every 30 s, {@code --stalls}
 *       times (datagrams to it are lost while it is stopped; its state is kept): FailureMessages
 *       about it, and its FLAPPING and RECOVERED events.</li>
 *   <li>{@code rolling-restart}: {@code --restarts} random members, one after another, leave (as on
 *       SIGTERM), are down 2 s, and join again with a new incarnation through 3 live members; the
 *       next starts 5 s after every member holds the last one again.</li>
 * </ul>
 */
final class ClusterScenarios {
    private final ClusterConfig cluster;
    private static final Duration WARM_UP = Duration.ofSeconds(15);
    /** The sidecar's cluster.leave.timeout default: how long a stopping member waits for its LEFT to be decided. */
    private static final Duration LEAVE_TIMEOUT = Duration.ofSeconds(5);

    private static final Duration STEADY_WINDOW = Duration.ofSeconds(30);
    private static final Duration STEP = Duration.ofMillis(10);
    private static final Duration POLL = Duration.ofMillis(100);
    private static final Duration CONVERGENCE_LIMIT = Duration.ofMinutes(10);
    private static final long MS = 1_000_000L;

    private final ClusterSimulationMain.Options options;
    private final Map<String, Object> figures;
    private final int n;
    private final SimulatedNetwork net;
    private final SimulatedTraffic traffic = new SimulatedTraffic();
    private final SplittableRandom random;
    private final List<SimulatedNetwork.Node> nodes = new ArrayList<>();
    private final long baselineHeap;

    ClusterScenarios(ClusterSimulationMain.Options options, Map<String, Object> figures) {
        this.options = options;
        this.figures = figures;
        this.n = options.members();
        this.cluster = options.profile().applyTo(ClusterConfig.builder()).build();
        this.net = new SimulatedNetwork(options.seed());
        this.random = new SplittableRandom(options.seed() ^ 0x5DEECE66DL);
        net.measureWith(traffic);
        if (options.rttMillis() > 0) { // each way half the round trip, RTT within rtt ± jitter
            net.delay(
                    Duration.ofMillis(options.rttMillis() - options.jitterMillis())
                            .dividedBy(2),
                    Duration.ofMillis(options.rttMillis() + options.jitterMillis())
                            .dividedBy(2));
            figures.put("rtt_ms", options.rttMillis() + "±" + options.jitterMillis());
        }
        this.baselineHeap = ClusterSimulationMain.heapAfterGc();
        for (int i = 0; i < n; i++) {
            nodes.add(net.addNode(
                    options.profile()
                            .applyTo(DetectorConfig.builder())
                            .randomSeed(options.seed() * 1_000_003L + i)
                            .build(),
                    Duration.ZERO));
        }
    }

    void run() {
        switch (options.scenario()) {
            case "crash":
                crash(false);
                break;
            case "publisher-crash":
                crash(true);
                break;
            case "partition":
                partition();
                break;
            case "loss":
                loss();
                break;
            case "joins":
                joins();
                break;
            case "stall":
                stall();
                break;
            case "rolling-restart":
                rollingRestart();
                break;
            default:
                throw new AssertionError(options.scenario());
        }
        figures.put(
                "ballots_started",
                nodes.stream()
                        .mapToLong(node -> node.core.clusterStats().proposals())
                        .sum());
        figures.put("heap_per_member_end_B", (ClusterSimulationMain.heapAfterGc() - baselineHeap) / n);
    }

    // ---- scenarios ----

    private void crash(boolean publisherCrashes) {
        if (publisherCrashes) {
            nodes.forEach(node -> node.core.confirmPublications(true));
        }
        startAll();
        SimulatedNetwork.Node victim = nodes.get(random.nextInt(n));
        net.run(Duration.ofMillis(random.nextInt(1000)));
        long crashedAt = now();
        long crashedAtEpochMillis = net.clock().epochNanos() / MS;
        SimulatedTraffic before = traffic.copy();
        victim.crash();
        Confirmer confirmer = new Confirmer();
        SimulatedNetwork.Node publisher = null;
        long publisherCrashAt = Long.MAX_VALUE;
        long converged = -1;
        long end = crashedAt + Duration.ofSeconds(publisherCrashes ? 40 : 30).toNanos();
        while (now() < end) {
            net.run(STEP);
            if (publisherCrashes) {
                if (publisher == null) {
                    publisher = firstToRaise(victim);
                    if (publisher != null) {
                        publisherCrashAt = now() + Duration.ofSeconds(1).toNanos();
                        confirmer.never(publisher);
                    }
                }
                if (now() >= publisherCrashAt && !publisher.crashed()) {
                    publisher.crash();
                }
                confirmer.confirm();
            }
            if (converged < 0) {
                List<SimulatedNetwork.Node> live = live();
                if (allHoldOne(live, live.size())) {
                    converged = now() - crashedAt;
                }
            }
        }
        figures.put("decided_dead_ms", ms(firstDeadEpochMillis(victim) - crashedAtEpochMillis));
        List<Long> raised = raiseTimes(victim);
        figures.put("failure_raised_ms", raised.isEmpty() ? "none" : ms((raised.get(0) - crashedAt) / MS));
        if (publisherCrashes) {
            figures.put("publisher_crashed", publisher != null && publisher.crashed());
            figures.put("raised_by_members", raised.size());
            figures.put("backup_raised_ms", raised.size() < 2 ? "none" : ms((raised.get(1) - crashedAt) / MS));
            figures.put(
                    "failure_messages_about_victim",
                    distinctFailures(f -> f.node().equals(victim.id)));
        }
        figures.put("all_hold_one_ms", converged < 0 ? "never" : ms(converged / MS));
        figures.put("failure_messages", distinctFailures(f -> true));
        Set<NodeId> crashed = new HashSet<>();
        nodes.stream().filter(SimulatedNetwork.Node::crashed).forEach(node -> crashed.add(node.id));
        figures.put("false_dead", distinctVerdicts(t -> t.current() == Liveness.DEAD && !crashed.contains(t.node())));
        putTraffic("after_crash", traffic.minus(before), now() - crashedAt, n - crashed.size());
    }

    private void partition() {
        startAll();
        int cut = (int) Math.round(n * options.percent() / 100.0);
        List<SimulatedNetwork.Node> minority = new ArrayList<>();
        ClusterSimulationMain.pick(random, n, cut).forEach(i -> minority.add(nodes.get(i)));
        Set<NodeId> minorityIds = new HashSet<>();
        minority.forEach(node -> minorityIds.add(node.id));
        List<SimulatedNetwork.Node> majority =
                nodes.stream().filter(node -> !minorityIds.contains(node.id)).toList();
        figures.put("cut_off", cut);
        long cutAt = now();
        net.isolate(minority);
        long majorityDecided = -1;
        while (now() - cutAt < Duration.ofSeconds(30).toNanos()) {
            net.run(POLL);
            if (majorityDecided < 0 && allHoldOne(majority, majority.size())) {
                majorityDecided = now() - cutAt;
            }
        }
        figures.put("majority_removed_minority_ms", majorityDecided < 0 ? "never" : ms(majorityDecided / MS));
        figures.put(
                "minority_without_quorum",
                minority.stream().filter(m -> !m.core.clusterStats().quorum()).count());
        net.healAll();
        long healedAt = now();
        long healed = runUntil(() -> allHoldOne(nodes, n), CONVERGENCE_LIMIT);
        figures.put("heal_all_hold_one_ms", healed < 0 ? "never" : ms((healed - healedAt) / MS));
        net.run(Duration.ofSeconds(30));
        figures.put("failure_messages_minority", distinctFailures(f -> minorityIds.contains(f.node())));
        figures.put("failure_messages_majority", distinctFailures(f -> !minorityIds.contains(f.node())));
        figures.put(
                "dead_verdicts_majority",
                distinctVerdicts(t -> t.current() == Liveness.DEAD && !minorityIds.contains(t.node())));
        figures.put(
                "recovered_minority",
                distinctVerdicts(t -> t.reason() == Transition.Reason.RECOVERED && minorityIds.contains(t.node())));
        figures.put("all_hold_one_at_end", allHoldOne(nodes, n));
    }

    private void loss() {
        startAll();
        long from = now();
        SimulatedTraffic before = traffic.copy();
        net.lossRate(options.loss());
        figures.put("loss", options.loss());
        for (long m = 0; m < options.minutes(); m++) {
            net.run(Duration.ofMinutes(1));
            if ((m + 1) % 10 == 0) {
                System.err.printf("  loss: %d of %d simulated minutes%n", m + 1, options.minutes());
            }
        }
        putTraffic("loss", traffic.minus(before), now() - from, n);
        net.lossRate(0);
        net.run(Duration.ofSeconds(30));
        figures.put("minutes", options.minutes());
        figures.put("false_dead", distinctVerdicts(t -> t.current() == Liveness.DEAD));
        figures.put("failure_messages", distinctFailures(f -> true));
        figures.put("changes_decided", nodes.get(0).configuration().epoch() - 1);
        figures.put("all_hold_one_at_end", allHoldOne(nodes, n));
    }

    private void joins() {
        long start = now();
        SimulatedNetwork.Node founder = nodes.get(0);
        founder.join(cluster);
        long spreadNanos = options.joinSpreadMillis() * MS;
        for (int i = 1; i < n; i++) {
            long at = start + spreadNanos * (i - 1) / Math.max(1, n - 1);
            if (at > now()) {
                net.run(Duration.ofNanos(at - now()));
            }
            nodes.get(i).join(cluster, founder);
        }
        long converged = runUntil(() -> allHoldOne(nodes, n), CONVERGENCE_LIMIT);
        figures.put("join_spread_ms", options.joinSpreadMillis());
        figures.put("all_hold_one_s", converged < 0 ? "never" : seconds(converged - start));
        figures.put("changes_decided", founder.configuration().epoch() - 1);
        figures.put("joined_events", distinctVerdicts(t -> t.reason() == Transition.Reason.JOINED));
        figures.put("failure_messages", distinctFailures(f -> true));
        putTraffic("joins", traffic.copy(), now() - start, n);
        System.err.println("  datagrams by type: " + traffic.byType);
        figures.put("heap_per_member_B", (ClusterSimulationMain.heapAfterGc() - baselineHeap) / n);
    }

    private void stall() {
        startAll();
        SimulatedNetwork.Node stalled = nodes.get(random.nextInt(n));
        Duration stall = Duration.ofMillis(options.stallMillis());
        for (int i = 0; i < options.stalls(); i++) {
            stalled.crash();
            net.run(stall);
            stalled.resume();
            net.run(Duration.ofSeconds(30).minus(stall));
        }
        net.run(Duration.ofSeconds(30));
        figures.put("stall_ms", options.stallMillis());
        figures.put("stalls", options.stalls());
        Predicate<Transition> aboutIt = t -> t.node().equals(stalled.id);
        figures.put("failure_messages", distinctFailures(f -> f.node().equals(stalled.id)));
        figures.put("dead_verdicts", distinctVerdicts(aboutIt.and(t -> t.current() == Liveness.DEAD)));
        figures.put("flapping_verdicts", distinctVerdicts(aboutIt.and(t -> t.current() == Liveness.FLAPPING)));
        figures.put(
                "recovered_verdicts", distinctVerdicts(aboutIt.and(t -> t.reason() == Transition.Reason.RECOVERED)));
        figures.put("verdicts_about_others", distinctVerdicts(aboutIt.negate()));
        figures.put("all_hold_one_at_end", allHoldOne(nodes, n));
    }

    private void rollingRestart() {
        startAll();
        List<Integer> chosen = ClusterSimulationMain.pick(random, n, options.restarts());
        Set<NodeId> restartedIds = new HashSet<>();
        List<Long> rejoinMillis = new ArrayList<>();
        long unconverged = 0;
        long start = now();
        for (int index : chosen) {
            SimulatedNetwork.Node member = nodes.get(index);
            restartedIds.add(member.id);
            member.leave();
            runUntil(member.core::leaveDisseminated, LEAVE_TIMEOUT);
            member.crash();
            net.run(Duration.ofSeconds(2));
            List<SimulatedNetwork.Node> seeds = new ArrayList<>();
            while (seeds.size() < 3) {
                SimulatedNetwork.Node seed = nodes.get(random.nextInt(n));
                if (seed != member && !seeds.contains(seed)) {
                    seeds.add(seed);
                }
            }
            long restartedAt = now();
            member.restart(cluster, seeds.toArray(new SimulatedNetwork.Node[0]));
            long back = runUntil(() -> allHoldOne(nodes, n) && holdsIncarnation(member), Duration.ofSeconds(60));
            if (back < 0) {
                unconverged++;
            } else {
                rejoinMillis.add((back - restartedAt) / MS);
            }
            net.run(Duration.ofSeconds(5));
        }
        rejoinMillis.sort(null);
        figures.put("restarts", options.restarts());
        figures.put("rolling_s", seconds(now() - start));
        figures.put("rejoined_median_ms", rejoinMillis.isEmpty() ? "none" : rejoinMillis.get(rejoinMillis.size() / 2));
        figures.put("rejoined_max_ms", rejoinMillis.isEmpty() ? "none" : rejoinMillis.get(rejoinMillis.size() - 1));
        figures.put("not_rejoined_in_60s", unconverged);
        figures.put("failure_messages", distinctFailures(f -> true));
        figures.put(
                "left_events", distinctVerdicts(t -> t.current() == Liveness.LEFT && restartedIds.contains(t.node())));
        figures.put(
                "joined_events",
                distinctVerdicts(t -> t.reason() == Transition.Reason.JOINED && restartedIds.contains(t.node())));
        figures.put("dead_verdicts", distinctVerdicts(t -> t.current() == Liveness.DEAD));
        figures.put("all_hold_one_at_end", allHoldOne(nodes, n));
    }

    // ---- set-up and measures ----

    /** All members start from one configuration holding them all; warm-up, heap, steady traffic. */
    private void startAll() {
        List<MemberInfo> members = new ArrayList<>();
        for (SimulatedNetwork.Node node : nodes) {
            members.add(new MemberInfo(node.address, node.core.incarnation(), Labels.NONE));
        }
        Configuration initial = Configuration.of(1, members, List.of());
        for (SimulatedNetwork.Node node : nodes) {
            node.startIn(cluster, initial);
        }
        net.run(WARM_UP);
        figures.put("heap_per_member_B", (ClusterSimulationMain.heapAfterGc() - baselineHeap) / n);
        SimulatedTraffic before = traffic.copy();
        net.run(STEADY_WINDOW);
        putTraffic("steady", traffic.minus(before), STEADY_WINDOW.toNanos(), n);
        System.err.printf("  %d members started, warm and measured at sim %.0f s%n", n, now() / 1e9);
    }

    private long now() {
        return net.clock().monotonicNanos();
    }

    /** Runs in polls until {@code done} holds: the simulated time then, or -1 after {@code limit}. */
    private long runUntil(BooleanSupplier done, Duration limit) {
        long until = now() + limit.toNanos();
        while (!done.getAsBoolean()) {
            if (now() >= until) {
                return -1;
            }
            net.run(POLL);
        }
        return now();
    }

    private List<SimulatedNetwork.Node> live() {
        return nodes.stream().filter(node -> !node.crashed()).toList();
    }

    /** Every member of {@code members} holds the same configuration, of {@code size} members, and is in it. */
    private static boolean allHoldOne(List<SimulatedNetwork.Node> members, int size) {
        Configuration first = members.get(0).configuration();
        if (first == null || first.size() != size) {
            return false;
        }
        for (SimulatedNetwork.Node node : members) {
            Configuration c = node.configuration();
            if (c == null || !c.ref().equals(first.ref()) || !c.contains(node.address)) {
                return false;
            }
        }
        return true;
    }

    private boolean holdsIncarnation(SimulatedNetwork.Node member) {
        Configuration c = nodes.get(0).configuration();
        int at = c == null ? -1 : c.indexOf(member.address);
        return at >= 0 && c.member(at).incarnation() == member.core.incarnation();
    }

    /** FailureMessages as a consumer that drops duplicate event ids counts them: one per (node, change). */
    private long distinctFailures(Predicate<NodeFailure> which) {
        Set<String> seen = new HashSet<>();
        for (SimulatedNetwork.Node node : nodes) {
            for (NodeFailure f : node.failures) {
                if (which.test(f)) {
                    seen.add(f.node() + "@" + f.change());
                }
            }
        }
        return seen.size();
    }

    /** Status changes as a consumer counts them: one per (node, change, new state). */
    private long distinctVerdicts(Predicate<Transition> which) {
        Set<String> seen = new HashSet<>();
        for (SimulatedNetwork.Node node : nodes) {
            for (Transition t : node.changes) {
                if (which.test(t)) {
                    seen.add(t.node() + "@" + t.change() + ":" + t.current());
                }
            }
        }
        return seen.size();
    }

    private long firstDeadEpochMillis(SimulatedNetwork.Node about) {
        long first = Long.MAX_VALUE;
        for (SimulatedNetwork.Node node : nodes) {
            for (Transition t : node.changes) {
                if (t.node().equals(about.id) && t.current() == Liveness.DEAD) {
                    first = Math.min(first, t.at().toEpochMilli());
                }
            }
        }
        return first;
    }

    /** When each member that raised a FailureMessage about {@code about} raised it, earliest first. */
    private List<Long> raiseTimes(SimulatedNetwork.Node about) {
        List<Long> times = new ArrayList<>();
        for (SimulatedNetwork.Node node : nodes) {
            for (int i = 0; i < node.failures.size(); i++) {
                if (node.failures.get(i).node().equals(about.id)) {
                    times.add(node.failedAtNanos.get(i));
                    break;
                }
            }
        }
        times.sort(null);
        return times;
    }

    private SimulatedNetwork.Node firstToRaise(SimulatedNetwork.Node about) {
        for (SimulatedNetwork.Node node : nodes) {
            if (node.failures.stream().anyMatch(f -> f.node().equals(about.id))) {
                return node;
            }
        }
        return null;
    }

    private void putTraffic(String what, SimulatedTraffic t, long nanos, int members) {
        double perMemberSecond = members * (nanos / 1e9);
        figures.put(what + "_dgram_per_member_s", fixed(t.totalDatagrams() / perMemberSecond, 2));
        figures.put(what + "_bytes_per_member_s", fixed(t.totalBytes() / perMemberSecond, 0));
        figures.put(
                what + "_agreement_dgram_per_member_s",
                fixed(t.datagrams[SimulatedTraffic.AGREEMENT] / perMemberSecond, 3));
        figures.put(
                what + "_joining_bytes_per_member_s", fixed(t.bytes[SimulatedTraffic.JOINING] / perMemberSecond, 0));
    }

    private static String ms(long millis) {
        return Long.toString(millis);
    }

    private static String seconds(long nanos) {
        return fixed(nanos / 1e9, 1);
    }

    private static String fixed(double value, int decimals) {
        return String.format(Locale.ROOT, "%." + decimals + "f", value);
    }

    /**
     * The sidecar's Kafka acknowledgement, simulated: every change a member raised is confirmed at
     * the next step (within 10 ms), except by a member that never confirms (its outbox is lost).
     */
    private final class Confirmer {
        private final int[] seen = new int[n];
        private SimulatedNetwork.Node never;

        void never(SimulatedNetwork.Node node) {
            this.never = node;
        }

        void confirm() {
            for (SimulatedNetwork.Node node : nodes) {
                if (node == never || node.crashed()) {
                    continue;
                }
                List<Transition> changes = node.changes;
                Set<ConfigRef> refs = new LinkedHashSet<>();
                for (int i = seen[node.index]; i < changes.size(); i++) {
                    refs.add(changes.get(i).change());
                }
                seen[node.index] = changes.size();
                for (ConfigRef ref : refs) {
                    node.core.published(ref);
                }
            }
        }
    }
}
