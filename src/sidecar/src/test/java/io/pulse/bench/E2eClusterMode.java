package io.pulse.bench;

import io.pulse.events.ChangeReason;
import io.pulse.events.NodeState;
import io.pulse.testkit.Machine;
import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.ToLongFunction;

/**
 * {@link E2eDetectionHarness}'s cluster mode ({@code --mode cluster}): the N nodes are members of
 * one membership group ({@code cluster.enabled}, joined through the first 3 ports, no static
 * targets, default detector and cluster settings), laid out as in the static mode (the victim alone
 * in its own JVM, the N-1 others in one), all publishing to the same embedded broker, one consumer
 * measuring. Per N: the initial join, CPU and datagrams per member in the steady state, crashes
 * (SIGKILL of the victim's JVM, or its datagrams silently dropped) to the one FailureMessage and to
 * every member's view DEAD, and a rolling restart with clean leaves. Then a join storm: M members
 * started at once, until every one sees M ALIVE.
 *
 * <p>Counting: a crash should be exactly one FailureMessage in {@code pulse.failures}; records are
 * counted raw (a plain consumer of the topic, duplicates included) and as the consumer library
 * delivers them (after its dedup by event id). "Every member's view DEAD" is read from each
 * member's {@code engine.members()}: the {@code since} of the victim's DEAD entry, on the member's
 * own wall clock (one machine, one clock), so the polling interval does not matter.
 */
final class E2eClusterMode {
    static final PrintStream OUT = E2eDetectionHarness.OUT;
    /** After the first FailureMessage: how long more to wait for a second verdict (the IT waits 3 s too). */
    static final Duration DUPLICATE_WINDOW = Duration.ofSeconds(3);

    static final Duration VIEW_LIMIT = Duration.ofSeconds(30);
    static final Duration REJOIN_LIMIT = Duration.ofSeconds(60);
    static final double TARGET_CPU_PERCENT = 0.3;

    private final Map<String, List<Crash>> crashes = new LinkedHashMap<>();
    private final Map<Integer, Steady> steady = new LinkedHashMap<>();
    private final Map<Integer, Long> initialJoinMillis = new LinkedHashMap<>();
    private final Map<Integer, int[]> falseInRuns = new LinkedHashMap<>();
    private final List<Roll> rolls = new ArrayList<>();
    private final List<Storm> storms = new ArrayList<>();

    /** One crash. Times in ms from the kill; -1: not seen. */
    record Crash(
            String mode,
            long firstSent,
            long firstSuspect,
            long firstDead,
            long firstAppended,
            long firstReceived,
            long firstViewDead,
            long allViewsDead,
            int viewsDead,
            int members,
            int delivered,
            int rawRecords,
            int distinctIds,
            int confirmations,
            long isolatedMs) {
        void print(PrintStream out, int size, int run) {
            out.printf(
                    Locale.ROOT,
                    "N=%d %s run %d: first probe missed %d, SUSPECT %d, DEAD %d, Kafka %d, received %d; "
                            + "views DEAD first %d, all %d (%d of %d members); FailureMessages: %d raw, %d distinct, "
                            + "%d delivered (confirmations %d)%s%n",
                    size,
                    mode,
                    run + 1,
                    firstSent,
                    firstSuspect,
                    firstDead,
                    firstAppended,
                    firstReceived,
                    firstViewDead,
                    allViewsDead,
                    viewsDead,
                    members,
                    rawRecords,
                    distinctIds,
                    delivered,
                    confirmations,
                    isolatedMs < 0 ? "" : "; silent for " + isolatedMs + " ms");
        }
    }

