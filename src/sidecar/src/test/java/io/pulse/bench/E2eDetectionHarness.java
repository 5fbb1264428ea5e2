package io.pulse.bench;

import io.pulse.core.DetectorConfig;
import io.pulse.events.NodeState;
import io.pulse.sidecar.Logging;
import io.pulse.testkit.Machine;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;

/**
 * End-to-end detection benchmark (issue 7): a real Kafka broker, N Pulse nodes on 127.0.0.1
 * watching each other with the default configuration, one node killed abruptly (SIGKILL of its
 * JVM, or all its datagrams dropped silently), and the time from the kill until a consumer built
 * on the consumer library has the FailureMessage, phase by phase. Then a loss soak: no node
 * killed, a share of datagrams dropped at random, false SUSPECT and DEAD counted. Also each node's
 * CPU and heap in the steady state. It prints the figures with the machine and stops by itself.
 *
 * <pre>{@code
 * mvn -Pbench test-compile exec:exec -Dbench.main=io.pulse.bench.E2eDetectionHarness \
 *     -Dbench.args="--nodes 5,20,50 --runs 10 --loss 0.1,0.2 --soak-s 600 --soak-nodes 20"
 * }</pre>
 *
 * Flags: {@code --nodes} (cluster sizes, comma list; none: no crash runs), {@code --runs} (kills
 * per mode and size), {@code --modes} ({@code kill,drop}), {@code --warmup-s} and
 * {@code --measure-s} (steady state before the CPU and heap window, and its length),
 * {@code --loss} (soak loss ratios, comma list; none: no soak), {@code --soak-s}, {@code --soak-nodes}.
 * See {@link E2eCluster} for the JVM layout and {@link E2eReport} for what each figure means.
 *
 * <p>{@code --mode cluster} (default {@code static}) runs the same layout in cluster mode instead,
 * see {@link E2eClusterMode}: per N of {@code --nodes} (default 5,20,50,200) the initial join, the
 * steady state, {@code --runs} crashes per kind of {@code --modes}, and a rolling restart of
 * {@code --roll} members (default 10; 0 skips it); then a join storm of each size in {@code --join}
 * (default 50; none skips it); {@code --blips K --blip-ms T}: K times, the victim silent for T ms
 * (no crash), counting what is published about anyone. The loss soaks are not run in cluster mode.
 * Repeated kills of the same victim need a short {@code cluster.hold.down} (environment variable
 * {@code PULSE_E2E_HOLD_DOWN=1s}, see {@link E2eNodesMain#HOLD_DOWN_ENV}): within the default 10 minutes
 * the second failure is FLAPPING, with no FailureMessage.
 */
public final class E2eDetectionHarness {
    static final PrintStream OUT = System.out;
    /** How long a kill may take to reach the consumer before the run is counted as missed. */
    static final Duration DETECTION_LIMIT = Duration.ofSeconds(30);
    /** How long a cluster may take to see every node ALIVE, at start and after a victim comes back. */
    static final Duration SETTLE_LIMIT = Duration.ofSeconds(120);

    static final Duration SETTLE_PAUSE = Duration.ofSeconds(2);

    private E2eDetectionHarness() {}

