package io.pulse.core;

import io.pulse.protocol.WireFormat;
import io.pulse.testkit.Machine;
import java.io.PrintStream;
import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.function.ToIntFunction;

/**
 * Cluster mode at scale on the {@link SimulatedNetwork}: a benchmark that prints figures, not a
 * test. Everything runs on the simulated clock in one thread; the same seed gives the same run.
 * Times printed as "sim" are simulated time, "wall" is what the run took on this machine.
 *
 * <p>Every scenario first joins {@code --members} members through {@code --seeds} seed members,
 * {@code --join-per-s} joiners per simulated second, and waits until every member sees all of them
 * ALIVE. Then:
 * <ul>
 *   <li>{@code crash}: {@code --warm-s} of warm-up, a {@code --window-s} window measuring the
 *       traffic, then one member crashes: time to the first DEAD verdict and until 99.9 % of the
 *       live members hold it DEAD, and how many NodeFailure events the whole cluster raised.</li>
 *   <li>{@code loss}: 10 % loss on every datagram for {@code --minutes}: false DEAD verdicts.</li>
 *   <li>{@code stall}: one member stops for {@code --stall-ms} and resumes with its state (Lifeguard's
 *       slow member), then 60 s: false DEAD of the others, and whether the stalled one was declared DEAD.</li>
 *   <li>{@code partition}: 10 % of the members cut off from the rest for 30 s, then healed: time
 *       until every member sees every member ALIVE again (at most 10 simulated minutes).</li>
 * </ul>
 *
 * <pre>{@code
 * mvn -B -q -Pbench -pl src/engine -am test-compile exec:exec -Dbench.jvm=-Xmx8g \
 *     -Dbench.main=io.pulse.core.ClusterSimulationMain -Dbench.args="--members 1000 --seed 1 --scenario crash"
 * }</pre>
 *
 * <p>Bytes are the wire format's encoded size ({@link WireFormat#encodedSize}, its 16-byte header
 * included); UDP/IP (28 B per IPv4 datagram) and Ethernet framing are not counted.
 */
public final class ClusterSimulationMain {
    private static final PrintStream OUT = System.out;
    private static final PrintStream PROGRESS = System.err;
    private static final List<String> SCENARIOS = List.of("crash", "loss", "stall", "partition");
    private static final long MS = 1_000_000L;
    private static final long SECOND = 1_000_000_000L;
    private static final int IPV4_UDP_HEADER_BYTES = 28;

    private ClusterSimulationMain() {}

    private record Options(
            int members,
            long seed,
            String scenario,
            int seeds,
            int joinPerSecond,
            long warmSeconds,
            long windowSeconds,
            long minutes,
            long stallMillis,
            int partitionPercent) {
        static Options parse(String[] args) {
            Map<String, String> o = Machine.options(
                    args,
                    List.of(
                            "members",
                            "seed",
                            "scenario",
                            "seeds",
                            "join-per-s",
                            "warm-s",
                            "window-s",
                            "minutes",
                            "stall-ms",
                            "partition-percent"),
                    "--members N --seed S --scenario crash|loss|stall|partition [--seeds K] [--join-per-s R]"
                            + " [--warm-s S] [--window-s S] [--minutes M] [--stall-ms MS] [--partition-percent P]");
            Options options = new Options(
                    Integer.parseInt(o.getOrDefault("members", "1000")),
                    Long.parseLong(o.getOrDefault("seed", "1")),
                    o.getOrDefault("scenario", "crash"),
                    Integer.parseInt(o.getOrDefault("seeds", "3")),
                    Integer.parseInt(o.getOrDefault("join-per-s", "50")),
                    Long.parseLong(o.getOrDefault("warm-s", "30")),
                    Long.parseLong(o.getOrDefault("window-s", "30")),
                    Long.parseLong(o.getOrDefault("minutes", "60")),
                    Long.parseLong(o.getOrDefault("stall-ms", "2000")),
                    Integer.parseInt(o.getOrDefault("partition-percent", "10")));
            if (!SCENARIOS.contains(options.scenario)) {
                throw new IllegalArgumentException(
                        "--scenario must be one of " + SCENARIOS + ", got " + options.scenario);
            }
            if (options.members < 10
                    || options.seeds < 1
                    || options.seeds >= options.members
                    || options.joinPerSecond < 1) {
                throw new IllegalArgumentException("need --members >= 10, 1 <= --seeds < members, --join-per-s >= 1");
            }
            return options;
        }
    }

