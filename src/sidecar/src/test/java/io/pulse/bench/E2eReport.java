package io.pulse.bench;

import io.pulse.testkit.Machine;
import java.io.PrintStream;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;
import java.util.function.Function;
import java.util.function.ToLongFunction;

/**
 * The figures of {@link E2eDetectionHarness}, and how they are printed. Every time is in ms from
 * the kill (the harness's clock just before SIGKILL; for a silent drop, the victim's clock just
 * before its filter starts dropping; one machine, one wall clock). Phases, each the earliest over
 * the N-1 observers:
 * <ul>
 * <li>first probe missed: the first datagram any observer sent to the victim after the kill (a PING
 * nearly always), from the observers' send log;</li>
 * <li>SUSPECT and DEAD: the {@code at} of the first ALIVE->SUSPECT StatusChange and the
 * {@code detectedAt} of the first FailureMessage, as decided in the observer (millisecond precision);</li>
 * <li>Kafka: the broker's LogAppendTime of the first FailureMessage, read by a plain consumer (the
 * broker acknowledges an acks=all write to a single-replica topic right after appending it);</li>
 * <li>received: when the consumer library's {@code onFailure} handler ran with the first
 * FailureMessage, and with the last of the N-1 (every observer's).</li>
 * </ul>
 * Percentiles are nearest-rank: with 10 runs, p99 is the slowest run.
 */
final class E2eReport {
    static final long TARGET_P99_MS = 3_000;
    static final double TARGET_CPU_PERCENT = 1.0;
    static final int TARGET_CPU_NODES = 20;
    /** Crash to removal of the Java SWIM implementation issue 7 compares with, on this machine. */
    static final Map<Integer, Double> SWIM_SECONDS = Map.of(5, 16.6, 20, 26.2, 50, 31.6);

    private final Map<String, List<Crash>> crashes = new LinkedHashMap<>();
    private final Map<Integer, Steady> steady = new LinkedHashMap<>();
    private final Map<Integer, int[]> falseInCrashRuns = new LinkedHashMap<>();
    private final List<Soak> soaks = new ArrayList<>();

    /** A child's STATS line: process CPU, heap used, datagrams passed and dropped, each node's event loop CPU. */
    record Stats(long cpuNanos, long heapBytes, long passed, long dropped, long[] loopCpuNanos, long received) {
        static Stats parse(String line) {
            String[] f = line.split(" ");
            long[] loops = f.length > 4
                    ? Arrays.stream(f[4].split(",")).mapToLong(Long::parseLong).toArray()
                    : new long[0];
            return new Stats(
                    Long.parseLong(f[0]),
                    Long.parseLong(f[1]),
                    Long.parseLong(f[2]),
                    Long.parseLong(f[3]),
                    loops,
                    f.length > 5 ? Long.parseLong(f[5]) : 0);
        }
    }