    public static void main(String[] args) throws Exception {
        Logging.configure("text", "warn");
        Map<String, String> options = Machine.options(
                args,
                List.of(
                        "nodes",
                        "runs",
                        "modes",
                        "warmup-s",
                        "measure-s",
                        "loss",
                        "soak-s",
                        "soak-nodes",
                        "mode",
                        "roll",
                        "join",
                        "blips",
                        "blip-ms"),
                "--nodes 5,20,50 --runs 10 --modes kill,drop --warmup-s 20 --measure-s 30 --loss 0.1,0.2 --soak-s 600 --soak-nodes 20"
                        + " | --mode cluster --nodes 5,20,50,200 --runs 5 --modes kill,drop --roll 10 --join 50 --blips 0 --blip-ms 1500");
        int runs = Integer.parseInt(options.getOrDefault("runs", "10"));
        List<String> modes = List.of(options.getOrDefault("modes", "kill,drop").split(","));
        Duration warmup = Duration.ofSeconds(Long.parseLong(options.getOrDefault("warmup-s", "20")));
        Duration measure = Duration.ofSeconds(Long.parseLong(options.getOrDefault("measure-s", "30")));
        Duration soak = Duration.ofSeconds(Long.parseLong(options.getOrDefault("soak-s", "600")));
        int soakNodes = Integer.parseInt(options.getOrDefault("soak-nodes", "20"));
        Path work = Files.createTempDirectory("pulse-e2e-");
        E2eReport report = new E2eReport();
        OUT.println("E2eDetectionHarness: " + E2eReport.machine() + "; load average " + Machine.loadAverage());
        OUT.println("detector: DetectorConfig.defaults() = " + describe(DetectorConfig.defaults()) + "; work directory "
                + work);
        String layout = options.getOrDefault("mode", "static");
        if (layout.equals("cluster")) {
            OUT.println("cluster mode: ClusterConfig.defaults() = " + io.pulse.core.ClusterConfig.defaults());
            try {
                E2eClusterMode.run(
                        options,
                        work,
                        list(options.getOrDefault("nodes", "5,20,50,200")),
                        runs,
                        modes,
                        warmup,
                        measure);
            } finally {
                delete(work);
            }
            System.exit(0);
        } else if (!layout.equals("static")) {
            throw new IllegalArgumentException("--mode must be static or cluster, got " + layout);
        }
        try {
            for (String n : list(options.getOrDefault("nodes", "5,20,50"))) {
                int size = Integer.parseInt(n);
                try (E2eCluster cluster = E2eCluster.start(size, work.resolve("n" + size))) {
                    OUT.printf(
                            "%n== N = %d: broker, %d nodes in one JVM, the victim %s in its own ==%n",
                            size, size - 1, cluster.victimId);
                    settle(cluster);
                    report.steady(size, steadyState(cluster, warmup, measure));
                    for (int run = 0; run < runs; run++) {
                        for (String mode : modes) {
                            report.crash(size, mode, crashRun(cluster, mode, run));
                        }
                    }
                    report.falseDuringCrashRuns(size, falseChanges(cluster, cluster.settledAt, Instant.now()));
                }
                report.printCrash(OUT, size);
            }
            for (String loss : list(options.getOrDefault("loss", "0.1,0.2"))) {
                report.soak(lossSoak(soakNodes, Double.parseDouble(loss), soak, work.resolve("loss-" + loss)));
            }
        } finally {
            report.printSummary(OUT);
            delete(work);
        }
        System.exit(0); // Kafka's client threads are not all daemons
    }

    static void settle(E2eCluster cluster) throws InterruptedException {
        long start = System.nanoTime();
        if (!cluster.awaitAllAlive(SETTLE_LIMIT)) {
            throw new IllegalStateException("the cluster did not settle (every node ALIVE to every other) within "
                    + SETTLE_LIMIT.toSeconds() + " s");
        }
        cluster.settledAt = Instant.now();
        OUT.printf(
                "all %d x %d pairs ALIVE after %.1f s%n",
                cluster.size, cluster.size - 1, (System.nanoTime() - start) / 1e9);
    }

    /** CPU and heap of the nodes over {@code measure}, after {@code warmup} of steady state. */
    static E2eReport.Steady steadyState(E2eCluster cluster, Duration warmup, Duration measure) throws Exception {
        Thread.sleep(warmup.toMillis());
        String loadBefore = Machine.loadAverage();
        Instant from = Instant.now();
        E2eReport.Stats hostBefore = E2eReport.Stats.parse(cluster.host.ask("stats", "STATS ", E2eChild.ANSWER_LIMIT));
        E2eReport.Stats victimBefore =
                E2eReport.Stats.parse(cluster.victim.ask("stats", "STATS ", E2eChild.ANSWER_LIMIT));
        long wallBefore = System.nanoTime();
        Thread.sleep(measure.toMillis());
        E2eReport.Stats hostAfter = E2eReport.Stats.parse(cluster.host.ask("stats", "STATS ", E2eChild.ANSWER_LIMIT));
        E2eReport.Stats victimAfter =
                E2eReport.Stats.parse(cluster.victim.ask("stats", "STATS ", E2eChild.ANSWER_LIMIT));
        long wall = System.nanoTime() - wallBefore;
        E2eReport.Stats hostHeap = E2eReport.Stats.parse(cluster.host.ask("stats gc", "STATS ", E2eChild.ANSWER_LIMIT));
        E2eReport.Stats victimHeap =
                E2eReport.Stats.parse(cluster.victim.ask("stats gc", "STATS ", E2eChild.ANSWER_LIMIT));
        E2eReport.Steady steady = E2eReport.Steady.of(
                cluster.size,
                wall,
                hostBefore,
                hostAfter,
                hostHeap,
                victimBefore,
                victimAfter,
                victimHeap,
                loadBefore,
                Machine.loadAverage(),
                falseChanges(cluster, from, Instant.now()));
        steady.print(OUT);
        return steady;
    }