    public static void main(String[] args) {
        Options options = Options.parse(args);
        long wallStart = System.nanoTime();
        OUT.println("---- ClusterSimulationMain ----");
        OUT.printf(
                "machine: %s, %d cores, %s %s, JDK %s, max heap %d MiB; load average (1, 5, 15 min) %s%n",
                Machine.cpuModel(),
                Runtime.getRuntime().availableProcessors(),
                System.getProperty("os.name"),
                System.getProperty("os.version"),
                System.getProperty("java.version"),
                Runtime.getRuntime().maxMemory() >> 20,
                Machine.loadAverage());
        Sim sim = new Sim(options);
        OUT.printf(
                "scenario %s, %d members, seed %d; DetectorConfig.defaults() (randomSeed seed + i), %s%n",
                options.scenario, options.members, options.seed, sim.cluster);
        sim.join();
        long scenarioStart = System.nanoTime();
        switch (options.scenario) {
            case "crash" -> sim.crash();
            case "loss" -> sim.loss();
            case "stall" -> sim.stall();
            case "partition" -> sim.partition();
            default -> throw new AssertionError(options.scenario);
        }
        long end = System.nanoTime();
        OUT.printf(
                "wall: %.1f s in all (%.1f s join, %.1f s scenario %s), seed %d; load average %s%n",
                (end - wallStart) / 1e9,
                (scenarioStart - wallStart) / 1e9,
                (end - scenarioStart) / 1e9,
                options.scenario,
                options.seed,
                Machine.loadAverage());
    }

    /** Datagrams and encoded bytes handed to the network, by message type (a piggybacked one counts as its carrier). */
    private static final class Traffic implements ToIntFunction<Message> {
        static final String[] KINDS = {"PING", "ACK", "PING_REQ", "NACK", "GOSSIP", "SYNC"};
        final long[] count = new long[KINDS.length];
        final long[] bytes = new long[KINDS.length];
        long piggybacked;
        long piggybackBytes;

        @Override
        public int applyAsInt(Message message) {
            int size = WireFormat.encodedSize(message);
            Message carrier = message;
            if (message instanceof Message.Piggybacked p) {
                piggybacked++;
                piggybackBytes += size - WireFormat.encodedSize(p.message());
                carrier = p.message();
            }
            int kind = carrier instanceof Message.Ping
                    ? 0
                    : carrier instanceof Message.Ack
                            ? 1
                            : carrier instanceof Message.PingReq
                                    ? 2
                                    : carrier instanceof Message.Nack ? 3 : carrier instanceof Message.Gossip ? 4 : 5;
            count[kind]++;
            bytes[kind] += size;
            return size;
        }

        Traffic copy() {
            Traffic t = new Traffic();
            System.arraycopy(count, 0, t.count, 0, count.length);
            System.arraycopy(bytes, 0, t.bytes, 0, bytes.length);
            t.piggybacked = piggybacked;
            t.piggybackBytes = piggybackBytes;
            return t;
        }

        long totalCount() {
            return Arrays.stream(count).sum();
        }

        long totalBytes() {
            return Arrays.stream(bytes).sum();
        }
    }

    private static final class Sim {
        final Options options;
        final int n;
        final ClusterConfig cluster =
                ClusterConfig.builder().reapAfter(Duration.ofHours(2)).build();
        final SimulatedNetwork net;
        final Traffic traffic = new Traffic();
        final List<SimulatedNetwork.Node> nodes = new ArrayList<>();
        final SplittableRandom random;

        Sim(Options options) {
            this.options = options;
            this.n = options.members;
            this.net = new SimulatedNetwork(options.seed);
            this.random = new SplittableRandom(options.seed ^ 0x9E3779B97F4A7C15L);
            net.measureWith(traffic);
        }

        long now() {
            return net.clock().monotonicNanos();
        }

        Instant wallNow() {
            return net.clock().now();
        }

        void run(long nanos) {
            net.run(Duration.ofNanos(nanos));
        }

        // ---- join ----