    /** The steady state: CPU, heap and datagrams per member. */
    record Steady(
            int size,
            long wallNanos,
            double hostCpuPerMember,
            double loopMedian,
            double loopMax,
            double victimCpu,
            double victimLoop,
            long hostHeapPerMember,
            long victimHeap,
            double sentPerMember,
            double receivedPerMember,
            double victimSent,
            double victimReceived,
            String loadBefore,
            String loadAfter,
            int[] falseChanges) {
        static Steady of(
                int size,
                long wall,
                E2eReport.Stats hb,
                E2eReport.Stats ha,
                E2eReport.Stats hh,
                E2eReport.Stats vb,
                E2eReport.Stats va,
                E2eReport.Stats vh,
                String loadBefore,
                String loadAfter,
                int[] falseChanges) {
            double[] loops = new double[ha.loopCpuNanos().length];
            for (int i = 0; i < loops.length; i++) {
                loops[i] = E2eReport.percent(ha.loopCpuNanos()[i] - hb.loopCpuNanos()[i], wall);
            }
            Arrays.sort(loops);
            double seconds = wall / 1e9;
            int hosted = size - 1;
            return new Steady(
                    size,
                    wall,
                    E2eReport.percent(ha.cpuNanos() - hb.cpuNanos(), wall) / hosted,
                    loops[loops.length / 2],
                    loops[loops.length - 1],
                    E2eReport.percent(va.cpuNanos() - vb.cpuNanos(), wall),
                    E2eReport.percent(va.loopCpuNanos()[0] - vb.loopCpuNanos()[0], wall),
                    hh.heapBytes() / hosted,
                    vh.heapBytes(),
                    (ha.passed() - hb.passed() + va.passed() - vb.passed()) / seconds / size,
                    (ha.received() - hb.received() + va.received() - vb.received()) / seconds / size,
                    (va.passed() - vb.passed()) / seconds,
                    (va.received() - vb.received()) / seconds,
                    loadBefore,
                    loadAfter,
                    falseChanges);
        }

        void print(PrintStream out) {
            out.printf(
                    Locale.ROOT,
                    "steady state, cluster N=%d, %.0f s (load %s -> %s): the member in its own JVM %.2f %% "
                            + "of a core (event loop %.2f %%), heap after GC %.1f MiB, %.1f datagrams/s out, %.1f in; the "
                            + "%d-member JVM %.3f %% of a core per member (event loops: median %.3f %%, max %.3f %%), heap "
                            + "after GC %.2f MiB per member; per member %.2f datagrams/s out, %.2f in; %d false SUSPECT, "
                            + "%d false DEAD%n",
                    size,
                    wallNanos / 1e9,
                    loadBefore,
                    loadAfter,
                    victimCpu,
                    victimLoop,
                    victimHeap / 1048576.0,
                    victimSent,
                    victimReceived,
                    size - 1,
                    hostCpuPerMember,
                    loopMedian,
                    loopMax,
                    hostHeapPerMember / 1048576.0,
                    sentPerMember,
                    receivedPerMember,
                    falseChanges[0],
                    falseChanges[1]);
        }
    }

    /** A rolling restart: each of {@code members} left cleanly and came back, one after another. */
    record Roll(
            int size,
            int members,
            long[] leaveMs,
            long[] leftPublishedMs,
            long[] rejoinMs,
            int failures,
            int leftEvents,
            int joinedEvents,
            int suspects,
            int deads,
            long wallMs) {}

    /** A join storm: {@code size} members started at once. */
    record Storm(
            int size,
            long startSpreadMs,
            long convergedMs,
            long convergedAfterLastStartMs,
            int joinedEvents,
            int failures,
            int suspects,
            int deads) {}

    static void run(
            Map<String, String> options,
            Path work,
            List<String> sizes,
            int runs,
            List<String> modes,
            Duration warmup,
            Duration measure)
            throws Exception {
        E2eClusterMode report = new E2eClusterMode();
        int roll = Integer.parseInt(options.getOrDefault("roll", "10"));
        report.blips = Integer.parseInt(options.getOrDefault("blips", "0"));
        report.blipMillis = Long.parseLong(options.getOrDefault("blip-ms", "1500"));
        try {
            for (String n : sizes) {
                int size = Integer.parseInt(n);
                report.size(size, work.resolve("c" + size), runs, modes, warmup, measure, roll);
            }
            for (String n : E2eDetectionHarness.list(options.getOrDefault("join", "50"))) {
                report.storms.add(storm(Integer.parseInt(n), work.resolve("join" + n)));
            }
        } finally {
            report.printSummary(OUT);
        }
    }

    private int blips;
    private long blipMillis;
    private final List<int[]> blipResults = new ArrayList<>();

    /**
     * A blip: the victim silent (every datagram in and out dropped) for {@code millis}, then heard
     * again; nobody crashed, so every SUSPECT, DEAD and FailureMessage published in the next
     * {@link #BLIP_WATCH} is false, the victim's included. Returns {SUSPECT, DEAD, FailureMessages,
     * of them about the victim}.
     */
    static int[] blip(E2eCluster cluster, long millis, int run) throws Exception {
        if (!cluster.awaitAllAlive(E2eDetectionHarness.SETTLE_LIMIT)) {
            throw new IllegalStateException("the cluster did not converge before blip " + run);
        }
        Thread.sleep(E2eDetectionHarness.SETTLE_PAUSE.toMillis()
                + ThreadLocalRandom.current().nextLong(1000));
        Instant from = E2eNodesMain.fromMicros(
                Long.parseLong(cluster.victim.ask("silent " + cluster.victimPort, "SILENT ", E2eChild.ANSWER_LIMIT)));
        mark("the start of blip " + (run + 1) + " (N=" + cluster.size + ", " + millis + " ms)", from);
        Thread.sleep(millis);
        cluster.victim.ask("restore " + cluster.victimPort, "OK", E2eChild.ANSWER_LIMIT);
        mark("the end of blip " + (run + 1), Instant.now());
        Thread.sleep(BLIP_WATCH.toMillis());
        Instant to = Instant.now();
        List<E2eEvents.Status> wrong = cluster.events.statuses(s -> !s.at().isBefore(from)
                && !s.at().isAfter(to)
                && (s.current() == NodeState.SUSPECT || s.current() == NodeState.DEAD));
        List<E2eEvents.Raw> failures = cluster.events.raw(
                r -> !r.detectedAt().isBefore(from) && !r.detectedAt().isAfter(to));
        int[] counts = {
            (int) wrong.stream().filter(s -> s.current() == NodeState.SUSPECT).count(),
            (int) wrong.stream().filter(s -> s.current() == NodeState.DEAD).count(),
            failures.size(),
            (int) failures.stream()
                    .filter(r -> r.node().equals(cluster.victimId))
                    .count()
        };
        OUT.printf(
                "N=%d blip %d: the victim silent for %d ms, nobody crashed; in the %d s from the blip's start: %d SUSPECT, "
                        + "%d DEAD, %d FailureMessage(s) published (%d about the victim)%n",
                cluster.size,
                run + 1,
                millis,
                BLIP_WATCH.toSeconds() + millis / 1000,
                counts[0],
                counts[1],
                counts[2],
                counts[3]);
        printFalseAll(cluster, from, to);
        return counts;
    }

