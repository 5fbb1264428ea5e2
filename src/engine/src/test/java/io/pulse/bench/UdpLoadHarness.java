package io.pulse.bench;

import io.netty.channel.epoll.Epoll;
import io.pulse.core.DetectorConfig;
import io.pulse.core.Liveness;
import io.pulse.core.NodeStatus;
import io.pulse.core.PulseCore;
import io.pulse.testkit.Machine;
import io.pulse.transport.PulseEngine;
import io.pulse.transport.PulseEngineBuilder;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.LongAdder;

/**
 * Load harness: one monitor engine ({@link DetectorConfig#defaults()}) probing {@code --targets}
 * UDP targets at 1 probe/s each, answered by {@link UdpRespondersMain} in a second JVM on
 * 127.0.0.1; after a warm-up it measures the monitor's CPU (process CPU time over wall time, in %
 * of one core), its heap (used after GC, minus the baseline after a first engine was started and
 * closed, so that what any engine loads once per JVM is not counted per target) and the
 * RTT, and prints them with the machine. It stops by itself and kills the responders' JVM.
 *
 * <pre>{@code
 * mvn -Pbench test-compile exec:exec -Dbench.main=io.pulse.bench.UdpLoadHarness \
 *     -Dbench.args="--targets 10000 --warmup-s 30 --measure-s 60 --responder-threads 1"
 * }</pre>
 *
 * <p>RTT is each node's SRTT (RFC 6298 smoothed RTT, 1/8 weight per sample), the engine's only
 * RTT figure, read at the end of the window; p50 and p99 are across nodes, so they are percentiles
 * of per-node averages, which hide single slow probes. Issue 2's targets: at most 25 % of one core
 * and at most 1 KiB of heap per target.
 *
 * <p>{@code --stall-ms N} stops the responders' JVM for N ms halfway through the warm-up (SIGSTOP,
 * then SIGCONT), as a long GC pause would, to see whether the monitor comes back to its steady
 * state; {@code --local-health-max 1} turns local health off for comparison.
 *
 * <p>{@code --auth on} gives the monitor and every responder one keyring: every datagram is
 * signed and checked, for the cost of authentication against the same run with {@code --auth off}.
 *
 * <p>{@code --responders-classpath PATH} runs the responders from another build: when two builds
 * of the monitor are compared, run by run, the responders' CPU is then the same work in both, a
 * yardstick for how much CPU this noisy machine gave that minute.
 */
public final class UdpLoadHarness {
    static final double TARGET_CPU_PERCENT = 25;
    static final long TARGET_HEAP_BYTES_PER_NODE = 1024;
    /** How long the responders' JVM may take to bind its sockets, and later to answer a question. */
    private static final Duration STARTUP_LIMIT = Duration.ofSeconds(120);

    private static final Duration ANSWER_LIMIT = Duration.ofSeconds(10);
    private static final PrintStream OUT = System.out;
    private static final int HEALTH_SAMPLE_MILLIS = 250;

    private UdpLoadHarness() {}

    /** The responders' JVM as the harness talks to it: {@code stats} in, {@code STATS ...} out. */
    private record Responders(BufferedReader out, PrintStream in) {
        Stats stats() throws Exception {
            in.println("stats");
            String line = readLine(out, ANSWER_LIMIT);
            if (line == null || !line.startsWith("STATS ")) {
                throw new IllegalStateException("responders answered " + line + " (expected: STATS ...)");
            }
            long[] fields = Arrays.stream(line.substring(6).split(" "))
                    .mapToLong(Long::parseLong)
                    .toArray();
            return new Stats(fields[0], fields[1], fields[2]);
        }
    }

    private record Stats(long cpuNanos, long rejected, long pipelineErrors) {}

