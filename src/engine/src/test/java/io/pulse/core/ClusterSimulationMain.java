package io.pulse.core;

import io.pulse.testkit.Machine;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.stream.Collectors;

/**
 * Cluster mode at scale on the {@link SimulatedNetwork}: a benchmark that prints figures, not a
 * test. Everything runs on the simulated clock in one thread, so the same arguments give the same
 * figures on any machine, however busy; only the wall-clock time printed last changes.
 *
 * <p>Each run prints one line of {@code key=value} figures on standard output (progress and the
 * machine go to standard error). Times ending in {@code _ms} or {@code _s} are simulated. What each
 * scenario does is in {@link ClusterScenarios}.
 *
 * <pre>{@code
 * mvn -B -o -q -pl src/engine -am test-compile dependency:build-classpath \
 *     -Dmdep.outputFile=target/test.cp -Dmdep.includeScope=test
 * java -Xmx4g -cp src/engine/target/test-classes:src/engine/target/classes:$(cat src/engine/target/test.cp) \
 *     io.pulse.core.ClusterSimulationMain --scenario crash --members 1000 --seed 1
 * }</pre>
 */
public final class ClusterSimulationMain {
    static final List<String> SCENARIOS =
            List.of("crash", "publisher-crash", "partition", "loss", "joins", "stall", "rolling-restart");
    private static final List<String> KEYS = List.of(
            "scenario",
            "members",
            "seed",
            "percent",
            "loss",
            "minutes",
            "stall-ms",
            "stalls",
            "restarts",
            "join-spread-ms",
            "profile",
            "rtt-ms",
            "jitter-ms");
    private static final String USAGE = "--scenario " + String.join("|", SCENARIOS)
            + " --members N --seed S [--percent P (partition, 10)] [--loss RATE (loss, 0.1)]"
            + " [--minutes M (loss, 60)] [--stall-ms MS (stall, 2500)] [--stalls K (stall, 10)]"
            + " [--restarts K (rolling-restart, 10)] [--join-spread-ms MS (joins, 1000)]"
            + " [--profile lan|fast|wan|local (lan)] [--rtt-ms MS --jitter-ms MS (one-way delay 1-5 ms)]";

    /** The arguments of one run. */
    record Options(
            String scenario,
            int members,
            long seed,
            int percent,
            double loss,
            long minutes,
            long stallMillis,
            int stalls,
            int restarts,
            long joinSpreadMillis,
            Profile profile,
            long rttMillis,
            long jitterMillis) {

        static Options parse(String[] args) {
            Map<String, String> o = Machine.options(args, KEYS, USAGE);
            Options options = new Options(
                    o.getOrDefault("scenario", "crash"),
                    Integer.parseInt(o.getOrDefault("members", "200")),
                    Long.parseLong(o.getOrDefault("seed", "1")),
                    Integer.parseInt(o.getOrDefault("percent", "10")),
                    Double.parseDouble(o.getOrDefault("loss", "0.1")),
                    Long.parseLong(o.getOrDefault("minutes", "60")),
                    Long.parseLong(o.getOrDefault("stall-ms", "2500")),
                    Integer.parseInt(o.getOrDefault("stalls", "10")),
                    Integer.parseInt(o.getOrDefault("restarts", "10")),
                    Long.parseLong(o.getOrDefault("join-spread-ms", "1000")),
                    Profile.valueOf(o.getOrDefault("profile", "lan").toUpperCase(java.util.Locale.ROOT)),
                    Long.parseLong(o.getOrDefault("rtt-ms", "0")),
                    Long.parseLong(o.getOrDefault("jitter-ms", "0")));
            if (!SCENARIOS.contains(options.scenario)) {
                throw new IllegalArgumentException(
                        "--scenario must be one of " + SCENARIOS + ", got " + options.scenario);
            }
            if (options.members < 5) {
                throw new IllegalArgumentException("--members must be at least 5, got " + options.members);
            }
            if (options.percent < 1 || options.percent > 50) {
                throw new IllegalArgumentException("--percent must be in 1..50, got " + options.percent);
            }
            if (options.loss < 0 || options.loss >= 1) {
                throw new IllegalArgumentException("--loss must be in [0, 1), got " + options.loss);
            }
            if (options.restarts < 1 || options.restarts > options.members / 2) {
                throw new IllegalArgumentException("--restarts must be in 1..members/2, got " + options.restarts);
            }
            if (options.rttMillis < 0 || options.jitterMillis < 0 || options.jitterMillis > options.rttMillis) {
                throw new IllegalArgumentException("--jitter-ms must be in 0..--rtt-ms, got " + options.jitterMillis
                        + " and " + options.rttMillis);
            }
            return options;
        }
    }

    private ClusterSimulationMain() {}

    public static void main(String[] args) {
        Options options = Options.parse(args);
        System.err.printf(
                "machine: %s, %d cores, JDK %s, max heap %d MiB, load %s%n",
                Machine.cpuModel(),
                Runtime.getRuntime().availableProcessors(),
                System.getProperty("java.version"),
                Runtime.getRuntime().maxMemory() >> 20,
                Machine.loadAverage());
        long wallStart = System.nanoTime();
        Map<String, Object> figures = new LinkedHashMap<>();
        figures.put("scenario", options.scenario);
        figures.put("members", options.members);
        figures.put("seed", options.seed);
        figures.put("profile", options.profile.name().toLowerCase(Locale.ROOT));
        new ClusterScenarios(options, figures).run();
        figures.put("wall_s", String.format(Locale.ROOT, "%.1f", (System.nanoTime() - wallStart) / 1e9));
        System.out.println(figures.entrySet().stream()
                .map(e -> e.getKey() + "=" + e.getValue())
                .collect(Collectors.joining(" ")));
    }

    /** Used heap after a full GC, in bytes. */
    static long heapAfterGc() {
        long used = Long.MAX_VALUE;
        for (int i = 0; i < 3; i++) {
            System.gc();
            Runtime rt = Runtime.getRuntime();
            used = Math.min(used, rt.totalMemory() - rt.freeMemory());
        }
        return used;
    }

    /** {@code k} distinct indexes out of {@code n}, drawn from {@code random}. */
    static List<Integer> pick(SplittableRandom random, int n, int k) {
        List<Integer> all = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            all.add(i);
        }
        Collections.shuffle(all, new java.util.Random(random.nextLong()));
        return new ArrayList<>(all.subList(0, k));
    }
}
