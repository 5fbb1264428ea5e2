package io.pulse.sidecar.cli;

import io.pulse.consumer.PulseConsumer;
import io.pulse.embedded.EmbeddedKafka;
import io.pulse.events.ChangeReason;
import io.pulse.events.FailureMessage;
import io.pulse.events.NodeState;
import io.pulse.events.StatusChange;
import io.pulse.events.Topics;
import io.pulse.protocol.Keyring;
import io.pulse.sidecar.Sidecar;
import io.pulse.sidecar.config.ConfigLoader;
import io.pulse.sidecar.config.SecuritySettings;
import io.pulse.sidecar.config.SidecarSettings;
import io.pulse.sidecar.dashboard.Dashboard;
import io.pulse.sidecar.dashboard.HistoryLimits;
import java.io.IOException;
import java.io.PrintWriter;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.function.Predicate;
import java.util.stream.Stream;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * {@code pulse demo}: a real broker and a cluster of four Pulse nodes: joins, a crash (one
 * FailureMessage), a clean stop (LEFT, no failure), a rejoin, and a partition that the majority
 * decides and that heals by itself, told as the consumer library sees it.
 */
@Command(
        name = "demo",
        mixinStandardHelpOptions = true,
        description = {
            "Starts a real Kafka broker in this process and a cluster of four Pulse nodes on 127.0.0.1 "
                    + "with the default settings; one crashes (one FailureMessage, agreed by the others), one stops "
                    + "cleanly (LEFT, no failure) and joins again, and one is cut off from the others and comes "
                    + "back. Prints what the consumer library receives, then cleans up.",
            "Nothing needs to be set up; it takes about half a minute."
        })
final class DemoCommand implements Callable<Integer> {
    static final Duration STEP_TIMEOUT = Duration.ofSeconds(30);
    /** How long the demo waits to show that nothing more comes: longer than a second decision would take. */
    static final Duration QUIET = Duration.ofSeconds(3);

    private static final String[] NAMES = {"node-a", "node-b", "node-c", "node-d"};

    @CommandLine.ParentCommand
    PulseCommand parent;

    @CommandLine.Option(
            names = "--dashboard-bind",
            paramLabel = "HOST:PORT",
            description = "Address of the demo's dashboard (default: 127.0.0.1:0, a free port; the URL is printed).")
    String dashboardBind = "127.0.0.1:0";

    @CommandLine.Option(
            names = "--linger",
            paramLabel = "DURATION",
            description = "Keeps the cluster and the dashboard up this long after the story (e.g. 5m), to look "
                    + "around; Ctrl-C ends it sooner. Default: 0.")
    String linger = "0s";

    private PrintWriter out;
    private final List<Object> received = new ArrayList<>();
    private long startNanos;

    @Override
    public Integer call() throws Exception {
        parent.configureLogging("text", "warn");
        out = parent.out();
        startNanos = System.nanoTime();
        InetSocketAddress dashboardAddress = Arguments.bindAddress("--dashboard-bind", dashboardBind);
        Duration lingering = Arguments.duration("--linger", linger);
        Path work = Files.createTempDirectory("pulse-demo-");
        say("Starting a real Apache Kafka broker (KRaft, single node) in this process ...");
        try (EmbeddedKafka kafka = EmbeddedKafka.create(Map.of())) {
            kafka.start();
            say("Kafka is up on " + kafka.bootstrapServers() + ".");
            List<Sidecar> nodes = new ArrayList<>();
            Properties reader = new Properties();
            reader.put("bootstrap.servers", kafka.bootstrapServers());
            try (Dashboard dashboard =
                    Dashboard.start(reader, Topics.DEFAULT_PREFIX, dashboardAddress, HistoryLimits.defaults())) {
                say("Dashboard (pulse dashboard, fed from Kafka alone): open " + dashboard.url() + " in a browser.");
                tell(kafka, work, nodes);
                if (!lingering.isZero()) {
                    say("The cluster and the dashboard stay up for "
                            + io.pulse.sidecar.config.Durations.format(lingering) + " (Ctrl-C ends it sooner).");
                    Termination termination = Termination.install();
                    Thread sleeper = Thread.currentThread();
                    Thread waker = new Thread(
                            () -> {
                                termination.await();
                                sleeper.interrupt();
                            },
                            "pulse-demo-signals");
                    waker.setDaemon(true);
                    waker.start();
                    try {
                        Thread.sleep(lingering.toMillis());
                    } catch (InterruptedException e) {
                        Thread.interrupted(); // a signal: clean up as usual
                    }
                }
            } finally {
                say(
                        "Cleaning up: each node leaves the cluster and flushes its outbox to Kafka, then the broker stops.");
                for (Sidecar node : nodes) {
                    node.close();
                }
            }
        } finally {
            delete(work);
        }
        say("Done.");
        return PulseCommand.OK;
    }