    /** What the nodes' statuses say, reduced to numbers so the statuses can be dropped before a heap reading. */
    private record Nodes(
            long probes,
            long lost,
            Map<Liveness, Integer> states,
            long srttP50Micros,
            long srttP99Micros,
            long srttMaxMicros) {
        static Nodes of(List<NodeStatus> statuses) {
            Map<Liveness, Integer> states = new EnumMap<>(Liveness.class);
            long probes = 0;
            long lost = 0;
            long[] srtt = new long[statuses.size()];
            int withSrtt = 0;
            for (NodeStatus s : statuses) {
                probes += s.totalProbes();
                lost += s.lostProbes();
                states.merge(s.state(), 1, Integer::sum);
                if (s.srtt() != null) {
                    srtt[withSrtt++] = TimeUnit.NANOSECONDS.toMicros(s.srtt().toNanos());
                }
            }
            long[] sorted = Arrays.copyOf(srtt, withSrtt);
            Arrays.sort(sorted);
            return new Nodes(
                    probes,
                    lost,
                    states,
                    percentile(sorted, 0.5),
                    percentile(sorted, 0.99),
                    sorted.length == 0 ? -1 : sorted[sorted.length - 1]);
        }
    }

    public static void main(String[] args) throws Exception {
        Map<String, String> options = Machine.options(
                args,
                List.of(
                        "targets",
                        "responder-threads",
                        "warmup-s",
                        "measure-s",
                        "stall-ms",
                        "local-health-max",
                        "responders-classpath",
                        "auth"),
                "--targets N --responder-threads N --warmup-s N --measure-s N --stall-ms N --local-health-max N"
                        + " --responders-classpath PATH --auth on|off");
        boolean auth = options.getOrDefault("auth", "off").equals("on");
        int targets = Integer.parseInt(options.getOrDefault("targets", "10000"));
        int responderThreads = Integer.parseInt(options.getOrDefault("responder-threads", "1"));
        Duration warmup = Duration.ofSeconds(Long.parseLong(options.getOrDefault("warmup-s", "30")));
        Duration measure = Duration.ofSeconds(Long.parseLong(options.getOrDefault("measure-s", "60")));
        Duration stall = Duration.ofMillis(Long.parseLong(options.getOrDefault("stall-ms", "0")));
        if (stall.isNegative() || stall.toMillis() > warmup.toMillis() / 2) {
            throw new IllegalArgumentException("--stall-ms must be in 0.." + warmup.toMillis() / 2
                    + " (half the warm-up, which it falls in the second half of), got " + stall.toMillis());
        }
        DetectorConfig config = DetectorConfig.defaults().toBuilder()
                .localHealthMaxMultiplier(Integer.parseInt(options.getOrDefault(
                        "local-health-max", "" + DetectorConfig.DEFAULT_LOCAL_HEALTH_MAX_MULTIPLIER)))
                .build();

        Process child = new ProcessBuilder(
                        Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                        "-Xmx1g",
                        "-cp",
                        options.getOrDefault("responders-classpath", System.getProperty("java.class.path")),
                        UdpRespondersMain.class.getName(),
                        Integer.toString(targets),
                        Integer.toString(responderThreads),
                        auth ? "auth" : "plain")
                .redirectError(ProcessBuilder.Redirect.INHERIT)
                .start();
        Thread killChild = new Thread(child::destroyForcibly, "kill-responders");
        Runtime.getRuntime().addShutdownHook(killChild); // also on Ctrl-C or an exception
        try (BufferedReader childOut =
                        new BufferedReader(new InputStreamReader(child.getInputStream(), StandardCharsets.US_ASCII));
                PrintStream childIn = new PrintStream(child.getOutputStream(), true, StandardCharsets.US_ASCII)) {
            long startNanos = System.nanoTime();
            String ready = readLine(childOut, STARTUP_LIMIT);
            if (ready == null || !ready.startsWith("READY ")) {
                throw new IllegalStateException("responders did not start: " + ready);
            }
            int[] ports = Arrays.stream(ready.substring(6).split(","))
                    .mapToInt(Integer::parseInt)
                    .toArray();
            OUT.printf(
                    "%d responders up in another JVM (%d event loop thread(s)) in %d ms%n",
                    ports.length, responderThreads, TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - startNanos));
            run(
                    ports,
                    new Plan(responderThreads, warmup, measure, stall, config, auth),
                    child,
                    new Responders(childOut, childIn));
        } finally {
            child.destroy();
            if (!child.waitFor(5, TimeUnit.SECONDS)) {
                child.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
            }
            Runtime.getRuntime().removeShutdownHook(killChild);
        }
    }

    /** What a run does: the monitor's config, and a stall of the responders' JVM halfway through the warm-up. */
    private record Plan(
            int responderThreads,
            Duration warmup,
            Duration measure,
            Duration stall,
            DetectorConfig config,
            boolean auth) {}

    private static void run(int[] ports, Plan plan, Process child, Responders responders) throws Exception {
        int responderThreads = plan.responderThreads();
        Duration warmup = plan.warmup();
        Duration measure = plan.measure();
        var os = (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
        MemoryMXBean memory = ManagementFactory.getMemoryMXBean();
        String loadBefore = Machine.loadAverage();
        // A first engine, started and closed, loads what any engine loads once per JVM: classes, the
        // logging set-up, and the central directory of every jar on the class path (a logger or
        // service lookup opens them all; on the test class path, Kafka's broker, Scala and
        // Testcontainers among them). None of that is per target, so the baseline is taken after it.
        long coldHeap = heapAfterGc(memory);
        PulseEngine.builder()
                .bind(new InetSocketAddress("127.0.0.1", 0))
                .start()
                .close();
        long baselineHeap = heapAfterGc(memory);

        PulseEngineBuilder builder = PulseEngine.builder()
                .bind(new InetSocketAddress("127.0.0.1", 0))
                .config(plan.config());
        if (plan.auth()) {
            builder.keyring(UdpRespondersMain.BENCH_KEYRING, io.pulse.protocol.DatagramAuth.Mode.REQUIRED);
        }
        OUT.println("authentication " + (plan.auth() ? "on (HMAC-SHA-256, required)" : "off"));
        try (PulseEngine monitor = builder.start()) {
            long engineHeap = heapAfterGc(memory) - baselineHeap;
            LongAdder changes = new LongAdder();
            LongAdder toSuspectOrDead = new LongAdder();
            monitor.onStatusChange(c -> {
                changes.increment();
                if (c.current() == Liveness.SUSPECT || c.current() == Liveness.DEAD) {
                    toSuspectOrDead.increment();
                }
            });
            long addStart = System.nanoTime();
            for (int port : ports) {
                monitor.addTarget("127.0.0.1:" + port); // a host string per target, as from a config file
            }
            OUT.printf(
                    "added %d UDP targets in %d ms; warming up %d s%n",
                    ports.length, TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - addStart), warmup.toSeconds());
            if (plan.stall().isZero()) {
                Thread.sleep(warmup.toMillis());
            } else {
                Thread.sleep(warmup.toMillis() / 2);
                stall(child, plan.stall());
                Thread.sleep(
                        warmup.toMillis() - warmup.toMillis() / 2 - plan.stall().toMillis());
            }

            Nodes nodesBefore = Nodes.of(monitor.statusAll());
            PulseCore.Counters countersBefore = monitor.counters();
            long changesBefore = changes.sum();
            long suspectBefore = toSuspectOrDead.sum();
            Stats respondersBefore = responders.stats();
            long cpuBefore = os.getProcessCpuTime();
            long wallBefore = System.nanoTime();
            int[] health = sampleLocalHealth(monitor, measure); // max, samples above 1, samples
            long cpu = os.getProcessCpuTime() - cpuBefore;
            long wall = System.nanoTime() - wallBefore;
            Stats respondersAfter = responders.stats();
            Nodes nodesAfter = Nodes.of(monitor.statusAll());
            PulseCore.Counters countersAfter = monitor.counters();
            long changed = changes.sum() - changesBefore;
            long suspected = toSuspectOrDead.sum() - suspectBefore;
            String loadAfter = Machine.loadAverage();
            long heap = heapAfterGc(memory) - baselineHeap;

            int targets = ports.length;
            double seconds = wall / 1e9;
            long probes = nodesAfter.probes() - nodesBefore.probes();
            double cpuPercent = 100.0 * cpu / wall;
            double heapPerNode = (double) heap / targets;
            OUT.println("---- UdpLoadHarness ----");
            OUT.printf(
                    "machine: %s, %d cores, %s %s, JDK %s, %s, monitor max heap %d MiB%n",
                    Machine.cpuModel(),
                    Runtime.getRuntime().availableProcessors(),
                    System.getProperty("os.name"),
                    System.getProperty("os.version"),
                    System.getProperty("java.version"),
                    Epoll.isAvailable() ? "epoll" : "NIO",
                    Runtime.getRuntime().maxMemory() >> 20);
            OUT.printf("load average (1, 5, 15 min): %s before, %s after%n", loadBefore, loadAfter);
            OUT.printf(
                    "load: %d UDP targets, 1 responder JVM (%d event loop thread(s)), DetectorConfig.defaults() "
                            + "(interval %d ms, local health max multiplier %d), measured %d s%s%n",
                    targets,
                    responderThreads,
                    plan.config().probeInterval().toMillis(),
                    plan.config().localHealthMaxMultiplier(),
                    measure.toSeconds(),
                    plan.stall().isZero()
                            ? ""
                            : String.format(
                                    ", after a %d ms stall of the responders %d s before",
                                    plan.stall().toMillis(), (warmup.toMillis() - warmup.toMillis() / 2) / 1000));
            OUT.printf(
                    "probes: %.0f direct PINGs/s (expected about %.0f/s), %d lost, %d late or unmatched ACKs, "
                            + "%d NACKs from relays%n",
                    probes / seconds,
                    targets * 1000.0 / DetectorConfig.DEFAULT_PROBE_INTERVAL.toMillis(),
                    nodesAfter.lost() - nodesBefore.lost(),
                    countersAfter.unmatchedAcks() - countersBefore.unmatchedAcks(),
                    countersAfter.nacksReceived() - countersBefore.nacksReceived());
            OUT.printf(
                    "status changes in the window: %d (%d to SUSPECT or DEAD); states at the end: %s%n",
                    changed, suspected, nodesAfter.states());
            OUT.printf(
                    "local health multiplier (sampled every %d ms): max %d, above 1 in %d of %d samples, %d at the end%n",
                    HEALTH_SAMPLE_MILLIS, health[0], health[1], health[2], monitor.localHealthMultiplier());
            OUT.printf(
                    "rejected datagrams: monitor %d, responders %d; pipeline errors: monitor %d, responders %d%n",
                    monitor.rejects().total(),
                    respondersAfter.rejected(),
                    monitor.pipelineErrors(),
                    respondersAfter.pipelineErrors());
            OUT.printf(
                    "RTT (per-node SRTT across nodes): p50 %d us, p99 %d us, max %d us%n",
                    nodesAfter.srttP50Micros(), nodesAfter.srttP99Micros(), nodesAfter.srttMaxMicros());
            OUT.printf(
                    "monitor CPU: %.1f%% of one core (%.1f us CPU per PING) -> %s (at most %.0f%%)%n",
                    cpuPercent,
                    cpu / 1e3 / Math.max(1, probes),
                    cpuPercent <= TARGET_CPU_PERCENT ? "met" : "MISSED",
                    TARGET_CPU_PERCENT);
            OUT.printf(
                    "responders CPU (other JVM): %.1f%% of one core%n",
                    100.0 * (respondersAfter.cpuNanos() - respondersBefore.cpuNanos()) / wall);
            OUT.printf(
                    "monitor heap after GC, above baseline: %.2f MiB, %.0f bytes per target -> %s (at most %d); "
                            + "engine with no target %.2f MiB, so %.0f bytes per target above it%n",
                    heap / 1048576.0,
                    heapPerNode,
                    heapPerNode <= TARGET_HEAP_BYTES_PER_NODE ? "met" : "MISSED",
                    TARGET_HEAP_BYTES_PER_NODE,
                    engineHeap / 1048576.0,
                    (double) (heap - engineHeap) / targets);
            OUT.printf(
                    "not counted above: %.2f MiB loaded once per JVM by a first engine (classes, jar indexes, "
                            + "logging); counted, it would be %.0f bytes per target%n",
                    (baselineHeap - coldHeap) / 1048576.0, (double) (heap + baselineHeap - coldHeap) / targets);
            if (suspected > 0) {
                OUT.printf(
                        "NOT SUSTAINED: %d changes to SUSPECT or DEAD in the window while every responder was "
                                + "up: these are the figures of an overloaded monitor or responders%n",
                        suspected);
            }
        }
    }

    /**
     * Stops the responders' JVM (SIGSTOP) for {@code stall} and lets it go on (SIGCONT), as a long
     * GC pause or a descheduled process would: the PINGs of that time queue up in its sockets.
     */
    private static void stall(Process child, Duration stall) throws Exception {
        OUT.printf("stalling the responders' JVM for %d ms%n", stall.toMillis());
        signal(child, "STOP");
        try {
            Thread.sleep(stall.toMillis());
        } finally {
            signal(child, "CONT");
        }
    }

    private static void signal(Process child, String signal) throws Exception {
        Process kill = new ProcessBuilder("kill", "-" + signal, Long.toString(child.pid()))
                .inheritIO()
                .start();
        if (!kill.waitFor(5, TimeUnit.SECONDS) || kill.exitValue() != 0) {
            throw new IllegalStateException("kill -" + signal + " " + child.pid() + " failed");
        }
    }

    /**
     * Sleeps through {@code window}, reading the monitor's local health multiplier every
     * {@link #HEALTH_SAMPLE_MILLIS}: above 1, it stretched probe intervals and timeouts, which
     * lowers the PING rate; returns the highest, how many samples were above 1, and how many in all.
     */
    private static int[] sampleLocalHealth(PulseEngine monitor, Duration window) throws InterruptedException {
        long end = System.nanoTime() + window.toNanos();
        int max = 0;
        int above = 0;
        int samples = 0;
        long left;
        while ((left = end - System.nanoTime()) > 0) {
            Thread.sleep(Math.min(HEALTH_SAMPLE_MILLIS, TimeUnit.NANOSECONDS.toMillis(left) + 1));
            int m = monitor.localHealthMultiplier();
            max = Math.max(max, m);
            above += m > 1 ? 1 : 0;
            samples++;
        }
        return new int[] {max, above, samples};
    }

    /** A line from the child, or an exception after {@code limit}; a silent child cannot hang the harness. */
    private static String readLine(BufferedReader in, Duration limit) throws Exception {
        CompletableFuture<String> line = new CompletableFuture<>();
        Thread reader = new Thread(
                () -> {
                    try {
                        line.complete(in.readLine());
                    } catch (IOException e) {
                        line.completeExceptionally(e);
                    }
                },
                "responders-reader");
        reader.setDaemon(true);
        reader.start();
        try {
            return line.get(limit.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            throw new IllegalStateException("responders did not answer within " + limit.toSeconds() + " s", e);
        }
    }

    private static long heapAfterGc(MemoryMXBean memory) throws InterruptedException {
        for (int i = 0; i < 3; i++) {
            System.gc();
            Thread.sleep(200);
        }
        return memory.getHeapMemoryUsage().getUsed();
    }

    private static long percentile(long[] sorted, double p) {
        return sorted.length == 0 ? -1 : sorted[(int) Math.min(sorted.length - 1, Math.floor(p * sorted.length))];
    }
}