        void join() {
            long wall = System.nanoTime();
            long start = now();
            int seedCount = options.seeds;
            SimulatedNetwork.Node[] seeds = new SimulatedNetwork.Node[seedCount];
            long gap = SECOND / options.joinPerSecond;
            for (int i = 0; i < n; i++) {
                SimulatedNetwork.Node node = net.addNode(
                        DetectorConfig.builder().randomSeed(options.seed + i).build(), Duration.ZERO);
                nodes.add(node);
                if (i == 0) {
                    node.join(cluster);
                } else if (i < seedCount) {
                    node.join(cluster, nodes.get(0)); // the other seeds join through the founder
                } else {
                    node.join(cluster, seeds);
                }
                if (i < seedCount) {
                    seeds[i] = node;
                }
                run(gap);
                if ((i + 1) % Math.max(1, n / 10) == 0) {
                    PROGRESS.printf(
                            "  joined %d/%d at sim %.1f s, wall %.1f s%n",
                            i + 1, n, (now() - start) / 1e9, (System.nanoTime() - wall) / 1e9);
                }
            }
            long lastJoin = now() - gap;
            long limit = now() + Duration.ofMinutes(10).toNanos();
            int converged = convergedCount();
            while (converged < n && now() < limit) {
                run(SECOND);
                converged = convergedCount();
            }
            long done = now();
            long joined =
                    nodes.stream().filter(x -> x.core.clusterStats().joined()).count();
            long joinedEvents = countChanges(c -> c.reason() == Transition.Reason.JOINED);
            java.util.Set<NodeId> joinedIds = new java.util.HashSet<>();
            nodes.forEach(x -> x.changes.stream()
                    .filter(c -> c.reason() == Transition.Reason.JOINED)
                    .forEach(c -> joinedIds.add(c.node())));
            OUT.printf(
                    "join: %d members through %d seed(s), one every %d ms (%d/s, sim); %s: %d of %d members see all "
                            + "%d ALIVE (polled every sim second) %.1f s after the first join, %.1f s after the last; "
                            + "%d joined, %d JOINED events (expected %d), %d NodeFailure during the join; wall %.1f s%n",
                    n,
                    seedCount,
                    gap / MS,
                    options.joinPerSecond,
                    converged == n ? "CONVERGED" : "NOT CONVERGED",
                    converged,
                    n,
                    n,
                    (done - start) / 1e9,
                    (done - lastJoin) / 1e9,
                    joined,
                    joinedEvents,
                    n - 1,
                    failureCount(),
                    (System.nanoTime() - wall) / 1e9);
            if (joinedEvents != n - 1 || joinedIds.size() != n - 1) {
                List<Integer> missing = nodes.stream()
                        .filter(x -> x.index > 0 && !joinedIds.contains(x.id))
                        .map(x -> x.index)
                        .toList();
                OUT.printf(
                        "PROBLEM: %d JOINED events about %d distinct members, expected one each about the %d joiners;"
                                + " no JOINED event about member(s) %s (seed %d)%n",
                        joinedEvents,
                        joinedIds.size(),
                        n - 1,
                        missing.size() > 20 ? missing.subList(0, 20) + " ..." : missing,
                        options.seed);
            }
            if (converged < n) {
                OUT.printf(
                        "PROBLEM: join did not converge in 10 sim minutes after the last join: %s%n", aliveHistogram());
            }
            long heap = heapAfterGc();
            OUT.printf(
                    "heap after the join (used, after GC): %d MiB, about %.0f bytes per member entry (%d x %d views)%n",
                    heap >> 20, (double) heap / ((double) n * n), n, n);
        }

        /** Members that see all n members ALIVE and have joined. */
        int convergedCount() {
            int count = 0;
            for (SimulatedNetwork.Node node : nodes) {
                ClusterStats s = node.core.clusterStats();
                if (s.alive() == n && s.joined()) {
                    count++;
                }
            }
            return count;
        }

        String aliveHistogram() {
            Map<String, Integer> counts = new java.util.TreeMap<>();
            for (SimulatedNetwork.Node node : nodes) {
                if (node.crashed()) {
                    continue;
                }
                ClusterStats s = node.core.clusterStats();
                counts.merge("alive=" + s.alive() + " suspect=" + s.suspect() + " dead=" + s.dead(), 1, Integer::sum);
            }
            StringBuilder b = new StringBuilder("views (members holding each): ");
            int shown = 0;
            for (Map.Entry<String, Integer> e : counts.entrySet()) {
                if (shown++ == 12) {
                    b.append(" ...");
                    break;
                }
                b.append('[')
                        .append(e.getKey())
                        .append("] x")
                        .append(e.getValue())
                        .append(' ');
            }
            return b.toString();
        }

        // ---- counting ----

        long failureCount() {
            long total = 0;
            for (SimulatedNetwork.Node node : nodes) {
                total += node.failures.size();
            }
            return total;
        }

