package io.pulse.bench;

import io.netty.channel.epoll.Epoll;
import io.pulse.core.DetectorConfig;
import io.pulse.core.NodeState;
import io.pulse.core.NodeStatus;
import io.pulse.core.PulseCore;
import io.pulse.transport.PulseEngine;
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
 */
public final class UdpLoadHarness {
    static final double TARGET_CPU_PERCENT = 25;
    static final long TARGET_HEAP_BYTES_PER_NODE = 1024;
    /** How long the responders' JVM may take to bind its sockets, and later to answer a question. */
    private static final Duration STARTUP_LIMIT = Duration.ofSeconds(120);
    private static final Duration ANSWER_LIMIT = Duration.ofSeconds(10);
    private static final PrintStream OUT = System.out;

    private UdpLoadHarness() {
    }

    /** The responders' JVM as the harness talks to it: {@code stats} in, {@code STATS ...} out. */
    private record Responders(BufferedReader out, PrintStream in) {
        Stats stats() throws Exception {
            in.println("stats");
            String line = readLine(out, ANSWER_LIMIT);
            if (line == null || !line.startsWith("STATS ")) {
                throw new IllegalStateException("responders answered " + line + " (expected: STATS ...)");
            }
            long[] fields = Arrays.stream(line.substring(6).split(" ")).mapToLong(Long::parseLong).toArray();
            return new Stats(fields[0], fields[1], fields[2]);
        }
    }

    private record Stats(long cpuNanos, long rejected, long pipelineErrors) {
    }

    /** What the nodes' statuses say, reduced to numbers so the statuses can be dropped before a heap reading. */
    private record Nodes(long probes, long lost, Map<NodeState, Integer> states, long srttP50Micros,
                         long srttP99Micros, long srttMaxMicros) {
        static Nodes of(List<NodeStatus> statuses) {
            Map<NodeState, Integer> states = new EnumMap<>(NodeState.class);
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
            return new Nodes(probes, lost, states, percentile(sorted, 0.5), percentile(sorted, 0.99),
                    sorted.length == 0 ? -1 : sorted[sorted.length - 1]);
        }
    }

