package io.pulse.bench;

import io.pulse.core.DetectorConfig;
import io.pulse.core.ManualClock;
import io.pulse.core.Message;
import io.pulse.core.NodeId;
import io.pulse.core.PulseCore;
import io.pulse.core.TargetOptions;
import java.lang.management.ManagementFactory;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;

/**
 * The core alone, no sockets: {@code targets} UDP targets on a {@link ManualClock}, every PING
 * answered 200 us later except by the first {@code silentPercent} % of the targets (PING_REQs are
 * never answered). Prints the core's CPU per direct PING and per virtual second, and its heap per
 * target (used heap after GC with the targets, minus the same without them), so that the core's
 * share of the {@link UdpLoadHarness} figures can be told from Netty's and the kernel's.
 *
 * <pre>{@code
 * mvn -Pbench test-compile exec:exec -Dbench.main=io.pulse.bench.CoreLoadMain -Dbench.args="10000 120 0"
 * }</pre>
 */
public final class CoreLoadMain {
    private static final long ANSWER_DELAY_NANOS = 200_000;
    private static final long STEP_NANOS = 1_000_000; // the engine's tick resolution

    private CoreLoadMain() {}

    private record Sent(InetSocketAddress to, Message message) {}

    public static void main(String[] args) throws Exception {
        int targets = args.length > 0 ? Integer.parseInt(args[0]) : 10_000;
        int seconds = args.length > 1 ? Integer.parseInt(args[1]) : 60;
        // Targets whose port is below this never answer: failed rounds, retries and indirect probes.
        int silentPercent = args.length > 2 ? Integer.parseInt(args[2]) : 0;
        int firstAnsweringPort = 1024 + targets * silentPercent / 100;
        ManualClock clock = new ManualClock();
        List<Sent> wire = new ArrayList<>();
        long[] pings = new long[1];
        PulseCore core = new PulseCore(DetectorConfig.defaults(), clock, 1, (to, message) -> {
            wire.add(new Sent(to, message));
            if (message instanceof Message.Ping) {
                pings[0]++;
            }
        });
        long emptyHeap = heapAfterGc();
        InetAddress loopback = InetAddress.getByName("127.0.0.1");
        for (int i = 0; i < targets; i++) {
            int port = 1024 + i;
            core.addTarget(
                    NodeId.parse("127.0.0.1:" + port), new InetSocketAddress(loopback, port), TargetOptions.defaults());
        }
        core.startProbing();
        var threads = ManagementFactory.getThreadMXBean();
        long cpuStart = 0;
        long pingsStart = 0;
        long warmupSteps = 10_000; // 10 s of virtual time
        long steps = warmupSteps + seconds * 1000L;
        List<Sent> answering = new ArrayList<>();
        for (long step = 0; step < steps; step++) {
            if (step == warmupSteps) {
                cpuStart = threads.getCurrentThreadCpuTime();
                pingsStart = pings[0];
            }
            clock.advanceNanos(STEP_NANOS - ANSWER_DELAY_NANOS);
            core.tick();
            answering.clear();
            answering.addAll(wire);
            wire.clear();
            clock.advanceNanos(ANSWER_DELAY_NANOS);
            for (Sent sent : answering) {
                if (sent.message() instanceof Message.Ping ping && sent.to().getPort() >= firstAnsweringPort) {
                    long now = clock.epochNanos();
                    core.onMessage(sent.to(), new Message.Ack(ping.sequence(), ping.sentEpochNanos(), now, now, 7));
                }
            }
        }
        long cpu = threads.getCurrentThreadCpuTime() - cpuStart;
        long probes = pings[0] - pingsStart;
        long heap = heapAfterGc() - emptyHeap;
        System.out.printf(
                "core alone: %d targets (%d %% silent), %d s of virtual time, %d direct PINGs: %.2f us CPU "
                        + "per PING, %.0f ms CPU per virtual second; heap %.0f bytes per target; %s%n",
                targets,
                silentPercent,
                seconds,
                probes,
                cpu / 1e3 / probes,
                cpu / 1e6 / seconds,
                (double) heap / targets,
                core.counters());
        System.out.println(core.targetCount() > 0 ? "" : "no targets");
    }

    private static long heapAfterGc() throws InterruptedException {
        var memory = ManagementFactory.getMemoryMXBean();
        for (int i = 0; i < 3; i++) {
            System.gc();
            Thread.sleep(100);
        }
        return memory.getHeapMemoryUsage().getUsed();
    }
}