        List<NodeFailure> failures() {
            List<NodeFailure> all = new ArrayList<>();
            for (SimulatedNetwork.Node node : nodes) {
                all.addAll(node.failures);
            }
            all.sort((a, b) -> a.detectedAt().compareTo(b.detectedAt()));
            return all;
        }

        long countChanges(java.util.function.Predicate<Transition> which) {
            long total = 0;
            for (SimulatedNetwork.Node node : nodes) {
                for (Transition c : node.changes) {
                    if (which.test(c)) {
                        total++;
                    }
                }
            }
            return total;
        }

        long sumStats(Stat stat) {
            long total = 0;
            for (SimulatedNetwork.Node node : nodes) {
                total += stat.of(node.core.clusterStats());
            }
            return total;
        }

        interface Stat {
            long of(ClusterStats s);
        }

        int randomNonSeed() {
            return options.seeds + random.nextInt(n - options.seeds);
        }

        // ---- traffic ----

        record Snapshot(Traffic traffic, long at, long pendingBroadcasts) {}

        Snapshot snapshot() {
            return new Snapshot(traffic.copy(), now(), sumStats(ClusterStats::pendingBroadcasts));
        }

        void printTraffic(String what, Snapshot from, Snapshot to, int members) {
            double seconds = (to.at - from.at) / 1e9;
            double per = members * seconds;
            long datagrams = to.traffic.totalCount() - from.traffic.totalCount();
            long bytes = to.traffic.totalBytes() - from.traffic.totalBytes();
            OUT.printf(
                    "%s (%.0f sim s, %d members sending): %.2f datagrams and %.0f bytes per member per second "
                            + "(%.0f with 28 B IPv4+UDP headers; Ethernet not counted), mean %.0f B per datagram%n",
                    what,
                    seconds,
                    members,
                    datagrams / per,
                    bytes / per,
                    (bytes + (double) datagrams * IPV4_UDP_HEADER_BYTES) / per,
                    (double) bytes / Math.max(1, datagrams));
            StringBuilder b = new StringBuilder("  by type, per member per second (datagrams / bytes):");
            for (int k = 0; k < Traffic.KINDS.length; k++) {
                b.append(String.format(
                        " %s %.3f / %.1f;",
                        Traffic.KINDS[k],
                        (to.traffic.count[k] - from.traffic.count[k]) / per,
                        (to.traffic.bytes[k] - from.traffic.bytes[k]) / per));
            }
            long pig = to.traffic.piggybacked - from.traffic.piggybacked;
            b.append(String.format(
                    " piggybacked %.3f datagrams carrying %.1f bytes of updates",
                    pig / per, (to.traffic.piggybackBytes - from.traffic.piggybackBytes) / per));
            OUT.println(b);
            OUT.printf(
                    "  updates waiting to be gossiped, summed over members: %d at the start, %d at the end%n",
                    from.pendingBroadcasts, to.pendingBroadcasts);
        }

        // ---- scenarios ----