    public static void main(String[] args) throws Exception {
        Map<String, String> options = Machine.options(args,
                List.of("targets", "responder-threads", "warmup-s", "measure-s"),
                "--targets N --responder-threads N --warmup-s N --measure-s N");
        int targets = Integer.parseInt(options.getOrDefault("targets", "10000"));
        int responderThreads = Integer.parseInt(options.getOrDefault("responder-threads", "1"));
        Duration warmup = Duration.ofSeconds(Long.parseLong(options.getOrDefault("warmup-s", "30")));
        Duration measure = Duration.ofSeconds(Long.parseLong(options.getOrDefault("measure-s", "60")));

        Process child = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx1g", "-cp", System.getProperty("java.class.path"), UdpRespondersMain.class.getName(),
                Integer.toString(targets), Integer.toString(responderThreads))
                .redirectError(ProcessBuilder.Redirect.INHERIT).start();
        Thread killChild = new Thread(child::destroyForcibly, "kill-responders");
        Runtime.getRuntime().addShutdownHook(killChild); // also on Ctrl-C or an exception
        try (BufferedReader childOut = new BufferedReader(new InputStreamReader(child.getInputStream(),
                StandardCharsets.US_ASCII));
             PrintStream childIn = new PrintStream(child.getOutputStream(), true, StandardCharsets.US_ASCII)) {
            long startNanos = System.nanoTime();
            String ready = readLine(childOut, STARTUP_LIMIT);
            if (ready == null || !ready.startsWith("READY ")) {
                throw new IllegalStateException("responders did not start: " + ready);
            }
            int[] ports = Arrays.stream(ready.substring(6).split(",")).mapToInt(Integer::parseInt).toArray();
            OUT.printf("%d responders up in another JVM (%d event loop thread(s)) in %d ms%n", ports.length,
                    responderThreads, TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - startNanos));
            run(ports, responderThreads, warmup, measure, new Responders(childOut, childIn));
        } finally {
            child.destroy();
            if (!child.waitFor(5, TimeUnit.SECONDS)) {
                child.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
            }
            Runtime.getRuntime().removeShutdownHook(killChild);
        }
    }

    private static void run(int[] ports, int responderThreads, Duration warmup, Duration measure,
                            Responders responders) throws Exception {
        var os = (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
        MemoryMXBean memory = ManagementFactory.getMemoryMXBean();
        String loadBefore = Machine.loadAverage();
        // A first engine, started and closed, loads what any engine loads once per JVM: classes, the
        // logging set-up, and the central directory of every jar on the class path (a logger or
        // service lookup opens them all; on the test class path, Kafka's broker, Scala and
        // Testcontainers among them). None of that is per target, so the baseline is taken after it.
        long coldHeap = heapAfterGc(memory);
        PulseEngine.builder().bind(new InetSocketAddress("127.0.0.1", 0)).start().close();
        long baselineHeap = heapAfterGc(memory);

        try (PulseEngine monitor = PulseEngine.builder().bind(new InetSocketAddress("127.0.0.1", 0))
                .config(DetectorConfig.defaults()).start()) {
            long engineHeap = heapAfterGc(memory) - baselineHeap;
            LongAdder changes = new LongAdder();
            LongAdder toSuspectOrDead = new LongAdder();
            monitor.onStatusChange(c -> {
                changes.increment();
                if (c.current() == NodeState.SUSPECT || c.current() == NodeState.DEAD) {
                    toSuspectOrDead.increment();
                }
            });
            long addStart = System.nanoTime();
            for (int port : ports) {
                monitor.addTarget("127.0.0.1:" + port); // a host string per target, as from a config file
            }
            OUT.printf("added %d UDP targets in %d ms; warming up %d s%n", ports.length,
                    TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - addStart), warmup.toSeconds());
            Thread.sleep(warmup.toMillis());

            Nodes nodesBefore = Nodes.of(monitor.statusAll());
            PulseCore.Counters countersBefore = monitor.counters();
            long changesBefore = changes.sum();
            long suspectBefore = toSuspectOrDead.sum();
            Stats respondersBefore = responders.stats();
            long cpuBefore = os.getProcessCpuTime();
            long wallBefore = System.nanoTime();
            Thread.sleep(measure.toMillis());
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
            OUT.printf("machine: %s, %d cores, %s %s, JDK %s, %s, monitor max heap %d MiB%n", Machine.cpuModel(),
                    Runtime.getRuntime().availableProcessors(), System.getProperty("os.name"),
                    System.getProperty("os.version"), System.getProperty("java.version"),
                    Epoll.isAvailable() ? "epoll" : "NIO", Runtime.getRuntime().maxMemory() >> 20);
            OUT.printf("load average (1, 5, 15 min): %s before, %s after%n", loadBefore, loadAfter);
            OUT.printf("load: %d UDP targets, 1 responder JVM (%d event loop thread(s)), DetectorConfig.defaults() "
                    + "(interval %d ms), measured %d s%n", targets, responderThreads,
                    DetectorConfig.DEFAULT_PROBE_INTERVAL.toMillis(), measure.toSeconds());
            OUT.printf("probes: %.0f direct PINGs/s (expected about %.0f/s), %d lost, %d late or unmatched ACKs, "
                    + "%d NACKs from relays%n", probes / seconds,
                    targets * 1000.0 / DetectorConfig.DEFAULT_PROBE_INTERVAL.toMillis(),
                    nodesAfter.lost() - nodesBefore.lost(),
                    countersAfter.unmatchedAcks() - countersBefore.unmatchedAcks(),
                    countersAfter.nacksReceived() - countersBefore.nacksReceived());
            OUT.printf("status changes in the window: %d (%d to SUSPECT or DEAD); states at the end: %s%n", changed,
                    suspected, nodesAfter.states());
            OUT.printf("rejected datagrams: monitor %d, responders %d; pipeline errors: monitor %d, responders %d%n",
                    monitor.rejects().total(), respondersAfter.rejected(), monitor.pipelineErrors(),
                    respondersAfter.pipelineErrors());
            OUT.printf("RTT (per-node SRTT across nodes): p50 %d us, p99 %d us, max %d us%n",
                    nodesAfter.srttP50Micros(), nodesAfter.srttP99Micros(), nodesAfter.srttMaxMicros());
            OUT.printf("monitor CPU: %.1f%% of one core (%.1f us CPU per PING) -> %s (at most %.0f%%)%n", cpuPercent,
                    cpu / 1e3 / Math.max(1, probes), cpuPercent <= TARGET_CPU_PERCENT ? "met" : "MISSED",
                    TARGET_CPU_PERCENT);
            OUT.printf("responders CPU (other JVM): %.1f%% of one core%n",
                    100.0 * (respondersAfter.cpuNanos() - respondersBefore.cpuNanos()) / wall);
            OUT.printf("monitor heap after GC, above baseline: %.2f MiB, %.0f bytes per target -> %s (at most %d); "
                    + "engine with no target %.2f MiB, so %.0f bytes per target above it%n", heap / 1048576.0,
                    heapPerNode, heapPerNode <= TARGET_HEAP_BYTES_PER_NODE ? "met" : "MISSED",
                    TARGET_HEAP_BYTES_PER_NODE, engineHeap / 1048576.0, (double) (heap - engineHeap) / targets);
            OUT.printf("not counted above: %.2f MiB loaded once per JVM by a first engine (classes, jar indexes, "
                    + "logging); counted, it would be %.0f bytes per target%n", (baselineHeap - coldHeap) / 1048576.0,
                    (double) (heap + baselineHeap - coldHeap) / targets);
            if (suspected > 0) {
                OUT.printf("NOT SUSTAINED: %d changes to SUSPECT or DEAD in the window while every responder was "
                        + "up: these are the figures of an overloaded monitor or responders%n", suspected);
            }
        }
    }

    /** A line from the child, or an exception after {@code limit}; a silent child cannot hang the harness. */
    private static String readLine(BufferedReader in, Duration limit) throws Exception {
        CompletableFuture<String> line = new CompletableFuture<>();
        Thread reader = new Thread(() -> {
            try {
                line.complete(in.readLine());
            } catch (IOException e) {
                line.completeExceptionally(e);
            }
        }, "responders-reader");
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