    static final Duration BLIP_WATCH = Duration.ofSeconds(10);

    static void printFalseAll(E2eCluster cluster, Instant from, Instant to) {
        cluster
                .events
                .statuses(s -> !s.at().isBefore(from) && !s.at().isAfter(to) && s.current() == NodeState.DEAD)
                .stream()
                .limit(20)
                .forEach(s -> OUT.printf(
                        "  DEAD: %s about %s (reason %s), %s%n", s.observer(), s.node(), s.reason(), since(s.at())));
        cluster
                .events
                .raw(r -> !r.detectedAt().isBefore(from) && !r.detectedAt().isAfter(to))
                .stream()
                .limit(20)
                .forEach(r -> OUT.printf(
                        "  FailureMessage: %s about %s, declared by %s, %d confirmation(s), %s%n",
                        r.observer(), r.node(), r.declaredBy(), r.confirmations(), since(r.detectedAt())));
    }

    private void size(int size, Path work, int runs, List<String> modes, Duration warmup, Duration measure, int roll)
            throws Exception {
        long started = System.nanoTime();
        Instant startedAt = Instant.now();
        try (E2eCluster cluster = E2eCluster.start(size, work, true, false)) {
            OUT.printf(
                    "%n== cluster mode, N = %d: broker, %d members in one JVM (%s), the victim %s in its own; seeds %s ==%n",
                    size,
                    size - 1,
                    String.join(" ", E2eCluster.hostJvm(size)),
                    cluster.victimId,
                    Arrays.toString(cluster.seeds));
            long startedMs = (System.nanoTime() - started) / 1_000_000;
            long settle = System.nanoTime();
            if (!cluster.awaitClusterAllAlive(E2eDetectionHarness.SETTLE_LIMIT, 100)) {
                long[] v = cluster.view();
                throw new IllegalStateException("the cluster did not converge within "
                        + E2eDetectionHarness.SETTLE_LIMIT.toSeconds() + " s: view " + Arrays.toString(v));
            }
            cluster.settledAt = Instant.now();
            long settledMs = (System.nanoTime() - settle) / 1_000_000;
            initialJoinMillis.put(size, settledMs);
            OUT.printf(
                    Locale.ROOT,
                    "started (JVMs up, members started) in %.1f s; every member saw %d ALIVE %.1f s later "
                            + "(load %s)%n",
                    startedMs / 1e3,
                    size,
                    settledMs / 1e3,
                    Machine.loadAverage());
            Thread.sleep(DUPLICATE_WINDOW.toMillis());
            List<E2eEvents.Status> startup = cluster.events.statuses(s -> !s.at().isBefore(startedAt));
            OUT.printf(
                    "  published during the start: %d JOINED, %d SUSPECT, %d DEAD, %d FailureMessage(s)%n",
                    startup.stream()
                            .filter(s -> s.reason() == ChangeReason.JOINED)
                            .count(),
                    startup.stream()
                            .filter(s -> s.current() == NodeState.SUSPECT)
                            .count(),
                    startup.stream().filter(s -> s.current() == NodeState.DEAD).count(),
                    cluster.events.raw(r -> !r.detectedAt().isBefore(startedAt)).size());
            mark("the start (N=" + size + ")", startedAt);
            printFalseAll(cluster, startedAt, Instant.now());
            Steady s = steadyState(cluster, warmup, measure);
            steady.put(size, s);
            s.print(OUT);
            for (int run = 0; run < runs; run++) {
                for (String mode : modes) {
                    crashes.computeIfAbsent(size + " " + mode, k -> new ArrayList<>())
                            .add(crashRun(cluster, mode, run));
                }
            }
            falseInRuns.put(size, falseChanges(cluster, cluster.settledAt, Instant.now()));
            printFalse(cluster, cluster.settledAt, Instant.now());
            if (roll > 0) {
                rolls.add(rollingRestart(cluster, Math.min(roll, size - 1)));
            }
            for (int i = 0; i < blips; i++) {
                blipResults.add(blip(cluster, blipMillis, i));
            }
            printSize(OUT, size);
            OUT.printf(Locale.ROOT, "N=%d done in %.0f s wall%n", size, (System.nanoTime() - started) / 1e9);
        }
    }