    /** One kill of the victim, measured from the kill to the consumer's receipt of every observer's FailureMessage. */
    static E2eReport.Crash crashRun(E2eCluster cluster, String mode, int run) throws Exception {
        if (!cluster.awaitAllAlive(SETTLE_LIMIT)) {
            throw new IllegalStateException("the cluster did not settle again before run " + run);
        }
        // A random phase against the probe schedules, as a real crash has.
        Thread.sleep(SETTLE_PAUSE.toMillis() + ThreadLocalRandom.current().nextLong(1000));
        String victim = cluster.victimId;
        int observers = cluster.size - 1;
        Instant killed = killVictim(cluster, mode);
        boolean all = cluster.events.await(
                () -> cluster.events
                                .failures(f -> f.node().equals(victim)
                                        && !f.observer().equals(victim)
                                        && f.received().isAfter(killed))
                                .size()
                        >= observers,
                DETECTION_LIMIT);
        List<E2eEvents.Failure> failures = cluster.events.failures(f -> f.node().equals(victim)
                && !f.observer().equals(victim)
                && f.received().isAfter(killed));
        cluster.events.await(
                () -> failures.stream().allMatch(f -> cluster.events.appendedAt(f.eventId()) != null),
                Duration.ofSeconds(5));
        List<E2eEvents.Status> suspects = cluster.events.statuses(s -> s.node().equals(victim)
                && !s.observer().equals(victim)
                && s.current() == NodeState.SUSPECT
                && !s.at().isBefore(killed));
        E2eReport.Crash crash = E2eReport.Crash.of(
                mode,
                killed,
                cluster.firstSentToVictim(killed),
                suspects,
                failures,
                cluster.events::appendedAt,
                observers,
                all);
        crash.print(OUT, cluster.size, run);

        if (mode.equals("kill")) {
            cluster.startVictim();
        } else {
            cluster.victim.ask("restore " + cluster.victimPort, "OK", E2eChild.ANSWER_LIMIT);
        }
        return crash;
    }

    /** A cluster of {@code size} with no node killed and {@code loss} of all datagrams dropped, for {@code length}. */
    static E2eReport.Soak lossSoak(int size, double loss, Duration length, Path work) throws Exception {
        try (E2eCluster cluster = E2eCluster.start(size, work)) {
            OUT.printf(
                    Locale.ROOT,
                    "%n== loss soak: N = %d, %.0f %% of datagrams dropped at random, %d s ==%n",
                    size,
                    loss * 100,
                    length.toSeconds());
            settle(cluster);
            Thread.sleep(SETTLE_PAUSE.toMillis());
            String loadBefore = Machine.loadAverage();
            E2eReport.Stats hostBefore =
                    E2eReport.Stats.parse(cluster.host.ask("stats", "STATS ", E2eChild.ANSWER_LIMIT));
            E2eReport.Stats victimBefore =
                    E2eReport.Stats.parse(cluster.victim.ask("stats", "STATS ", E2eChild.ANSWER_LIMIT));
            cluster.tellAll("loss " + loss);
            Instant from = Instant.now();
            long wallBefore = System.nanoTime();
            long end = wallBefore + length.toNanos();
            while (System.nanoTime() < end) {
                Thread.sleep(Math.min(60_000, Math.max(1, (end - System.nanoTime()) / 1_000_000)));
                int[] counts = falseChanges(cluster, from, Instant.now(), true);
                OUT.printf(
                        Locale.ROOT,
                        "  %3.0f s: %d false SUSPECT, %d false DEAD so far%n",
                        (System.nanoTime() - wallBefore) / 1e9,
                        counts[0],
                        counts[1]);
            }
            cluster.tellAll("loss 0");
            Instant to = Instant.now();
            long wall = System.nanoTime() - wallBefore;
            E2eReport.Stats hostAfter =
                    E2eReport.Stats.parse(cluster.host.ask("stats", "STATS ", E2eChild.ANSWER_LIMIT));
            E2eReport.Stats victimAfter =
                    E2eReport.Stats.parse(cluster.victim.ask("stats", "STATS ", E2eChild.ANSWER_LIMIT));
            Thread.sleep(2_000); // events decided just before the end reach the consumer
            E2eReport.Soak soak = new E2eReport.Soak(
                    size,
                    loss,
                    wall,
                    falseChanges(cluster, from, to, true),
                    hostBefore,
                    hostAfter,
                    victimBefore,
                    victimAfter,
                    loadBefore,
                    Machine.loadAverage());
            soak.print(OUT);
            cluster
                    .events
                    .statuses(s -> s.current() == NodeState.DEAD && !s.at().isBefore(from) && !s.at().isAfter(to))
                    .stream()
                    .limit(20)
                    .forEach(s ->
                            OUT.printf("  false DEAD: %s declared %s DEAD at %s%n", s.observer(), s.node(), s.at()));
            return soak;
        }
    }