    /** The story itself, as the consumer sees it. */
    private void tell(EmbeddedKafka kafka, Path work, List<Sidecar> nodes) throws Exception {
        int[] ports = freeUdpPorts(NAMES.length);
        String seed = "127.0.0.1:" + ports[0];
        say("Starting a cluster of four Pulse nodes on 127.0.0.1, each datagram signed with a key made for this run "
                + "(pulse keys generate): node-a founds it, the others join through node-a.");
        for (int i = 0; i < NAMES.length; i++) {
            say("  " + NAMES[i] + " = 127.0.0.1:" + ports[i]);
        }
        EventPrinter printer = new EventPrinter(out, false);
        say("A consumer (io.pulse.consumer.PulseConsumer) reads pulse.failures and pulse.status; what it receives:");
        try (PulseConsumer consumer = PulseConsumer.builder()
                .bootstrapServers(kafka.bootstrapServers())
                .groupId("pulse-demo-" + UUID.randomUUID())
                .offsetReset(PulseConsumer.OffsetReset.EARLIEST)
                .onStatusChange(c -> {
                    printer.status(c);
                    record(c);
                })
                .onFailure(f -> {
                    printer.failure(f);
                    record(f);
                })
                .build()) {
            consumer.start();
            for (int i = 0; i < NAMES.length; i++) {
                nodes.add(startNode(i, ports, kafka, work, i == 0 ? null : seed));
            }
            await(
                    "the three joins",
                    events -> count(events, StatusChange.class, s -> s.getReason() == ChangeReason.JOINED) >= 3);
            say("One cluster: the members agree on every change of the membership, and each change is published "
                    + "once, by one member chosen for it.");

            String d = "127.0.0.1:" + ports[3];
            say("Killing node-d (" + d + "): it stops dead, as a crash would, without a word to the others.");
            long stopped = System.nanoTime();
            nodes.remove(3).kill();
            await(
                    "node-d's FailureMessage",
                    events -> count(
                                    events,
                                    FailureMessage.class,
                                    f -> f.getNodeId().equals(d))
                            >= 1);
            double seconds = (System.nanoTime() - stopped) / 1e9;
            Thread.sleep(QUIET.toMillis());
            FailureMessage failure =
                    first(FailureMessage.class, f -> f.getNodeId().equals(d));
            say(String.format(
                    java.util.Locale.ROOT,
                    "%d FailureMessage for one crash, %.1f s after the kill: node-d's observers found it down, "
                            + "the majority agreed to remove it (configuration epoch %d), and %s published it.",
                    count(received, FailureMessage.class, f -> f.getNodeId().equals(d)),
                    seconds,
                    failure.getConfigurationEpoch(),
                    failure.getObserver()));

            String c = "127.0.0.1:" + ports[2];
            say("Stopping node-c (" + c
                    + ") cleanly, as SIGTERM does: it asks to leave, and goes once the others agreed.");
            nodes.remove(2).close();
            await(
                    "node-c's LEFT",
                    events -> count(
                                    events,
                                    StatusChange.class,
                                    s -> s.getNodeId().equals(c) && s.getCurrent() == NodeState.LEFT)
                            >= 1);
            Thread.sleep(QUIET.toMillis());
            say(
                    count(received, FailureMessage.class, f -> f.getNodeId().equals(c)) == 0
                            ? "node-c LEFT: a deploy or a scale-down is not an outage, so no FailureMessage and no page."
                            : "node-c LEFT, but a FailureMessage came too: that is a bug, please report it.");

            say("Starting node-c again on the same port: a new incarnation joins through node-a.");
            nodes.add(startNode(2, ports, kafka, work, seed));
            await(
                    "node-c to join again",
                    events -> count(
                                    events,
                                    StatusChange.class,
                                    s -> s.getNodeId().equals(c)
                                            && s.getPrevious() == NodeState.LEFT
                                            && s.getCurrent() == NodeState.ALIVE)
                            >= 1);
            say("node-c is back: LEFT -> ALIVE (JOINED), on the compacted status topic like every change.");

            String b = "127.0.0.1:" + ports[1];
            say("Cutting node-b (" + b + ") off from the others: its datagrams are dropped both ways, while Kafka "
                    + "stays reachable, as a network partition would.");
            cut.set(ports[1]);
            long cutAt = System.nanoTime();
            await(
                    "node-b's FailureMessage",
                    events -> count(
                                    events,
                                    FailureMessage.class,
                                    f -> f.getNodeId().equals(b))
                            >= 1);
            say(String.format(
                    java.util.Locale.ROOT,
                    "The majority (node-a, node-c) removed node-b, %.1f s after the cut: one FailureMessage. node-b,"
                            + " alone, has no majority: it decides nothing and publishes nothing about the others.",
                    (System.nanoTime() - cutAt) / 1e9));
            cut.set(0);
            long healedAt = System.nanoTime();
            say("Healing the partition.");
            await(
                    "node-b to come back",
                    events -> count(
                                    events,
                                    StatusChange.class,
                                    s -> s.getNodeId().equals(b)
                                            && s.getPrevious() == NodeState.DEAD
                                            && s.getCurrent() == NodeState.ALIVE)
                            >= 1);
            say(String.format(
                    java.util.Locale.ROOT,
                    "node-b learned it was out from its first datagram with the others, and joined again: DEAD -> "
                            + "ALIVE (RECOVERED), %.1f s after the heal.",
                    (System.nanoTime() - healedAt) / 1e9));
        }
    }