    static Steady steadyState(E2eCluster cluster, Duration warmup, Duration measure) throws Exception {
        Thread.sleep(warmup.toMillis());
        String loadBefore = Machine.loadAverage();
        Instant from = Instant.now();
        E2eReport.Stats hb = stats(cluster.host, "stats");
        E2eReport.Stats vb = stats(cluster.victim, "stats");
        long wallBefore = System.nanoTime();
        Thread.sleep(measure.toMillis());
        E2eReport.Stats ha = stats(cluster.host, "stats");
        E2eReport.Stats va = stats(cluster.victim, "stats");
        long wall = System.nanoTime() - wallBefore;
        String loadAfter = Machine.loadAverage();
        E2eReport.Stats hh = stats(cluster.host, "stats gc");
        E2eReport.Stats vh = stats(cluster.victim, "stats gc");
        return Steady.of(
                cluster.size,
                wall,
                hb,
                ha,
                hh,
                vb,
                va,
                vh,
                loadBefore,
                loadAfter,
                falseChanges(cluster, from, Instant.now()));
    }

    private static E2eReport.Stats stats(E2eChild child, String command) throws InterruptedException {
        return E2eReport.Stats.parse(child.ask(command, "STATS ", E2eChild.ANSWER_LIMIT));
    }

    static Crash crashRun(E2eCluster cluster, String mode, int run) throws Exception {
        if (!cluster.awaitAllAlive(E2eDetectionHarness.SETTLE_LIMIT)) {
            throw new IllegalStateException("the cluster did not converge again before run " + run + ": view "
                    + Arrays.toString(cluster.view()));
        }
        Thread.sleep(E2eDetectionHarness.SETTLE_PAUSE.toMillis()
                + ThreadLocalRandom.current().nextLong(1000));
        String victim = cluster.victimId;
        Instant killed = E2eDetectionHarness.killVictim(cluster, mode);
        mark("the " + mode + " of run " + (run + 1) + " (N=" + cluster.size + ")", killed);
        cluster.events.await(
                () -> !cluster.events
                        .failures(f -> f.node().equals(victim) && f.received().isAfter(killed))
                        .isEmpty(),
                E2eDetectionHarness.DETECTION_LIMIT);
        // Every member's view: poll until all N-1 hold the victim DEAD (each since its own transition).
        long killedMicros = E2eNodesMain.toMicros(killed);
        long[] dead = {0, -1, -1};
        long deadline = System.nanoTime() + VIEW_LIMIT.toNanos();
        while (System.nanoTime() < deadline) {
            dead = E2eCluster.parse(cluster.host.ask(
                    "dead " + cluster.victimPort + " " + killedMicros, "DEAD ", E2eChild.ANSWER_LIMIT));
            if (dead[0] >= cluster.size - 1) {
                break;
            }
            Thread.sleep(100);
        }
        long isolated = -1;
        if (mode.equals("drop")) {
            cluster.victim.ask("restore " + cluster.victimPort, "OK", E2eChild.ANSWER_LIMIT);
            Instant restored = Instant.now();
            isolated = E2eReport.ms(killed, restored);
            mark("the restore of run " + (run + 1) + " (N=" + cluster.size + ")", restored);
        }
        Thread.sleep(DUPLICATE_WINDOW.toMillis());
        List<E2eEvents.Failure> failures = cluster.events.failures(
                f -> f.node().equals(victim) && f.received().isAfter(killed));
        List<E2eEvents.Raw> raw = cluster.events.raw(
                r -> r.node().equals(victim) && r.detectedAt().isAfter(killed));
        List<E2eEvents.Status> suspects = cluster.events.statuses(
                s -> s.node().equals(victim) && s.current() == NodeState.SUSPECT && !s.at().isBefore(killed));
        Crash crash = new Crash(
                mode,
                ms(killed, cluster.firstSentToVictim(killed)),
                min(killed, suspects.stream().map(E2eEvents.Status::at).toList()),
                min(killed, failures.stream().map(E2eEvents.Failure::detectedAt).toList()),
                min(killed, raw.stream().map(E2eEvents.Raw::appended).toList()),
                min(killed, failures.stream().map(E2eEvents.Failure::received).toList()),
                dead[1] < 0 ? -1 : (dead[1] - killedMicros) / 1000,
                dead[0] >= cluster.size - 1 ? (dead[2] - killedMicros) / 1000 : -1,
                (int) dead[0],
                cluster.size - 1,
                failures.size(),
                raw.size(),
                (int) raw.stream().map(E2eEvents.Raw::eventId).distinct().count(),
                failures.stream()
                        .mapToInt(E2eEvents.Failure::confirmations)
                        .max()
                        .orElse(-1),
                isolated);
        crash.print(OUT, cluster.size, run);
        if (mode.equals("kill")) {
            cluster.startVictim();
            mark("the victim's restart after run " + (run + 1) + " (N=" + cluster.size + ")", Instant.now());
        }
        return crash;
    }

