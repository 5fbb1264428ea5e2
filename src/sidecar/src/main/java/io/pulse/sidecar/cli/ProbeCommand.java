package io.pulse.sidecar.cli;

import io.pulse.core.DetectorConfig;
import io.pulse.core.NodeId;
import io.pulse.core.NodeStatus;
import io.pulse.core.TargetOptions;
import io.pulse.sidecar.config.Durations;
import io.pulse.sidecar.config.TargetSpec;
import io.pulse.transport.PulseEngine;
import io.pulse.transport.probe.HttpProbeSpec;
import io.pulse.transport.probe.TcpProbeSpec;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code pulse probe}: a one-off probe of one target, like ping. */
@Command(
        name = "probe",
        mixinStandardHelpOptions = true,
        sortOptions = false,
        description = "Probes one target a few times, like ping: the round-trip time of each answer, then the loss, "
                + "the smoothed RTT and (for Pulse peers and health URLs that give their time) the clock offset. "
                + "Exits 0 if any probe was answered, 1 if none.")
final class ProbeCommand implements Callable<Integer> {
    @CommandLine.ParentCommand
    PulseCommand parent;

    @Parameters(
            paramLabel = "TARGET",
            description = "udp://host:port (a Pulse node), http(s)://host:port/path or tcp://host:port.")
    String target;

    @Option(
            names = {"-c", "--count"},
            defaultValue = "5",
            description = "Probes to send (default: ${DEFAULT-VALUE}).")
    int count;

    @Option(
            names = {"-i", "--interval"},
            defaultValue = "1s",
            description = "Time between probes (default: ${DEFAULT-VALUE}).")
    String interval;

    @Option(
            names = {"-W", "--timeout"},
            defaultValue = "1s",
            description = "How long to wait for each answer (default: ${DEFAULT-VALUE}).")
    String timeout;

    @CommandLine.Mixin
    AuthOptions auth;

    @Option(
            names = "--bind",
            paramLabel = "HOST:PORT",
            defaultValue = "0.0.0.0:0",
            description = "Local UDP address to probe from (default: ${DEFAULT-VALUE}).")
    String bind;

    @Override
    public Integer call() throws Exception {
        parent.configureLogging("text", "warn");
        if (count < 1 || count > 10_000) {
            throw new UsageException("--count: got " + count + " (expected: 1..10000)");
        }
        TargetSpec spec;
        try {
            spec = TargetSpec.parse(target);
        } catch (IllegalArgumentException e) {
            throw new UsageException("TARGET: got \"" + target + "\": " + e.getMessage());
        }
        Duration every = Arguments.duration("--interval", interval);
        Duration wait = Arguments.duration("--timeout", timeout);
        DetectorConfig config;
        try {
            config = DetectorConfig.builder()
                    .probeInterval(every)
                    .probeTimeoutMin(wait)
                    .probeTimeoutMax(wait)
                    .maxRetries(0)
                    .indirectProbes(0)
                    .jitterRatio(0)
                    .suspicionTimeout(Duration.ofDays(1))
                    .build();
        } catch (IllegalArgumentException e) {
            throw new UsageException(e.getMessage()
                    .replace("probeInterval", "--interval")
                    .replace("probeTimeoutMax", "--timeout")
                    .replace("probeTimeoutMin", "--timeout"));
        }
        List<Duration> rtts = new ArrayList<>();
        PrintWriterLines lines = new PrintWriterLines(parent.out());
        try (PulseEngine engine = auth.settings(parent.environment())
                .applyTo(PulseEngine.builder())
                .bind(Arguments.bindAddress("--bind", bind))
                .config(config)
                .responding(false)
                .start()) {
            engine.onRttSample(sample -> {
                synchronized (rtts) {
                    if (rtts.size() < count) {
                        rtts.add(sample.rtt());
                        lines.print(String.format(
                                Locale.ROOT,
                                "answer from %s: probe %d, rtt %s",
                                sample.node(),
                                rtts.size(),
                                millis(sample.rtt())));
                    }
                }
            });
            TargetOptions options =
                    TargetOptions.defaults().withProbeInterval(every).withMaxRetries(0);
            NodeId id;
            try {
                id = switch (spec.kind()) {
                    case UDP -> engine.addTarget(spec.nodeId(), options);
                    case HTTP -> engine.addHttpTarget(HttpProbeSpec.of(spec.text()), options);
                    case TCP -> engine.addTcpTarget(TcpProbeSpec.of(spec.text()), options);
                };
            } catch (IllegalArgumentException e) {
                throw new UsageException("TARGET: " + e.getMessage());
            }
            lines.print("PROBE " + spec + " (" + spec.kind().name().toLowerCase(Locale.ROOT) + "), " + count
                    + " probes, " + Durations.format(every) + " apart, " + Durations.format(wait) + " timeout");
            // the first probe starts within one interval; the last one's round may take its whole length
            Duration round = config.maxRoundDuration();
            Duration perProbe = every.compareTo(round) > 0 ? every : round;
            long deadline = System.nanoTime()
                    + perProbe.multipliedBy(count + 1).plus(round).toNanos();
            long lostShown = 0;
            NodeStatus status = engine.status(id);
            while (System.nanoTime() < deadline) {
                status = engine.status(id);
                for (long lost = lostShown; lost < status.lostProbes(); lost++) {
                    lines.print(
                            status.lastError() == null
                                    ? "no answer within " + Durations.format(wait)
                                    : "no answer: " + status.lastError());
                }
                lostShown = status.lostProbes();
                int answered;
                synchronized (rtts) {
                    answered = rtts.size();
                }
                if (answered + status.lostProbes() >= count) {
                    break;
                }
                Thread.sleep(20);
            }
            engine.stopProbing();
            return summary(spec, status, rtts, lines);
        }
    }

    private int summary(TargetSpec spec, NodeStatus status, List<Duration> rtts, PrintWriterLines lines) {
        List<Duration> sorted;
        synchronized (rtts) {
            sorted = new ArrayList<>(rtts);
        }
        sorted.sort(null);
        int sent = (int) Math.min(count, sorted.size() + status.lostProbes());
        lines.print("--- " + spec + " ---");
        lines.print(String.format(
                Locale.ROOT,
                "%d probes, %d answered, %.1f%% loss, state %s",
                sent,
                sorted.size(),
                sent == 0 ? 0.0 : 100.0 * (sent - sorted.size()) / sent,
                status.state()));
        if (!sorted.isEmpty()) {
            lines.print("rtt min/median/max " + millis(sorted.get(0)) + " / " + millis(sorted.get(sorted.size() / 2))
                    + " / " + millis(sorted.get(sorted.size() - 1)) + ", srtt " + millis(status.srtt())
                    + ", rttvar " + millis(status.rttVariance()));
        }
        lines.print(
                status.clockOffset() == null
                        ? "clock offset: not measured"
                        : "clock offset " + (status.clockOffset().isNegative() ? "" : "+")
                                + millis(status.clockOffset()) + " (error bound " + millis(status.clockOffsetError())
                                + ")");
        return sorted.isEmpty() ? PulseCommand.FAILED : PulseCommand.OK;
    }

    static String millis(Duration value) {
        return value == null ? "-" : String.format(Locale.ROOT, "%.3f ms", value.toNanos() / 1e6);
    }

    /** Whole lines from two threads (the engine's listener and this one). */
    private static final class PrintWriterLines {
        private final java.io.PrintWriter out;

        PrintWriterLines(java.io.PrintWriter out) {
            this.out = out;
        }

        synchronized void print(String line) {
            out.println(line);
            out.flush();
        }
    }
}