    /** One kill. Times in ms from the kill; -1 when the phase was not seen. */
    record Crash(
            String mode,
            long firstSent,
            long firstSuspect,
            long firstDead,
            long firstAppended,
            long firstReceived,
            long lastReceived,
            long observersHeard,
            long observers,
            long[] deadPerObserver,
            String slowest) {
        static Crash of(
                String mode,
                Instant killed,
                Instant firstSent,
                List<E2eEvents.Status> suspects,
                List<E2eEvents.Failure> failures,
                Function<UUID, Instant> appendedAt,
                int observers,
                boolean all) {
            long firstSuspect = min(suspects.stream().map(E2eEvents.Status::at).toList(), killed);
            long firstDead =
                    min(failures.stream().map(E2eEvents.Failure::detectedAt).toList(), killed);
            long firstAppended = min(
                    failures.stream()
                            .map(f -> appendedAt.apply(f.eventId()))
                            .filter(Objects::nonNull)
                            .toList(),
                    killed);
            long firstReceived =
                    min(failures.stream().map(E2eEvents.Failure::received).toList(), killed);
            long lastReceived = all
                    ? failures.stream()
                            .mapToLong(f -> ms(killed, f.received()))
                            .max()
                            .orElse(-1)
                    : -1;
            long[] dead = failures.stream()
                    .mapToLong(f -> ms(killed, f.detectedAt()))
                    .sorted()
                    .toArray();
            String slowest = failures.stream()
                    .max(Comparator.comparing(E2eEvents.Failure::detectedAt))
                    .map(f -> {
                        long suspect = min(
                                suspects.stream()
                                        .filter(s -> s.observer().equals(f.observer()))
                                        .map(E2eEvents.Status::at)
                                        .toList(),
                                killed);
                        return String.format(
                                Locale.ROOT,
                                "slowest observer SUSPECT %d, DEAD %d, its SRTT %.1f ms",
                                suspect,
                                ms(killed, f.detectedAt()),
                                f.srttMicros() == null ? Double.NaN : f.srttMicros() / 1000.0);
                    })
                    .orElse("");
            return new Crash(
                    mode,
                    firstSent == null ? -1 : ms(killed, firstSent),
                    firstSuspect,
                    firstDead,
                    firstAppended,
                    firstReceived,
                    lastReceived,
                    failures.stream()
                            .map(E2eEvents.Failure::observer)
                            .distinct()
                            .count(),
                    observers,
                    dead,
                    slowest);
        }

        void print(PrintStream out, int size, int run) {
            out.printf(
                    Locale.ROOT,
                    "N=%d %s run %d: first probe missed %d, SUSPECT %d, DEAD %d, Kafka %d, received %d, "
                            + "all %d received %d ms after the kill (%d of %d observers); %s%n",
                    size,
                    mode,
                    run + 1,
                    firstSent,
                    firstSuspect,
                    firstDead,
                    firstAppended,
                    firstReceived,
                    observers,
                    lastReceived,
                    observersHeard,
                    observers,
                    slowest);
        }
    }

    /** CPU and heap over the steady-state window. */
    record Steady(
            int size,
            long wallNanos,
            double hostCpuPerNode,
            double loopCpuMedian,
            double loopCpuMax,
            double victimCpu,
            double victimLoopCpu,
            long hostHeapPerNode,
            long victimHeap,
            String loadBefore,
            String loadAfter,
            int[] falseChanges) {
        static Steady of(
                int size,
                long wall,
                Stats hostBefore,
                Stats hostAfter,
                Stats hostHeap,
                Stats victimBefore,
                Stats victimAfter,
                Stats victimHeap,
                String loadBefore,
                String loadAfter,
                int[] falseChanges) {
            double[] loops = new double[hostAfter.loopCpuNanos().length];
            for (int i = 0; i < loops.length; i++) {
                loops[i] = percent(hostAfter.loopCpuNanos()[i] - hostBefore.loopCpuNanos()[i], wall);
            }
            Arrays.sort(loops);
            return new Steady(
                    size,
                    wall,
                    percent(hostAfter.cpuNanos() - hostBefore.cpuNanos(), wall) / (size - 1),
                    loops[loops.length / 2],
                    loops[loops.length - 1],
                    percent(victimAfter.cpuNanos() - victimBefore.cpuNanos(), wall),
                    percent(victimAfter.loopCpuNanos()[0] - victimBefore.loopCpuNanos()[0], wall),
                    hostHeap.heapBytes() / (size - 1),
                    victimHeap.heapBytes(),
                    loadBefore,
                    loadAfter,
                    falseChanges);
        }

        void print(PrintStream out) {
            out.printf(
                    Locale.ROOT,
                    "steady state, N=%d, %.0f s (load %s -> %s): one node in its own JVM %.2f %% of a core "
                            + "(its event loop %.2f %%), heap after GC %.1f MiB; the %d-node JVM %.2f %% of a core per node "
                            + "(event loops: median %.2f %%, max %.2f %%), heap after GC %.1f MiB per node; "
                            + "%d false SUSPECT, %d false DEAD%n",
                    size,
                    wallNanos / 1e9,
                    loadBefore,
                    loadAfter,
                    victimCpu,
                    victimLoopCpu,
                    victimHeap / 1048576.0,
                    size - 1,
                    hostCpuPerNode,
                    loopCpuMedian,
                    loopCpuMax,
                    hostHeapPerNode / 1048576.0,
                    falseChanges[0],
                    falseChanges[1]);
        }
    }