    private Sidecar startNode(int index, int[] ports, EmbeddedKafka kafka, Path work, String seed) {
        Map<String, String> settings = new LinkedHashMap<>();
        settings.put(SidecarSettings.NODE_BIND, "127.0.0.1:" + ports[index]);
        settings.put(SidecarSettings.CLUSTER_ENABLED, "true");
        if (seed != null) {
            settings.put(SidecarSettings.CLUSTER_JOIN, seed);
        }
        settings.put(SidecarSettings.KAFKA_BOOTSTRAP_SERVERS, kafka.bootstrapServers());
        settings.put(SidecarSettings.OUTBOX_DIR, work.resolve(NAMES[index]).toString());
        settings.put(SidecarSettings.HTTP_ENABLED, "false");
        int own = ports[index];
        // The partition: while cut holds a node's port, that node and the others drop each other's datagrams.
        return Sidecar.start(
                ConfigLoader.load(null, Map.of(SecuritySettings.ENV_KEYS, keys), settings),
                builder -> builder.datagramFilter(
                        (direction, peer) -> cut.get() == 0 || (cut.get() != own && peer.getPort() != cut.get())));
    }

    /** The demo cluster's keys, made for this run: its nodes sign every datagram, as a deployment's do. */
    private final String keys = "1 " + Keyring.generateKey() + " primary";

    /** The UDP port of the node cut off from the others, or 0. */
    private final java.util.concurrent.atomic.AtomicInteger cut = new java.util.concurrent.atomic.AtomicInteger();

    private synchronized <T> T first(Class<T> type, Predicate<T> test) {
        return received.stream()
                .filter(type::isInstance)
                .map(type::cast)
                .filter(test)
                .findFirst()
                .orElseThrow();
    }

    private synchronized void record(Object event) {
        received.add(event);
        notifyAll();
    }

    private synchronized void await(String what, Predicate<List<Object>> condition) throws InterruptedException {
        long deadline = System.nanoTime() + STEP_TIMEOUT.toNanos();
        while (!condition.test(received)) {
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                throw new IllegalStateException("the demo waited " + STEP_TIMEOUT.toSeconds() + " s for " + what
                        + " and gave up; " + received.size() + " events had arrived");
            }
            wait(Math.max(1, left / 1_000_000));
        }
    }

    private static <T> long count(List<Object> events, Class<T> type, Predicate<T> test) {
        return events.stream()
                .filter(type::isInstance)
                .map(type::cast)
                .filter(test)
                .count();
    }

    private void say(String line) {
        out.printf(java.util.Locale.ROOT, "[demo %5.1f s] %s%n", (System.nanoTime() - startNanos) / 1e9, line);
        out.flush();
    }

    /** UDP ports free on 127.0.0.1 now, so that each node knows its peers' ports before they start. */
    private static int[] freeUdpPorts(int count) throws IOException {
        List<DatagramSocket> sockets = new ArrayList<>();
        try {
            int[] ports = new int[count];
            for (int i = 0; i < count; i++) {
                DatagramSocket socket = new DatagramSocket(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
                sockets.add(socket);
                ports[i] = socket.getLocalPort();
            }
            return ports;
        } finally {
            sockets.forEach(DatagramSocket::close);
        }
    }

    private static void delete(Path dir) {
        try (Stream<Path> paths = Files.walk(dir)) {
            paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            // a temporary directory left behind is harmless
        }
    }
}