        void crash() {
            run(options.warmSeconds * SECOND);
            Snapshot a = snapshot();
            run(options.windowSeconds * SECOND);
            Snapshot b = snapshot();
            printTraffic("steady window", a, b, n);
            long failuresBefore = failureCount();

            SimulatedNetwork.Node victim = nodes.get(randomNonSeed());
            long wall = System.nanoTime();
            long crashAt = now();
            Instant crashWall = wallNow();
            victim.crash();
            int live = n - 1;
            boolean[] aware = new boolean[n];
            aware[victim.index] = true;
            int awareCount = 0;
            long limit = crashAt + Duration.ofMinutes(5).toNanos();
            // Poll the DEAD counts every 100 ms: cheap enough at 10,000 members; the exact times come
            // from each member's view afterwards (the DEAD state's "since").
            while (awareCount < live && now() < limit) {
                run(100 * MS);
                for (SimulatedNetwork.Node node : nodes) {
                    if (!aware[node.index] && node.core.clusterStats().dead() > 0) {
                        aware[node.index] = true;
                        awareCount++;
                    }
                }
            }
            long allAwarePolled = now();
            run(30 * SECOND); // room for duplicate verdicts
            long[] deadAfter = new long[live];
            int seen = 0;
            long notDead = 0;
            for (SimulatedNetwork.Node node : nodes) {
                if (node == victim) {
                    continue;
                }
                MemberStatus view = viewOf(node, victim);
                if (view != null && view.state() == Liveness.DEAD) {
                    deadAfter[seen++] =
                            Duration.between(crashWall, view.since()).toNanos();
                } else {
                    notDead++;
                }
            }
            long[] times = Arrays.copyOf(deadAfter, seen);
            Arrays.sort(times);
            List<NodeFailure> all = failures();
            List<NodeFailure> about =
                    all.stream().filter(f -> f.node().equals(victim.id)).toList();
            long others = failureCount() - failuresBefore - about.size();
            long deadTransitions = countChanges(c -> c.node().equals(victim.id) && c.current() == Liveness.DEAD);
            Transition suspected = nodes.stream()
                    .flatMap(x -> x.changes.stream())
                    .filter(c -> c.node().equals(victim.id) && c.current() == Liveness.SUSPECT)
                    .min((x, y) -> x.at().compareTo(y.at()))
                    .orElse(null);
            OUT.printf("crash of %s (member %d) at sim %.1f s:%n", victim.id, victim.index, crashAt / 1e9);
            if (suspected != null) {
                OUT.printf(
                        "  first SUSPECT event (reporter's): +%d ms%n",
                        Duration.between(crashWall, suspected.at()).toMillis());
            }
            if (!about.isEmpty()) {
                NodeFailure f = about.get(0);
                SimulatedNetwork.Node reporter = nodes.stream()
                        .filter(x -> x.failures.contains(f))
                        .findFirst()
                        .orElseThrow();
                OUT.printf(
                        "  first NodeFailure: +%d ms, raised by %s, declared by %s, %d suspecter(s)%n",
                        Duration.between(crashWall, f.detectedAt()).toMillis(),
                        reporter.id,
                        f.declaredBy(),
                        f.confirmations());
            } else {
                OUT.println("  PROBLEM: no NodeFailure about the crashed member");
            }
            if (times.length > 0) {
                OUT.printf(
                        "  DEAD in members' views: first +%d ms, p50 +%d ms, p99 +%d ms, p99.9 +%d ms, last +%d ms; "
                                + "%d of %d live members hold it DEAD, %d do not (all aware by the 100 ms poll at +%d ms)%n",
                        times[0] / MS,
                        pct(times, 0.5) / MS,
                        pct(times, 0.99) / MS,
                        pct(times, 0.999) / MS,
                        times[times.length - 1] / MS,
                        seen,
                        live,
                        notDead,
                        (allAwarePolled - crashAt) / MS);
            }
            OUT.printf(
                    "  NodeFailure events across all members: %d about the crashed member (expected 1), %d about "
                            + "others; %d status changes to DEAD about it%n",
                    about.size(), others, deadTransitions);
            if (about.size() != 1 || others != 0 || notDead != 0) {
                OUT.printf(
                        "PROBLEM: crash: %d failures about the victim, %d about others, %d live members not "
                                + "holding it DEAD (seed %d)%n",
                        about.size(), others, notDead, options.seed);
                printFailures(
                        all.stream()
                                .filter(f -> !f.detectedAt().isBefore(crashWall))
                                .toList(),
                        10);
            }
            OUT.printf("  wall for the crash phase: %.1f s%n", (System.nanoTime() - wall) / 1e9);
        }