    /** Members 0..count-1 of the hosts' JVM (the seeds first), each closed cleanly (LEFT) and started again. */
    static Roll rollingRestart(E2eCluster cluster, int count) throws Exception {
        if (!cluster.awaitAllAlive(E2eDetectionHarness.SETTLE_LIMIT)) {
            throw new IllegalStateException("the cluster did not converge before the rolling restart");
        }
        OUT.printf(
                "rolling restart of %d members, one after another: Sidecar.close() (LEFT), start again, wait until "
                        + "every member sees %d ALIVE%n",
                count, cluster.size);
        Instant from = Instant.now();
        long wall = System.nanoTime();
        long[] leave = new long[count];
        long[] leftPublished = new long[count];
        long[] rejoin = new long[count];
        for (int i = 0; i < count; i++) {
            int port = cluster.ports[i];
            String id = E2eCluster.id(port);
            Instant before = Instant.now();
            long[] t = E2eCluster.parse(cluster.host.ask("leave " + port, "LEFT ", E2eChild.ANSWER_LIMIT));
            leave[i] = (t[1] - t[0]) / 1000;
            cluster.events.await(
                    () -> !cluster.events
                            .statuses(s ->
                                    s.node().equals(id) && s.current() == NodeState.LEFT && !s.at().isBefore(before))
                            .isEmpty(),
                    Duration.ofSeconds(10));
            leftPublished[i] = min(
                    before,
                    cluster
                            .events
                            .statuses(s ->
                                    s.node().equals(id) && s.current() == NodeState.LEFT && !s.at().isBefore(before))
                            .stream()
                            .map(E2eEvents.Status::received)
                            .toList());
            long start = System.nanoTime();
            cluster.host.ask("start " + port, "STARTED ", E2eChild.ANSWER_LIMIT);
            rejoin[i] = cluster.awaitClusterAllAlive(REJOIN_LIMIT, 50) ? (System.nanoTime() - start) / 1_000_000 : -1;
            OUT.printf(
                    "  %s: close (LEFT announced, outbox flushed) %d ms, LEFT received %d ms after the close began; "
                            + "started again, every member saw %d ALIVE after %d ms%n",
                    id, leave[i], leftPublished[i], cluster.size, rejoin[i]);
        }
        Instant to = Instant.now();
        long wallMs = (System.nanoTime() - wall) / 1_000_000;
        Thread.sleep(DUPLICATE_WINDOW.toMillis());
        int failures = cluster.events.raw(r -> !r.detectedAt().isBefore(from)).size();
        List<E2eEvents.Status> all = cluster.events.statuses(s -> !s.at().isBefore(from) && !s.at().isAfter(to));
        Roll roll = new Roll(
                cluster.size,
                count,
                leave,
                leftPublished,
                rejoin,
                failures,
                (int) all.stream().filter(s -> s.current() == NodeState.LEFT).count(),
                (int) all.stream()
                        .filter(s -> s.reason() == ChangeReason.JOINED)
                        .count(),
                (int) all.stream().filter(s -> s.current() == NodeState.SUSPECT).count(),
                (int) all.stream().filter(s -> s.current() == NodeState.DEAD).count(),
                wallMs);
        print(OUT, roll);
        if (roll.failures() + roll.suspects() + roll.deads() > 0) {
            mark("the rolling restart's start (N=" + cluster.size + ")", from);
            printFalse(cluster, from, Instant.now());
        }
        return roll;
    }

    static Storm storm(int size, Path work) throws Exception {
        try (E2eCluster cluster = E2eCluster.start(size, work, true, true)) {
            OUT.printf(
                    "%n== cluster mode, join storm: %d members in one JVM started at once (16 threads), joining "
                            + "through %s ==%n",
                    size, Arrays.toString(cluster.seeds));
            Thread.sleep(2_000);
            Instant from = Instant.now();
            long[] t = E2eCluster.parse(cluster.host.ask("startall", "STARTED ", E2eChild.START_LIMIT));
            long first = t[0];
            long last = t[1];
            long deadline = System.nanoTime() + E2eDetectionHarness.SETTLE_LIMIT.toNanos();
            long converged = -1;
            while (System.nanoTime() < deadline) {
                long[] v = cluster.view();
                if (v[0] == size && v[1] == size) {
                    converged = E2eNodesMain.epochMicros();
                    break;
                }
                Thread.sleep(50);
            }
            Thread.sleep(DUPLICATE_WINDOW.toMillis());
            List<E2eEvents.Status> all = cluster.events.statuses(s -> !s.at().isBefore(from));
            Storm storm = new Storm(
                    size,
                    (last - first) / 1000,
                    converged < 0 ? -1 : (converged - first) / 1000,
                    converged < 0 ? -1 : (converged - last) / 1000,
                    (int) all.stream()
                            .filter(s -> s.reason() == ChangeReason.JOINED)
                            .count(),
                    cluster.events.raw(r -> true).size(),
                    (int) all.stream()
                            .filter(s -> s.current() == NodeState.SUSPECT)
                            .count(),
                    (int) all.stream()
                            .filter(s -> s.current() == NodeState.DEAD)
                            .count());
            print(OUT, storm);
            return storm;
        }
    }

