package io.pulse.sidecar.cli;

import io.pulse.core.NodeId;
import io.pulse.events.Topics;
import io.pulse.sidecar.config.Durations;
import io.pulse.sidecar.config.SidecarConfig;
import io.pulse.sidecar.tail.TopicTail;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.common.errors.WakeupException;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code pulse tail}: prints what arrives on the failures and status topics, leaving no trace on the cluster. */
@Command(
        name = "tail",
        mixinStandardHelpOptions = true,
        sortOptions = false,
        description = {
            "Reads <prefix>.failures and <prefix>.status and prints every event, as a table or as JSON "
                    + "lines, until Ctrl-C (or --max-events, --timeout).",
            "Read-only: no consumer group, no committed offsets, no topic created, nothing written; a record "
                    + "that is no event is reported on standard error and skipped.",
            "Kafka settings as for pulse run: the file, then PULSE_KAFKA_* variables "
                    + "(PULSE_KAFKA_PROPERTIES_<NAME> for client properties such as security.protocol), then --set, "
                    + "then -b and --topic-prefix."
        })
final class TailCommand implements Callable<Integer> {
    /** How long one poll waits, and so how soon a signal or the timeout is noticed. */
    static final Duration POLL = Duration.ofMillis(200);

    @CommandLine.ParentCommand
    PulseCommand parent;

    @CommandLine.Mixin
    KafkaOptions kafka = new KafkaOptions();

    @Option(names = "--from-beginning", description = "Prints every event the topics still hold, then the new ones.")
    boolean fromBeginning;

    @Option(
            names = "--since",
            paramLabel = "DURATION",
            description = "Prints the events of this last while (e.g. 10m), then the new ones.")
    String since;

    @Option(names = "--node", paramLabel = "HOST:PORT", description = "Only this node's events (repeatable).")
    List<String> nodes = new ArrayList<>();

    @Option(
            names = "--type",
            paramLabel = "TYPE",
            description =
                    "Only failures (the failures topic) or status (status changes and removals, the status topic).")
    String type;

    @Option(
            names = "--heartbeats",
            description = "Also prints the heartbeats of <prefix>.heartbeats: each observer saying it is alive, "
                    + "every kafka.heartbeat.interval (BEAT), or that it stopped cleanly (STOPPED).")
    boolean heartbeats;

    @Option(names = "--json", description = "One JSON object per line instead of a table.")
    boolean json;

    @Option(names = "--max-events", paramLabel = "N", description = "Exits 0 after N events.")
    long maxEvents = Long.MAX_VALUE;

    @Option(
            names = "--timeout",
            paramLabel = "DURATION",
            description = "Exits after this long: 0, or 1 if --max-events was given and not reached.")
    String timeout;

    @Option(names = "--group", paramLabel = "ID", hidden = true)
    String group;

    /** What the options and settings ask for, checked. */
    record Plan(
            Properties consumer,
            String prefix,
            List<String> topics,
            TopicTail.Start start,
            Instant since,
            Set<String> nodes,
            Duration timeout) {
        String failuresTopic() {
            return Topics.failures(prefix);
        }
    }