        void loss() {
            long wall = System.nanoTime();
            long failuresBefore = failureCount();
            long suspectsBefore = countChanges(c -> c.current() == Liveness.SUSPECT);
            long refutationsBefore = sumStats(ClusterStats::refutations);
            Snapshot a = snapshot();
            net.lossRate(0.10);
            for (long minute = 1; minute <= options.minutes; minute++) {
                run(60 * SECOND);
                if (minute % 5 == 0 || minute == options.minutes) {
                    PROGRESS.printf(
                            "  loss: sim minute %d/%d, wall %.1f s, %d NodeFailure, %d suspicions so far%n",
                            minute,
                            options.minutes,
                            (System.nanoTime() - wall) / 1e9,
                            failureCount() - failuresBefore,
                            countChanges(c -> c.current() == Liveness.SUSPECT) - suspectsBefore);
                }
            }
            Snapshot b = snapshot();
            List<NodeFailure> failures =
                    failures().stream().skip(failuresBefore).toList();
            long holdingDead =
                    nodes.stream().filter(x -> x.core.clusterStats().dead() > 0).count();
            long deadViews = sumStats(ClusterStats::dead);
            long suspicions = countChanges(c -> c.current() == Liveness.SUSPECT) - suspectsBefore;
            long refuted = countChanges(c -> c.reason() == Transition.Reason.REFUTED);
            long recovered = countChanges(c -> c.reason() == Transition.Reason.RECOVERED);
            long refutations = sumStats(ClusterStats::refutations) - refutationsBefore;
            long notAllAlive = n - convergedCount();
            long suspectViews = sumStats(ClusterStats::suspect);
            OUT.printf(
                    "10 %% loss for %d sim minutes: %d NodeFailure events (false DEAD) about %d distinct members; "
                            + "at the end %d members hold someone DEAD (%d DEAD entries in all), %d members do not see "
                            + "all %d ALIVE (%d SUSPECT entries in all at that instant)%n",
                    options.minutes,
                    failures.size(),
                    failures.stream().map(NodeFailure::node).distinct().count(),
                    holdingDead,
                    deadViews,
                    notAllAlive,
                    n,
                    suspectViews);
            OUT.printf(
                    "  suspicions (reporters' SUSPECT events) %d (%.2f per sim minute), REFUTED events %d, "
                            + "RECOVERED events %d, refutations by suspected members %d%n",
                    suspicions, (double) suspicions / options.minutes, refuted, recovered, refutations);
            printTraffic("traffic under loss", a, b, n);
            if (!failures.isEmpty() || holdingDead > 0) {
                OUT.printf("PROBLEM: false DEAD under 10 %% loss (seed %d)%n", options.seed);
                printFailures(failures, 10);
            }
            OUT.printf(
                    "  wall for %d sim minutes of loss: %.1f s (%.1f x real time)%n",
                    options.minutes,
                    (System.nanoTime() - wall) / 1e9,
                    options.minutes * 60.0 / ((System.nanoTime() - wall) / 1e9));
        }

        void stall() {
            run(options.warmSeconds * SECOND);
            long wall = System.nanoTime();
            long failuresBefore = failureCount();
            long suspectsBefore = countChanges(c -> c.current() == Liveness.SUSPECT);
            SimulatedNetwork.Node stalled = nodes.get(randomNonSeed());
            long incarnationBefore = stalled.core.incarnation();
            long refutationsBefore = stalled.core.clusterStats().refutations();
            Instant stallWall = wallNow();
            stalled.crash();
            run(options.stallMillis * MS);
            stalled.resume();
            run(60 * SECOND);
            List<NodeFailure> failures =
                    failures().stream().skip(failuresBefore).toList();
            List<NodeFailure> others =
                    failures.stream().filter(f -> !f.node().equals(stalled.id)).toList();
            long aboutStalled = failures.size() - others.size();
            List<Transition> suspicions = nodes.stream()
                    .flatMap(x -> x.changes.stream())
                    .filter(c -> c.current() == Liveness.SUSPECT)
                    .toList();
            long suspectsOfOthers = suspicions.stream()
                    .filter(c -> !c.node().equals(stalled.id) && !c.at().isBefore(stallWall))
                    .count();
            long suspectsOfStalled = suspicions.stream()
                    .filter(c -> c.node().equals(stalled.id) && !c.at().isBefore(stallWall))
                    .count();
            long seeStalledDead = 0;
            long seeStalledAlive = 0;
            for (SimulatedNetwork.Node node : nodes) {
                if (node == stalled) {
                    continue;
                }
                MemberStatus view = viewOf(node, stalled);
                if (view != null && view.state() == Liveness.DEAD) {
                    seeStalledDead++;
                } else if (view != null && view.state() == Liveness.ALIVE) {
                    seeStalledAlive++;
                }
            }
            ClusterStats s = stalled.core.clusterStats();
            OUT.printf(
                    "stall of %s (member %d) for %d ms, then 60 s:%n", stalled.id, stalled.index, options.stallMillis);
            OUT.printf(
                    "  false DEAD of OTHER members: %d NodeFailure events (about %d distinct members); SUSPECT events "
                            + "about others since the stall: %d%n",
                    others.size(),
                    others.stream().map(NodeFailure::node).distinct().count(),
                    suspectsOfOthers);
            OUT.printf(
                    "  the stalled member: declared DEAD %s (%d NodeFailure events), %d SUSPECT events about it; "
                            + "refuted %d time(s), incarnation +%d; at the end %d members see it ALIVE, %d DEAD; "
                            + "it sees %d ALIVE, %d SUSPECT, %d DEAD%n",
                    aboutStalled > 0 ? "YES" : "no",
                    aboutStalled,
                    suspectsOfStalled,
                    s.refutations() - refutationsBefore,
                    stalled.core.incarnation() - incarnationBefore,
                    seeStalledAlive,
                    seeStalledDead,
                    s.alive(),
                    s.suspect(),
                    s.dead());
            if (!others.isEmpty()) {
                OUT.printf(
                        "PROBLEM: a %d ms stall made %d false DEAD verdicts about other members (seed %d)%n",
                        options.stallMillis, others.size(), options.seed);
                printFailures(others, 10);
            }
            OUT.printf("  wall for the stall phase: %.1f s%n", (System.nanoTime() - wall) / 1e9);
        }