    /** SUSPECT and DEAD published in [from, to] about members other than the victim, and FailureMessages about them. */
    static int[] falseChanges(E2eCluster cluster, Instant from, Instant to) {
        List<E2eEvents.Status> wrong = cluster.events.statuses(s -> !s.at().isBefore(from)
                && !s.at().isAfter(to)
                && !s.node().equals(cluster.victimId)
                && (s.current() == NodeState.SUSPECT || s.current() == NodeState.DEAD));
        List<E2eEvents.Raw> failures = cluster.events.raw(r -> !r.detectedAt().isBefore(from)
                && !r.detectedAt().isAfter(to)
                && !r.node().equals(cluster.victimId));
        return new int[] {
            (int) wrong.stream().filter(s -> s.current() == NodeState.SUSPECT).count(),
            (int) wrong.stream().filter(s -> s.current() == NodeState.DEAD).count(),
            failures.size(),
            (int) failures.stream()
                    .filter(r -> r.observer().equals(cluster.victimId))
                    .count()
        };
    }

    /** The kills and restores of the crash runs so far (epoch instants), to place false verdicts against. */
    static final List<String> MARKS = new ArrayList<>();

    static final List<Instant> MARK_TIMES = new ArrayList<>();

    static void mark(String what, Instant at) {
        MARKS.add(what);
        MARK_TIMES.add(at);
    }

    /** Each false SUSPECT, DEAD and FailureMessage (about a member that was up) in [from, to], against the latest mark. */
    static void printFalse(E2eCluster cluster, Instant from, Instant to) {
        List<E2eEvents.Status> wrong = cluster.events.statuses(s -> !s.at().isBefore(from)
                && !s.at().isAfter(to)
                && !s.node().equals(cluster.victimId)
                && (s.current() == NodeState.SUSPECT || s.current() == NodeState.DEAD));
        List<E2eEvents.Raw> failures = cluster.events.raw(r -> !r.detectedAt().isBefore(from)
                && !r.detectedAt().isAfter(to)
                && !r.node().equals(cluster.victimId));
        wrong.stream()
                .limit(30)
                .forEach(s -> OUT.printf(
                        "  false %s: %s about %s (reason %s), %s%n",
                        s.current(), s.observer(), s.node(), s.reason(), since(s.at())));
        failures.stream()
                .limit(30)
                .forEach(r -> OUT.printf(
                        "  false FailureMessage: %s about %s, declared by %s, %d " + "confirmation(s), %s%n",
                        r.observer(), r.node(), r.declaredBy(), r.confirmations(), since(r.detectedAt())));
        List<E2eEvents.Status> back = cluster.events.statuses(s -> !s.at().isBefore(from)
                && !s.at().isAfter(to)
                && !s.node().equals(cluster.victimId)
                && s.current() == NodeState.ALIVE
                && (s.previous() == NodeState.SUSPECT || s.previous() == NodeState.DEAD));
        back.stream()
                .limit(30)
                .forEach(s -> OUT.printf(
                        "  then %s -> ALIVE (%s): %s about %s, %s%n",
                        s.previous(), s.reason(), s.observer(), s.node(), since(s.at())));
    }

    private static String since(Instant at) {
        int latest = -1;
        for (int i = 0; i < MARK_TIMES.size(); i++) {
            if (!MARK_TIMES.get(i).isAfter(at)) {
                latest = i;
            }
        }
        return latest < 0 ? "at " + at : E2eReport.ms(MARK_TIMES.get(latest), at) + " ms after " + MARKS.get(latest);
    }

    static void print(PrintStream out, Roll r) {
        out.printf(
                Locale.ROOT,
                "rolling restart, N=%d, %d members, %.1f s: %d FailureMessage(s) (target 0), %d LEFT and %d "
                        + "JOINED published, %d SUSPECT, %d DEAD; close median %d / max %d ms; LEFT received median %d / "
                        + "max %d ms; all ALIVE again median %d / max %d ms%n",
                r.size(),
                r.members(),
                r.wallMs() / 1e3,
                r.failures(),
                r.leftEvents(),
                r.joinedEvents(),
                r.suspects(),
                r.deads(),
                median(r.leaveMs()),
                max(r.leaveMs()),
                median(r.leftPublishedMs()),
                max(r.leftPublishedMs()),
                median(r.rejoinMs()),
                max(r.rejoinMs()));
    }

