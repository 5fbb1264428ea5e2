package io.pulse.sidecar.cli;

import io.pulse.sidecar.config.SidecarConfig;
import io.pulse.sidecar.config.SidecarSettings;
import io.pulse.sidecar.dashboard.Dashboard;
import io.pulse.sidecar.dashboard.HistoryLimits;
import io.pulse.sidecar.http.ApiLimits;
import io.pulse.sidecar.tail.TopicTail;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code pulse dashboard}: a live web page of the cluster, fed from Kafka alone. */
@Command(
        name = "dashboard",
        mixinStandardHelpOptions = true,
        sortOptions = false,
        description = {
            "Serves a live web page of every node's state, the timeline of the last hour (failures and "
                    + "transitions) and the evidence of each failure, read from <prefix>.status and <prefix>.failures.",
            "Read-only, as pulse tail: no consumer group, no committed offsets, no topic created; needs no sidecar.",
            "Kafka settings as for pulse run: the file, then PULSE_KAFKA_* variables, then --set, then -b and "
                    + "--topic-prefix.",
            "The page takes the HTTP API's settings of the same sources: with http.token.file a login form asks for "
                    + "the token; with http.tls.cert.file and http.tls.key.file it speaks HTTPS; "
                    + "http.max.connections[.per.source] and the timeouts apply."
        })
final class DashboardCommand implements Callable<Integer> {
    static final String DEFAULT_BIND = "127.0.0.1:8080";

    @CommandLine.ParentCommand
    PulseCommand parent;

    @CommandLine.Mixin
    KafkaOptions kafka = new KafkaOptions();

    @Option(
            names = "--bind",
            paramLabel = "HOST:PORT",
            description =
                    "Address of the page (default: " + DEFAULT_BIND + ", this machine only; port 0 for a free one).")
    String bind = DEFAULT_BIND;

    @Option(
            names = "--window",
            paramLabel = "DURATION",
            description = "How far back the timeline reaches (default: 1h; 1s to 7d).")
    String window = "1h";

    @Option(
            names = "--max-events",
            paramLabel = "N",
            description = "Events the history holds at most, the oldest dropped first (default: 100000).")
    int maxEvents = HistoryLimits.DEFAULT_MAX_EVENTS;

    /** What the options and settings ask for, checked. */
    record Plan(
            Properties consumer, String topicPrefix, InetSocketAddress bind, HistoryLimits limits, ApiLimits http) {}

    @Override
    public Integer call() {
        parent.configureLogging("text", "warn");
        Plan plan = plan(parent.environment());
        Termination termination = Termination.install();
        try (Dashboard dashboard =
                Dashboard.start(plan.consumer(), plan.topicPrefix(), plan.bind(), plan.limits(), plan.http())) {
            if (!plan.bind().getAddress().isLoopbackAddress()
                    && plan.http().token().isEmpty()) {
                parent.err()
                        .println("pulse dashboard: bound to " + plan.bind() + ", beyond this machine, without a token: "
                                + "anyone who reaches it sees the cluster (set " + SidecarSettings.HTTP_TOKEN_FILE
                                + " for a login, or bind it to loopback)");
            }
            parent.out()
                    .println("Dashboard on " + dashboard.url() + " (topics " + plan.topicPrefix() + ".status and "
                            + plan.topicPrefix() + ".failures); Ctrl-C to stop.");
            parent.out().flush();
            parent.err().flush();
            termination.await();
        }
        return PulseCommand.OK;
    }

    Plan plan(Map<String, String> env) {
        Duration windowDuration = Arguments.duration("--window", window);
        HistoryLimits limits;
        try {
            limits = new HistoryLimits(windowDuration, maxEvents);
        } catch (IllegalArgumentException e) {
            String option = e.getMessage().startsWith("window") ? "--window" : "--max-events";
            throw new UsageException(
                    option + e.getMessage().substring(e.getMessage().indexOf(':')));
        }
        InetSocketAddress address = Arguments.bindAddress("--bind", bind);
        SidecarConfig settings = kafka.load(env);
        return new Plan(
                TopicTail.consumerProperties(settings),
                TopicTail.topicPrefix(settings),
                address,
                limits,
                settings.httpLimits());
    }
}