    @Override
    public Integer call() throws Exception {
        parent.configureLogging("text", "warn");
        Plan plan = plan(parent.environment(), Instant.now());
        EventPrinter printer = new EventPrinter(parent.out(), json);
        AtomicLong seen = new AtomicLong();
        AtomicBoolean stop = new AtomicBoolean();
        TopicTail.Sink sink = new TopicTail.Sink() {
            @Override
            public void failure(io.pulse.events.FailureMessage failure) {
                if (take(seen)) {
                    printer.failure(failure);
                }
            }

            @Override
            public void status(io.pulse.events.StatusChange change) {
                if (take(seen)) {
                    printer.status(change);
                }
            }

            @Override
            public void removed(String nodeId, Instant at) {
                if (take(seen)) {
                    printer.removed(nodeId, at);
                }
            }

            @Override
            public void heartbeat(io.pulse.events.Heartbeat heartbeat) {
                if (take(seen)) {
                    printer.heartbeat(heartbeat);
                }
            }

            @Override
            public void stopped(String observer, Instant at) {
                if (take(seen)) {
                    printer.stopped(observer, at);
                }
            }

            @Override
            public void skipped(String warning) {
                parent.err().println("pulse tail: " + warning);
                parent.err().flush();
            }
        };
        Termination termination = Termination.install();
        try (TopicTail tail = new TopicTail(
                plan.consumer(), plan.prefix(), plan.topics(), plan.start(), plan.since(), plan.nodes(), sink)) {
            Thread waiter = new Thread(
                    () -> {
                        termination.await();
                        stop.set(true);
                        tail.wakeup();
                    },
                    "pulse-tail-signals");
            waiter.setDaemon(true);
            waiter.start();
            long deadline = plan.timeout() == null
                    ? Long.MAX_VALUE
                    : System.nanoTime() + plan.timeout().toNanos();
            boolean toldMissing = false;
            while (!stop.get() && seen.get() < maxEvents && System.nanoTime() - deadline < 0) {
                try {
                    tail.poll(POLL);
                } catch (WakeupException e) {
                    break;
                }
                if (!toldMissing && !tail.missingTopics().isEmpty()) {
                    parent.err()
                            .println("pulse tail: waiting for "
                                    + String.join(" and ", new java.util.TreeSet<>(tail.missingTopics()))
                                    + " (no such topic yet; looked for every "
                                    + Durations.format(TopicTail.TOPIC_RECHECK) + ")");
                    parent.err().flush();
                    toldMissing = true;
                }
            }
            boolean reached = seen.get() >= maxEvents;
            return reached || maxEvents == Long.MAX_VALUE ? PulseCommand.OK : PulseCommand.FAILED;
        }
    }

    /** Counts one more event to print, unless --max-events were printed already. */
    private boolean take(AtomicLong seen) {
        return seen.get() < maxEvents && seen.incrementAndGet() <= maxEvents;
    }

    /** The options and the Kafka settings (file, {@code env}, {@code --set}) resolved; {@code now} is where --since counts from. */
    Plan plan(Map<String, String> env, Instant now) {
        if (maxEvents < 1) {
            throw new UsageException("--max-events: got " + maxEvents + " (expected: at least 1)");
        }
        if (group != null) {
            throw new UsageException("--group: tail joins no consumer group any more (it reads without one and commits "
                    + "nothing; expected: --from-beginning or --since DURATION to choose where to start)");
        }
        if (fromBeginning && since != null) {
            throw new UsageException("--from-beginning and --since " + since + " (expected: one of them)");
        }
        Duration window = since == null ? null : Arguments.duration("--since", since);
        if (window != null && window.isZero()) {
            throw new UsageException("--since: got \"" + since + "\" (expected: more than 0)");
        }
        Set<String> nodeIds = new LinkedHashSet<>();
        for (String node : nodes) {
            try {
                nodeIds.add(NodeId.parse(node).toString());
            } catch (IllegalArgumentException e) {
                throw new UsageException("--node: got \"" + node + "\" (" + e.getMessage() + ")");
            }
        }
        SidecarConfig settings = kafka.load(env);
        String prefix = TopicTail.topicPrefix(settings);
        List<String> topics = new ArrayList<>(
                switch (type == null ? "all" : type.toLowerCase(Locale.ROOT)) {
                    case "all" -> List.of(Topics.failures(prefix), Topics.status(prefix));
                    case "failure", "failures" -> List.of(Topics.failures(prefix));
                    case "status" -> List.of(Topics.status(prefix));
                    default -> throw new UsageException("--type: got \"" + type + "\" (expected: failure or status)");
                });
        if (heartbeats) {
            topics.add(Topics.heartbeats(prefix));
        }
        TopicTail.Start start = fromBeginning
                ? TopicTail.Start.BEGINNING
                : window != null ? TopicTail.Start.SINCE : TopicTail.Start.END;
        return new Plan(
                TopicTail.consumerProperties(settings),
                prefix,
                List.copyOf(topics),
                start,
                window == null ? null : now.minus(window),
                nodeIds,
                timeout == null ? null : Arguments.duration("--timeout", timeout));
    }
}