    /**
     * Changes to SUSPECT and to DEAD decided in {@code [from, to]} about a node that was up, by an
     * observer that could hear: neither the victim's node (expected) nor the victim's own view while
     * it was silent (it hears nobody, so it rightly suspects everyone) counts.
     */
    static int[] falseChanges(E2eCluster cluster, Instant from, Instant to) {
        return falseChanges(cluster, from, to, false);
    }

    /** {@link #falseChanges(E2eCluster, Instant, Instant)}, counting the victim's node and view too when nobody is killed. */
    static int[] falseChanges(E2eCluster cluster, Instant from, Instant to, boolean nobodyKilled) {
        List<E2eEvents.Status> wrong = cluster.events.statuses(s -> !s.at().isBefore(from)
                && !s.at().isAfter(to)
                && (nobodyKilled
                        || !s.node().equals(cluster.victimId) && !s.observer().equals(cluster.victimId))
                && (s.current() == NodeState.SUSPECT || s.current() == NodeState.DEAD));
        int suspects = (int)
                wrong.stream().filter(s -> s.current() == NodeState.SUSPECT).count();
        int deads =
                (int) wrong.stream().filter(s -> s.current() == NodeState.DEAD).count();
        return new int[] {suspects, deads};
    }

    static String describe(DetectorConfig c) {
        return String.format(
                Locale.ROOT,
                "probe interval %d ms, probe timeout %d..%d ms, %d retries, k = %d, "
                        + "suspicion timeout %d ms, jitter %.0f %%",
                c.probeInterval().toMillis(),
                c.probeTimeoutMin().toMillis(),
                c.probeTimeoutMax().toMillis(),
                c.maxRetries(),
                c.indirectProbes(),
                c.suspicionTimeout().toMillis(),
                c.jitterRatio() * 100);
    }

    /** The nodes' outboxes and logs; a directory left behind on a failure to delete is harmless. */
    private static void delete(Path dir) {
        try (java.util.stream.Stream<Path> paths = Files.walk(dir)) {
            paths.sorted(java.util.Comparator.reverseOrder())
                    .forEach(p -> p.toFile().delete());
        } catch (java.io.IOException e) {
            OUT.println("could not delete " + dir + ": " + e.getMessage());
        }
    }

    static List<String> list(String value) {
        return value.isBlank() || value.equals("none") ? List.of() : Arrays.asList(value.split(","));
    }

    /** SIGKILLs the victim's JVM ({@code kill}) or silences it ({@code drop}); returns when, on its clock. */
    static Instant killVictim(E2eCluster cluster, String mode) throws Exception {
        switch (mode) {
            case "kill" -> {
                Instant killed = Instant.now();
                cluster.victim.kill();
                return killed;
            }
            case "drop" -> {
                return E2eNodesMain.fromMicros(Long.parseLong(
                        cluster.victim.ask("silent " + cluster.victimPort, "SILENT ", E2eChild.ANSWER_LIMIT)));
            }
            default -> throw new IllegalArgumentException("mode must be kill or drop, got " + mode);
        }
    }
}