    static void print(PrintStream out, Storm s) {
        out.printf(
                Locale.ROOT,
                "join storm, %d members started within %d ms: every member saw %d ALIVE %d ms after the "
                        + "first start (%d ms after the last)%s; %d JOINED published, %d FailureMessage(s), %d SUSPECT, "
                        + "%d DEAD%n",
                s.size(),
                s.startSpreadMs(),
                s.size(),
                s.convergedMs(),
                s.convergedAfterLastStartMs(),
                s.convergedMs() < 0 ? " -> NOT CONVERGED" : "",
                s.joinedEvents(),
                s.failures(),
                s.suspects(),
                s.deads());
    }

    private void printSize(PrintStream out, int size) {
        for (Map.Entry<String, List<Crash>> e : crashes.entrySet()) {
            if (!e.getKey().startsWith(size + " ")) {
                continue;
            }
            List<Crash> runs = e.getValue();
            out.printf(
                    Locale.ROOT,
                    "cluster N=%d, %s, %d runs, ms from the kill (median / p99):%n",
                    size,
                    e.getKey().endsWith("kill") ? "SIGKILL" : "silent drop",
                    runs.size());
            List<String> names = List.of(
                    "first probe missed",
                    "first SUSPECT (published)",
                    "DEAD (detectedAt)",
                    "in Kafka",
                    "FailureMessage received",
                    "first member's view DEAD",
                    "every member's view DEAD");
            List<ToLongFunction<Crash>> phases = List.of(
                    Crash::firstSent,
                    Crash::firstSuspect,
                    Crash::firstDead,
                    Crash::firstAppended,
                    Crash::firstReceived,
                    Crash::firstViewDead,
                    Crash::allViewsDead);
            for (int i = 0; i < names.size(); i++) {
                long[] values = runs.stream().mapToLong(phases.get(i)).sorted().toArray();
                long missing = Arrays.stream(values).filter(v -> v < 0).count();
                long[] seen = Arrays.stream(values).filter(v -> v >= 0).toArray();
                out.printf(
                        Locale.ROOT,
                        "  %-34s %6d / %6d%s%n",
                        names.get(i),
                        E2eReport.percentile(seen, 0.5),
                        E2eReport.percentile(seen, 0.99),
                        missing == 0 ? "" : "   (" + missing + " run(s) without it)");
            }
            out.printf(
                    Locale.ROOT,
                    "  FailureMessages per crash: %.2f raw (min %d, max %d), %.2f distinct event ids, "
                            + "%.2f delivered by the consumer library%n",
                    runs.stream().mapToInt(Crash::rawRecords).average().orElse(0),
                    runs.stream().mapToInt(Crash::rawRecords).min().orElse(0),
                    runs.stream().mapToInt(Crash::rawRecords).max().orElse(0),
                    runs.stream().mapToInt(Crash::distinctIds).average().orElse(0),
                    runs.stream().mapToInt(Crash::delivered).average().orElse(0));
        }
        int[] f = falseInRuns.get(size);
        if (f != null) {
            out.printf(
                    "cluster N=%d: over all crash runs, about members that were up: %d SUSPECT, %d DEAD published, "
                            + "%d FailureMessage(s) (%d of them by the silent victim itself)%n",
                    size, f[0], f[1], f[2], f[3]);
        }
    }

