package io.pulse.sidecar.cli;

import io.pulse.consumer.PulseConsumer;
import io.pulse.core.DetectorConfig;
import io.pulse.events.FailureMessage;
import io.pulse.events.NodeState;
import io.pulse.events.StatusChange;
import io.pulse.sidecar.Sidecar;
import io.pulse.sidecar.config.ConfigLoader;
import io.pulse.sidecar.config.Durations;
import io.pulse.sidecar.config.SidecarSettings;
import io.pulse.sidecar.embedded.EmbeddedKafka;
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
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.function.Predicate;
import java.util.stream.Stream;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * {@code pulse demo}: a real broker, three Pulse nodes watching each other, one stopped and
 * started again, told as the consumer library sees it.
 */
@Command(name = "demo", mixinStandardHelpOptions = true,
        description = {"Starts a real Kafka broker in this process and three Pulse nodes on 127.0.0.1 that watch each "
                + "other with the default settings, stops one, prints the FailureMessage and the status changes "
                + "as the consumer library receives them, starts it again to show the recovery, then cleans up.",
                "Nothing needs to be set up; it takes about half a minute."})
final class DemoCommand implements Callable<Integer> {
    static final Duration STEP_TIMEOUT = Duration.ofSeconds(30);
    private static final String[] NAMES = {"node-a", "node-b", "node-c"};

    @CommandLine.ParentCommand
    PulseCommand parent;

    private PrintWriter out;
    private final List<Object> received = new ArrayList<>();
    private long startNanos;

    @Override
    public Integer call() throws Exception {
        parent.configureLogging("text", "warn");
        out = parent.out();
        startNanos = System.nanoTime();
        Path work = Files.createTempDirectory("pulse-demo-");
        say("Starting a real Apache Kafka broker (KRaft, single node) in this process ...");
        try (EmbeddedKafka kafka = EmbeddedKafka.create(Map.of())) {
            kafka.start();
            say("Kafka is up on " + kafka.bootstrapServers() + ".");
            List<Sidecar> nodes = new ArrayList<>();
            try {
                tell(kafka, work, nodes);
            } finally {
                say("Cleaning up: stopping the nodes (each flushes its outbox to Kafka), then the broker.");
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

    /** The story itself: three nodes, one stopped and started again, as the consumer sees it. */
    private void tell(EmbeddedKafka kafka, Path work, List<Sidecar> nodes) throws Exception {
        int[] ports = freeUdpPorts(NAMES.length);
        say("Starting three Pulse nodes on 127.0.0.1, each probing the other two every "
                + Durations.format(DetectorConfig.DEFAULT_PROBE_INTERVAL) + ":");
        for (int i = 0; i < NAMES.length; i++) {
            say("  " + NAMES[i] + " = 127.0.0.1:" + ports[i]);
        }
        for (int i = 0; i < NAMES.length; i++) {
            nodes.add(startNode(i, ports, kafka, work));
        }
        EventPrinter printer = new EventPrinter(out, false);
        say("A consumer (io.pulse.consumer.PulseConsumer) reads pulse.failures and pulse.status; what it receives:");
        try (PulseConsumer consumer = PulseConsumer.builder()
                .bootstrapServers(kafka.bootstrapServers())
                .groupId("pulse-demo-" + UUID.randomUUID())
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
            String c = "127.0.0.1:" + ports[2];
            await("every node to see the other two ALIVE", events -> count(events, StatusChange.class,
                    s -> s.getCurrent() == NodeState.ALIVE && s.getPrevious() == NodeState.PENDING) >= 6);
            say("All three nodes see each other ALIVE.");
            say("Stopping node-c (" + c + "): its socket closes and it answers nothing, as if it had crashed.");
            long stopped = System.nanoTime();
            nodes.remove(2).close();
            await("node-a and node-b to declare node-c DEAD", events -> count(events, FailureMessage.class,
                    f -> f.getNodeId().equals(c)) >= 2);
            say(String.format(java.util.Locale.ROOT, "node-a and node-b declared node-c DEAD; the consumer had both "
                    + "FailureMessages %.1f s after the stop (direct probe, retries, indirect probes through the "
                    + "other peer, SUSPECT, suspicion timeout, DEAD).", (System.nanoTime() - stopped) / 1e9));
            say("Starting node-c again on the same port (a new incarnation). DEAD nodes are probed every "
                    + Durations.format(DetectorConfig.DEFAULT_DEAD_PROBE_INTERVAL) + " ...");
            nodes.add(startNode(2, ports, kafka, work));
            await("node-a and node-b to see node-c ALIVE again", events -> count(events, StatusChange.class,
                    s -> s.getNodeId().equals(c) && s.getPrevious() == NodeState.DEAD && s.getCurrent() == NodeState.ALIVE) >= 2);
            say("node-c has recovered: DEAD -> ALIVE is an event too, on the compacted status topic.");
        }
    }

    private Sidecar startNode(int index, int[] ports, EmbeddedKafka kafka, Path work) {
        Map<String, String> settings = new LinkedHashMap<>();
        settings.put(SidecarSettings.NODE_BIND, "127.0.0.1:" + ports[index]);
        List<String> peers = new ArrayList<>();
        for (int i = 0; i < ports.length; i++) {
            if (i != index) {
                peers.add("127.0.0.1:" + ports[i]);
            }
        }
        settings.put(SidecarSettings.TARGETS, String.join(",", peers));
        settings.put(SidecarSettings.KAFKA_BOOTSTRAP_SERVERS, kafka.bootstrapServers());
        settings.put(SidecarSettings.OUTBOX_DIR, work.resolve(NAMES[index]).toString());
        settings.put(SidecarSettings.HTTP_ENABLED, "false");
        return Sidecar.start(ConfigLoader.load(null, Map.of(), settings));
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
        return events.stream().filter(type::isInstance).map(type::cast).filter(test).count();
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