    /** A loss soak: false SUSPECT and DEAD over its length. */
    record Soak(
            int size,
            double loss,
            long wallNanos,
            int[] falseChanges,
            Stats hostBefore,
            Stats hostAfter,
            Stats victimBefore,
            Stats victimAfter,
            String loadBefore,
            String loadAfter) {
        double droppedShare() {
            long passed = hostAfter.passed() - hostBefore.passed() + victimAfter.passed() - victimBefore.passed();
            long dropped = hostAfter.dropped() - hostBefore.dropped() + victimAfter.dropped() - victimBefore.dropped();
            return (double) dropped / Math.max(1, passed + dropped);
        }

        double victimCpu() {
            return percent(victimAfter.cpuNanos() - victimBefore.cpuNanos(), wallNanos);
        }

        void print(PrintStream out) {
            out.printf(
                    Locale.ROOT,
                    "loss soak N=%d, %.0f %% loss asked, %.2f %% of outbound datagrams dropped, %.0f s "
                            + "(load %s -> %s): %d false SUSPECT, %d false DEAD; one node's JVM %.2f %% of a core%n",
                    size,
                    loss * 100,
                    droppedShare() * 100,
                    wallNanos / 1e9,
                    loadBefore,
                    loadAfter,
                    falseChanges[0],
                    falseChanges[1],
                    victimCpu());
        }
    }

    void crash(int size, String mode, Crash crash) {
        crashes.computeIfAbsent(size + " " + mode, k -> new ArrayList<>()).add(crash);
    }

    void steady(int size, Steady figures) {
        steady.put(size, figures);
    }

    void falseDuringCrashRuns(int size, int[] counts) {
        falseInCrashRuns.put(size, counts);
    }

    void soak(Soak soak) {
        soaks.add(soak);
    }

    void printCrash(PrintStream out, int size) {
        for (Map.Entry<String, List<Crash>> entry : crashes.entrySet()) {
            if (entry.getKey().startsWith(size + " ")) {
                printPhases(out, entry.getKey(), entry.getValue());
            }
        }
        int[] counts = falseInCrashRuns.get(size);
        if (counts != null) {
            out.printf(
                    "N=%d: %d false SUSPECT and %d false DEAD (about nodes that were up) over all its runs%n",
                    size, counts[0], counts[1]);
        }
    }

    private static void printPhases(PrintStream out, String key, List<Crash> runs) {
        String[] k = key.split(" ");
        out.printf(
                Locale.ROOT,
                "N=%s, %s, %d runs, ms from the kill (median / p99):%n",
                k[0],
                k[1].equals("kill") ? "SIGKILL" : "silent drop",
                runs.size());
        List<String> names = List.of(
                "first probe missed",
                "first SUSPECT",
                "first DEAD",
                "first in Kafka",
                "first FailureMessage received",
                "all N-1 FailureMessages received");
        List<ToLongFunction<Crash>> phases = List.of(
                Crash::firstSent,
                Crash::firstSuspect,
                Crash::firstDead,
                Crash::firstAppended,
                Crash::firstReceived,
                Crash::lastReceived);
        for (int i = 0; i < names.size(); i++) {
            long[] values = runs.stream().mapToLong(phases.get(i)).sorted().toArray();
            long missing = Arrays.stream(values).filter(v -> v < 0).count();
            long[] seen = Arrays.stream(values).filter(v -> v >= 0).toArray();
            out.printf(
                    Locale.ROOT,
                    "  %-34s %6d / %6d%s%n",
                    names.get(i),
                    percentile(seen, 0.5),
                    percentile(seen, 0.99),
                    missing == 0 ? "" : "   (" + missing + " run(s) without it)");
        }
        long[] perObserver = runs.stream()
                .flatMapToLong(c -> Arrays.stream(c.deadPerObserver()))
                .sorted()
                .toArray();
        out.printf(
                Locale.ROOT,
                "  %-34s %6d / %6d   (%d declarations)%n",
                "DEAD, each observer",
                percentile(perObserver, 0.5),
                percentile(perObserver, 0.99),
                perObserver.length);
    }