    void printSummary(PrintStream out) {
        out.println();
        out.println(
                "==== E2eDetectionHarness summary, cluster mode (defaults: DetectorConfig.defaults(), ClusterConfig.defaults()) ====");
        out.println("machine: " + E2eReport.machine() + "; load average now " + Machine.loadAverage());
        for (Map.Entry<Integer, Long> e : initialJoinMillis.entrySet()) {
            out.printf(
                    Locale.ROOT,
                    "initial join, N=%d (the founder, then the rest 16 at a time): every member saw %d ALIVE "
                            + "%.1f s after the last start%n",
                    e.getKey(),
                    e.getKey(),
                    e.getValue() / 1e3);
        }
        for (Map.Entry<String, List<Crash>> e : crashes.entrySet()) {
            String[] k = e.getKey().split(" ");
            List<Crash> runs = e.getValue();
            long[] received = runs.stream()
                    .mapToLong(Crash::firstReceived)
                    .filter(v -> v >= 0)
                    .sorted()
                    .toArray();
            long[] views = runs.stream()
                    .mapToLong(Crash::allViewsDead)
                    .filter(v -> v >= 0)
                    .sorted()
                    .toArray();
            long missed = runs.stream().filter(c -> c.firstReceived() < 0).count();
            double perCrash =
                    runs.stream().mapToInt(Crash::rawRecords).average().orElse(0);
            long p99 = E2eReport.percentile(received, 0.99);
            out.printf(
                    Locale.ROOT,
                    "crash -> FailureMessage received, cluster N=%s, %s, %d runs: median %d ms, p99 %d ms -> %s "
                            + "(p99 at most %d ms)%s; FailureMessages per crash %.2f -> %s (target 1.0); every member's view "
                            + "DEAD median %d, p99 %d ms%n",
                    k[0],
                    k[1].equals("kill") ? "SIGKILL" : "silent drop",
                    runs.size(),
                    E2eReport.percentile(received, 0.5),
                    p99,
                    missed == 0 && p99 >= 0 && p99 <= E2eReport.TARGET_P99_MS ? "met" : "MISSED",
                    E2eReport.TARGET_P99_MS,
                    missed == 0 ? "" : ", " + missed + " run(s) never received",
                    perCrash,
                    Math.abs(perCrash - 1.0) < 1e-9 ? "met" : "MISSED",
                    E2eReport.percentile(views, 0.5),
                    E2eReport.percentile(views, 0.99));
        }
        for (Map.Entry<Integer, int[]> e : falseInRuns.entrySet()) {
            int[] f = e.getValue();
            out.printf(
                    "false SUSPECT / DEAD / FailureMessages during the crash runs, cluster N=%d: %d / %d / %d (%d by the "
                            + "silent victim)%n",
                    e.getKey(), f[0], f[1], f[2], f[3]);
        }
        for (Steady s : steady.values()) {
            out.printf(
                    Locale.ROOT,
                    "CPU per member, cluster N=%d: %.3f %% of a core per member in the shared JVM%s (event loop "
                            + "median %.3f %%); %.2f %% for the member in its own JVM (event loop %.2f %%); %.2f datagrams/s "
                            + "out and %.2f in per member; heap %.2f MiB per member (shared), %.1f MiB (own JVM); load %s -> %s%n",
                    s.size(),
                    s.hostCpuPerMember(),
                    s.size() >= 200
                            ? (s.hostCpuPerMember() <= TARGET_CPU_PERCENT ? " -> met" : " -> MISSED")
                                    + " (at most 0.3 % at N=200)"
                            : "",
                    s.loopMedian(),
                    s.victimCpu(),
                    s.victimLoop(),
                    s.sentPerMember(),
                    s.receivedPerMember(),
                    s.hostHeapPerMember() / 1048576.0,
                    s.victimHeap() / 1048576.0,
                    s.loadBefore(),
                    s.loadAfter());
        }
        if (!blipResults.isEmpty()) {
            out.printf(
                    "blips (the victim silent %d ms, nobody crashed), %d of them: %d SUSPECT, %d DEAD, %d FailureMessage(s) "
                            + "published (%d about the victim) -> %s (target 0)%n",
                    blipMillis,
                    blipResults.size(),
                    blipResults.stream().mapToInt(c -> c[0]).sum(),
                    blipResults.stream().mapToInt(c -> c[1]).sum(),
                    blipResults.stream().mapToInt(c -> c[2]).sum(),
                    blipResults.stream().mapToInt(c -> c[3]).sum(),
                    blipResults.stream().mapToInt(c -> c[2]).sum() == 0 ? "met" : "MISSED");
        }
        for (Roll r : rolls) {
            out.printf(
                    "rolling restart, cluster N=%d, %d members: %d FailureMessage(s) -> %s (target 0), %d LEFT, %d JOINED, "
                            + "%d SUSPECT, %d DEAD published%n",
                    r.size(),
                    r.members(),
                    r.failures(),
                    r.failures() == 0 ? "met" : "MISSED",
                    r.leftEvents(),
                    r.joinedEvents(),
                    r.suspects(),
                    r.deads());
        }
        for (Storm s : storms) {
            out.printf(
                    "join storm, %d members at once: every member saw %d ALIVE after %d ms -> %s; %d FailureMessage(s), "
                            + "%d JOINED published%n",
                    s.size(),
                    s.size(),
                    s.convergedMs(),
                    s.convergedMs() >= 0 ? "converged" : "NOT CONVERGED",
                    s.failures(),
                    s.joinedEvents());
        }
    }

    private static long ms(Instant from, Instant to) {
        return to == null ? -1 : E2eReport.ms(from, to);
    }

    private static long min(Instant from, List<Instant> instants) {
        return instants.stream()
                .filter(java.util.Objects::nonNull)
                .min(Instant::compareTo)
                .map(i -> E2eReport.ms(from, i))
                .orElse(-1L);
    }

    private static long median(long[] values) {
        long[] sorted = Arrays.stream(values).filter(v -> v >= 0).sorted().toArray();
        return E2eReport.percentile(sorted, 0.5);
    }

    private static long max(long[] values) {
        return Arrays.stream(values).max().orElse(-1);
    }
}
