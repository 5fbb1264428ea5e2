package io.pulse.bench;

import io.pulse.core.DetectorConfig;
import io.pulse.core.Liveness;
import io.pulse.core.NodeId;
import io.pulse.core.NodeStatus;
import io.pulse.core.TargetOptions;
import io.pulse.testkit.Machine;
import io.pulse.transport.PulseEngine;
import io.pulse.transport.probe.HttpProbeSpec;
import io.pulse.transport.probe.ProbeCounters;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

/**
 * Load harness: one monitor engine probing {@code --targets} HTTP targets at 1 probe/s each,
 * served by {@link HealthServerMain} in a second JVM on 127.0.0.1; after a warm-up it measures the
 * monitor's CPU (process CPU time over wall time, in % of one core) and heap (used after GC, minus
 * the baseline before the engine started), and prints them with the machine.
 *
 * <pre>{@code
 * mvn -Pbench test-compile exec:exec -Dbench.main=io.pulse.bench.HttpLoadHarness \
 *     -Dbench.args="--targets 2000 --ports 2000 --warmup-s 30 --measure-s 60"
 * }</pre>
 *
 * {@code --ports 1}: every target on one server port with its own path and node id, so targets
 * share kept-alive connections; {@code --ports N}: targets spread over N ports (with N = targets,
 * one connection per target, as with as many distinct services).
 */
public final class HttpLoadHarness {
    private static final PrintStream OUT = System.out;

    private HttpLoadHarness() {}

    public static void main(String[] args) throws Exception {
        Map<String, String> options = Machine.options(
                args,
                List.of("targets", "ports", "interval-ms", "warmup-s", "measure-s"),
                "--targets N --ports N --interval-ms N --warmup-s N --measure-s N");
        int targets = Integer.parseInt(options.getOrDefault("targets", "2000"));
        int ports = Integer.parseInt(options.getOrDefault("ports", "1"));
        Duration interval = Duration.ofMillis(Long.parseLong(options.getOrDefault("interval-ms", "1000")));
        Duration warmup = Duration.ofSeconds(Long.parseLong(options.getOrDefault("warmup-s", "30")));
        Duration measure = Duration.ofSeconds(Long.parseLong(options.getOrDefault("measure-s", "60")));

        Process server = new ProcessBuilder(
                        Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                        "-Xmx512m",
                        "-cp",
                        System.getProperty("java.class.path"),
                        HealthServerMain.class.getName(),
                        Integer.toString(ports))
                .redirectError(ProcessBuilder.Redirect.INHERIT)
                .start();
        try (BufferedReader serverOut =
                        new BufferedReader(new InputStreamReader(server.getInputStream(), StandardCharsets.US_ASCII));
                PrintStream serverIn = new PrintStream(server.getOutputStream(), true, StandardCharsets.US_ASCII)) {
            String ready = serverOut.readLine();
            if (ready == null || !ready.startsWith("READY ")) {
                throw new IllegalStateException("health server did not start: " + ready);
            }
            int[] serverPorts = Arrays.stream(ready.substring(6).split(","))
                    .mapToInt(Integer::parseInt)
                    .toArray();
            run(targets, serverPorts, interval, warmup, measure, serverOut, serverIn);
        } finally {
            server.destroy();
            server.waitFor(5, TimeUnit.SECONDS);
        }
    }

    private static void run(
            int targets,
            int[] ports,
            Duration interval,
            Duration warmup,
            Duration measure,
            BufferedReader serverOut,
            PrintStream serverIn)
            throws Exception {
        var os = (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
        MemoryMXBean memory = ManagementFactory.getMemoryMXBean();
        long baselineHeap = heapAfterGc(memory);

        DetectorConfig config = DetectorConfig.builder().probeInterval(interval).build();
        try (PulseEngine monitor = PulseEngine.builder()
                .bind(new InetSocketAddress("127.0.0.1", 0))
                .config(config)
                .responding(false)
                .start()) {
            long addStart = System.nanoTime();
            for (int i = 0; i < targets; i++) {
                int port = ports[i % ports.length];
                HttpProbeSpec spec = HttpProbeSpec.of("http://127.0.0.1:" + port + "/health?target=" + i);
                NodeId id = ports.length >= targets ? spec.defaultNodeId() : NodeId.of("target-" + i, port);
                monitor.addHttpTarget(id, spec, TargetOptions.defaults());
            }
            OUT.printf(
                    "added %d HTTP targets on %d server port(s) in %d ms; warming up %d s%n",
                    targets,
                    ports.length,
                    TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - addStart),
                    warmup.toSeconds());
            Thread.sleep(warmup.toMillis());

            ProbeCounters before = monitor.probeCounters();
            long serverCpuBefore = serverCpu(serverOut, serverIn);
            long cpuBefore = os.getProcessCpuTime();
            long wallBefore = System.nanoTime();
            Thread.sleep(measure.toMillis());
            long cpu = os.getProcessCpuTime() - cpuBefore;
            long wall = System.nanoTime() - wallBefore;
            long serverCpuUsed = serverCpu(serverOut, serverIn) - serverCpuBefore;
            ProbeCounters after = monitor.probeCounters();
            List<NodeStatus> statuses = monitor.statusAll();
            long heap = heapAfterGc(memory) - baselineHeap;

            report(targets, ports.length, interval, measure, cpu, wall, serverCpuUsed, heap, before, after, statuses);
        }
    }