    void printSummary(PrintStream out) {
        out.println();
        out.println("==== E2eDetectionHarness summary ====");
        out.println("machine: " + machine() + "; load average now " + Machine.loadAverage());
        for (Map.Entry<String, List<Crash>> entry : crashes.entrySet()) {
            String[] k = entry.getKey().split(" ");
            int size = Integer.parseInt(k[0]);
            long[] first = entry.getValue().stream()
                    .mapToLong(Crash::firstReceived)
                    .filter(v -> v >= 0)
                    .sorted()
                    .toArray();
            long[] last = entry.getValue().stream()
                    .mapToLong(Crash::lastReceived)
                    .filter(v -> v >= 0)
                    .sorted()
                    .toArray();
            long missed =
                    entry.getValue().stream().filter(c -> c.firstReceived() < 0).count();
            long p99 = percentile(first, 0.99);
            double swim = SWIM_SECONDS.getOrDefault(size, Double.NaN) * 1000;
            out.printf(
                    Locale.ROOT,
                    "crash -> FailureMessage received, N=%d, %s, %d runs: median %d ms, p99 %d ms -> %s "
                            + "(p99 at most %d ms)%s; every observer's: median %d, p99 %d ms; SWIM %.1f s is %.1fx the median%n",
                    size,
                    k[1].equals("kill") ? "SIGKILL" : "silent drop",
                    entry.getValue().size(),
                    percentile(first, 0.5),
                    p99,
                    missed == 0 && p99 >= 0 && p99 <= TARGET_P99_MS ? "met" : "MISSED",
                    TARGET_P99_MS,
                    missed == 0 ? "" : ", " + missed + " run(s) never received",
                    percentile(last, 0.5),
                    percentile(last, 0.99),
                    swim / 1000,
                    swim / Math.max(1, percentile(first, 0.5)));
        }
        for (Map.Entry<Integer, int[]> entry : falseInCrashRuns.entrySet()) {
            out.printf(
                    "false SUSPECT / DEAD during the crash runs, N=%d: %d / %d%n",
                    entry.getKey(), entry.getValue()[0], entry.getValue()[1]);
        }
        for (Steady s : steady.values()) {
            String verdict = s.size() == TARGET_CPU_NODES
                    ? (s.victimCpu() <= TARGET_CPU_PERCENT ? " -> met" : " -> MISSED") + " (at most 1 % at N=20)"
                    : "";
            out.printf(
                    Locale.ROOT,
                    "CPU per node, N=%d: %.2f %% of a core in its own JVM%s; %.2f %% per node in the shared "
                            + "JVM (event loop median %.2f %%); heap %.1f MiB (own JVM), %.1f MiB per node (shared)%n",
                    s.size(),
                    s.victimCpu(),
                    verdict,
                    s.hostCpuPerNode(),
                    s.loopCpuMedian(),
                    s.victimHeap() / 1048576.0,
                    s.hostHeapPerNode() / 1048576.0);
        }
        for (Soak s : soaks) {
            String verdict = Math.abs(s.loss() - 0.1) < 1e-9
                    ? (s.falseChanges()[1] == 0
                                            && s.wallNanos()
                                                    >= Duration.ofMinutes(10).toNanos()
                                    ? " -> met"
                                    : " -> MISSED")
                            + " (zero false DEAD at 10 % over 10 minutes)"
                    : "";
            out.printf(
                    Locale.ROOT,
                    "loss %.0f %%, N=%d, %.0f s: %d false DEAD%s, %d false SUSPECT%n",
                    s.loss() * 100,
                    s.size(),
                    s.wallNanos() / 1e9,
                    s.falseChanges()[1],
                    verdict,
                    s.falseChanges()[0]);
        }
    }

    static long ms(Instant from, Instant to) {
        return Duration.between(from, to).toMillis();
    }

    private static long min(List<Instant> instants, Instant from) {
        return instants.stream()
                .min(Comparator.naturalOrder())
                .map(i -> ms(from, i))
                .orElse(-1L);
    }

    static double percent(long cpuNanos, long wallNanos) {
        return 100.0 * cpuNanos / wallNanos;
    }

    /** Nearest rank; -1 for no value. */
    static long percentile(long[] sorted, double p) {
        if (sorted.length == 0) {
            return -1;
        }
        int rank = (int) Math.ceil(p * sorted.length);
        return sorted[Math.max(0, Math.min(sorted.length - 1, rank - 1))];
    }

    static String machine() {
        return String.format(
                Locale.ROOT,
                "%s, %d cores (nproc), %s %s, JDK %s",
                Machine.cpuModel(),
                Runtime.getRuntime().availableProcessors(),
                System.getProperty("os.name"),
                System.getProperty("os.version"),
                System.getProperty("java.version"));
    }
}