        void partition() {
            run(options.warmSeconds * SECOND);
            long wall = System.nanoTime();
            long failuresBefore = failureCount();
            int cutSize = Math.max(1, n * options.partitionPercent / 100);
            int[] order = new int[n];
            for (int i = 0; i < n; i++) {
                order[i] = i;
            }
            for (int i = n - 1; i > 0; i--) {
                int j = random.nextInt(i + 1);
                int t = order[i];
                order[i] = order[j];
                order[j] = t;
            }
            boolean[] minority = new boolean[n];
            for (int i = 0; i < cutSize; i++) {
                minority[order[i]] = true;
            }
            for (SimulatedNetwork.Node a : nodes) {
                if (!minority[a.index]) {
                    continue;
                }
                for (SimulatedNetwork.Node b : nodes) {
                    if (!minority[b.index]) {
                        net.cut(a, b);
                    }
                }
            }
            long cutAt = now();
            run(30 * SECOND);
            long majorityHoldingMinorityDead = 0;
            long minorityHoldingMajorityDead = 0;
            for (SimulatedNetwork.Node node : nodes) {
                int dead = node.core.clusterStats().dead();
                if (minority[node.index] && dead == n - cutSize) {
                    minorityHoldingMajorityDead++;
                } else if (!minority[node.index] && dead == cutSize) {
                    majorityHoldingMinorityDead++;
                }
            }
            long failuresDuringCut = failureCount() - failuresBefore;
            long[] cutTable = failureTable(minority, null);
            int minMinorityDead = Integer.MAX_VALUE;
            int maxMinorityDead = 0;
            for (SimulatedNetwork.Node node : nodes) {
                if (minority[node.index]) {
                    int dead = node.core.clusterStats().dead();
                    minMinorityDead = Math.min(minMinorityDead, dead);
                    maxMinorityDead = Math.max(maxMinorityDead, dead);
                }
            }
            Instant healWall = wallNow();
            net.healAll();
            long healAt = now();
            long limit = healAt + Duration.ofMinutes(10).toNanos();
            int healed = convergedCount();
            long nextReport = healAt + 30 * SECOND;
            while (healed < n && now() < limit) {
                run(SECOND);
                healed = convergedCount();
                if (now() >= nextReport) {
                    nextReport += 30 * SECOND;
                    PROGRESS.printf(
                            "  partition: healed +%d s: %d of %d members see all ALIVE; %s; wall %.1f s%n",
                            (now() - healAt) / SECOND, healed, n, aliveHistogram(), (System.nanoTime() - wall) / 1e9);
                }
            }
            long healedAt = now();
            List<NodeFailure> after = failures().stream()
                    .filter(f -> f.detectedAt().isAfter(healWall))
                    .toList();
            long recovered = countChanges(c -> c.reason() == Transition.Reason.RECOVERED && c.at().isAfter(healWall));
            long suspectAfter = countChanges(c -> c.current() == Liveness.SUSPECT && c.at().isAfter(healWall));
            OUT.printf(
                    "partition: %d of %d members (random, %d %%) cut off from the rest at sim %.1f s for 30 s: "
                            + "%d NodeFailure events during the cut (at most %d + %d: one per member of the other side, on each side); "
                            + "%d of %d majority members hold every minority member DEAD, %d of %d minority members "
                            + "hold every majority member DEAD%n",
                    cutSize,
                    n,
                    options.partitionPercent,
                    cutAt / 1e9,
                    failuresDuringCut,
                    cutSize,
                    n - cutSize,
                    majorityHoldingMinorityDead,
                    n - cutSize,
                    minorityHoldingMajorityDead,
                    cutSize);
            OUT.printf(
                    "  during the cut: minority members hold %d..%d of the %d majority members DEAD; NodeFailure "
                            + "events %s%n",
                    minMinorityDead, maxMinorityDead, n - cutSize, tableText(cutTable));
            if (healed == n) {
                OUT.printf(
                        "  healed: every member sees all %d ALIVE %d s after healAll (polled every sim second)%n",
                        n, (healedAt - healAt) / SECOND);
            } else {
                OUT.printf(
                        "PROBLEM: NOT HEALED after 10 sim minutes: %d of %d members see all ALIVE; %s (seed %d)%n",
                        healed, n, aliveHistogram(), options.seed);
            }
            OUT.printf(
                    "  after healing: %d RECOVERED events, %d SUSPECT events, %d NodeFailure events about %d "
                            + "distinct members%n",
                    recovered,
                    suspectAfter,
                    after.size(),
                    after.stream().map(NodeFailure::node).distinct().count());
            if (!after.isEmpty()) {
                OUT.printf(
                        "PROBLEM: %d NodeFailure events after the partition healed (seed %d): %s%n",
                        after.size(), options.seed, tableText(failureTable(minority, healWall)));
                printFailures(after, 10, minority);
                long zero = after.stream().filter(f -> f.confirmations() == 0).count();
                OUT.printf(
                        "    %d of them with 0 suspecters (a DEAD the reporter never suspected itself, learned "
                                + "from a view or gossip)%n",
                        zero);
            }
            OUT.printf("  wall for the partition phase: %.1f s%n", (System.nanoTime() - wall) / 1e9);
        }