    private static void report(
            int targets,
            int ports,
            Duration interval,
            Duration measure,
            long cpuNanos,
            long wallNanos,
            long serverCpuNanos,
            long heapBytes,
            ProbeCounters before,
            ProbeCounters after,
            List<NodeStatus> statuses)
            throws Exception {
        double seconds = wallNanos / 1e9;
        long probes = after.httpProbes() - before.httpProbes();
        Map<Liveness, Long> states = statuses.stream()
                .collect(Collectors.groupingBy(
                        NodeStatus::state, () -> new java.util.EnumMap<>(Liveness.class), Collectors.counting()));
        List<Long> srttMicros = statuses.stream()
                .filter(s -> s.srtt() != null)
                .map(s -> s.srtt().toNanos() / 1000)
                .sorted()
                .collect(Collectors.toList());
        OUT.println("---- HttpLoadHarness ----");
        OUT.printf(
                "machine: %s, %d cores, %s %s, JDK %s, monitor max heap %d MiB%n",
                Machine.cpuModel(),
                Runtime.getRuntime().availableProcessors(),
                System.getProperty("os.name"),
                System.getProperty("os.version"),
                System.getProperty("java.version"),
                Runtime.getRuntime().maxMemory() >> 20);
        OUT.printf(
                "load: %d HTTP targets, %d server port(s), interval %d ms, measured %d s%n",
                targets, ports, interval.toMillis(), measure.toSeconds());
        OUT.printf(
                "probes: %.0f/s (expected %.0f/s), succeeded %d, failed %d, timeouts %d, invalid bodies %d%n",
                probes / seconds,
                targets * 1000.0 / interval.toMillis(),
                after.succeeded() - before.succeeded(),
                after.failed() - before.failed(),
                after.timeouts() - before.timeouts(),
                after.invalidHealthBodies() - before.invalidHealthBodies());
        OUT.printf(
                "connections: %d open, %d opened and %d reused in the window, %d stale retries%n",
                after.openConnections(),
                after.connectionsOpened() - before.connectionsOpened(),
                after.connectionsReused() - before.connectionsReused(),
                after.staleRetries() - before.staleRetries());
        OUT.printf(
                "states: %s; SRTT median %d us, p99 %d us%n",
                states, percentile(srttMicros, 0.5), percentile(srttMicros, 0.99));
        OUT.printf(
                "monitor CPU: %.1f%% of one core (%.2f ms CPU per probe)%n",
                100.0 * cpuNanos / wallNanos, cpuNanos / 1e6 / Math.max(1, probes));
        OUT.printf("server CPU (other JVM): %.1f%% of one core%n", 100.0 * serverCpuNanos / wallNanos);
        OUT.printf(
                "monitor heap after GC, above baseline: %.1f MiB (%.0f bytes per target)%n",
                heapBytes / 1048576.0, (double) heapBytes / targets);
    }

    private static long serverCpu(BufferedReader serverOut, PrintStream serverIn) throws Exception {
        serverIn.println("cpu");
        String line = serverOut.readLine();
        if (line == null || !line.startsWith("CPU ")) {
            throw new IllegalStateException("health server answered " + line);
        }
        return Long.parseLong(line.substring(4));
    }

    private static long heapAfterGc(MemoryMXBean memory) throws InterruptedException {
        for (int i = 0; i < 3; i++) {
            System.gc();
            Thread.sleep(200);
        }
        return memory.getHeapMemoryUsage().getUsed();
    }

    private static long percentile(List<Long> sorted, double p) {
        return sorted.isEmpty() ? -1 : sorted.get((int) Math.min(sorted.size() - 1, Math.floor(p * sorted.size())));
    }
}