        /**
         * NodeFailure events detected after {@code after} (null: all), counted as [about a minority
         * member, raised by a minority member], [minority, by majority], [majority, by minority],
         * [majority, by majority].
         */
        long[] failureTable(boolean[] minority, Instant after) {
            Map<NodeId, Integer> index = new HashMap<>();
            for (SimulatedNetwork.Node node : nodes) {
                index.put(node.id, node.index);
            }
            long[] table = new long[4];
            for (SimulatedNetwork.Node reporter : nodes) {
                for (NodeFailure f : reporter.failures) {
                    if (after != null && !f.detectedAt().isAfter(after)) {
                        continue;
                    }
                    boolean aboutMinority = minority[index.get(f.node())];
                    boolean byMinority = minority[reporter.index];
                    table[(aboutMinority ? 0 : 2) + (byMinority ? 0 : 1)]++;
                }
            }
            return table;
        }

        static String tableText(long[] t) {
            return String.format(
                    "[about minority members: %d raised by minority members, %d by majority members; "
                            + "about majority members: %d by minority, %d by majority]",
                    t[0], t[1], t[2], t[3]);
        }

        MemberStatus viewOf(SimulatedNetwork.Node node, SimulatedNetwork.Node other) {
            for (MemberStatus m : node.core.members()) {
                if (m.id().equals(other.id)) {
                    return m;
                }
            }
            return null;
        }

        void printFailures(List<NodeFailure> failures, int max) {
            printFailures(failures, max, null);
        }

        /** With {@code minority}, each member is tagged with its side of the partition. */
        void printFailures(List<NodeFailure> failures, int max, boolean[] minority) {
            Map<NodeId, Integer> index = new HashMap<>();
            Map<NodeFailure, NodeId> raisedBy = new java.util.IdentityHashMap<>();
            for (SimulatedNetwork.Node node : nodes) {
                index.put(node.id, node.index);
                node.failures.forEach(f -> raisedBy.put(f, node.id));
            }
            java.util.function.Function<NodeId, String> tag = id -> {
                Integer i = id == null ? null : index.get(id);
                return id + " (member " + i
                        + (minority == null || i == null ? "" : minority[i] ? ", minority" : ", majority") + ")";
            };
            failures.stream()
                    .limit(max)
                    .forEach(f -> OUT.printf(
                            "    %s: %s DEAD at incarnation %d, declared by %s, " + "raised by %s, %d suspecter(s)%n",
                            f.detectedAt(),
                            tag.apply(f.node()),
                            f.incarnation(),
                            tag.apply(f.declaredBy()),
                            tag.apply(raisedBy.get(f)),
                            f.confirmations()));
            if (failures.size() > max) {
                OUT.printf("    ... %d more%n", failures.size() - max);
            }
        }
    }

    /** The value at quantile {@code q} of sorted {@code values} (nearest rank). */
    private static long pct(long[] values, double q) {
        int rank = (int) Math.ceil(q * values.length);
        return values[Math.max(0, Math.min(values.length - 1, rank - 1))];
    }

    private static long heapAfterGc() {
        var memory = ManagementFactory.getMemoryMXBean();
        for (int i = 0; i < 2; i++) {
            System.gc();
        }
        return memory.getHeapMemoryUsage().getUsed();
    }

    // The same helpers as io.pulse.bench.Machine, which is package-private in another package.
}
