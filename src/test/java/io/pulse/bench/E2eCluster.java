package io.pulse.bench;

import io.pulse.events.NodeState;
import io.pulse.sidecar.embedded.EmbeddedKafka;
import java.io.IOException;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * One cluster of {@link E2eDetectionHarness}: a real Kafka broker in this JVM, N Pulse nodes on
 * 127.0.0.1 watching each other, and the consumer side ({@link E2eEvents}). Node N-1, the victim,
 * runs alone in its own JVM so that it can be SIGKILLed and its CPU measured as one node's; the
 * other N-1 share one JVM ({@link E2eNodesMain}), each still its own sidecar, engine, socket,
 * event loop thread and Kafka producer, because N JVMs would not fit on two cores.
 *
 * <pre>{@code
 * try (E2eCluster cluster = E2eCluster.start(20, work)) {
 *     cluster.awaitAllAlive(Duration.ofSeconds(60));
 * }
 * }</pre>
 */
final class E2eCluster implements AutoCloseable {
    static final List<String> HOST_JVM = List.of("-Xmx1g");
    static final List<String> VICTIM_JVM = List.of("-Xmx256m");
    static final int LOW_PORT = 20_000;
    static final int HIGH_PORT = 32_000;
    static final int VICTIM_START_ATTEMPTS = 5;

    final int size;
    final int[] ports;
    final int victimPort;
    final String victimId;
    final EmbeddedKafka kafka;
    final E2eEvents events;
    final E2eChild host;
    E2eChild victim;
    /** When every node first saw every other ALIVE: false changes are counted from then on. */
    Instant settledAt = Instant.MAX;
    private final Path work;
    private int victimStarts;

    private E2eCluster(int size, int[] ports, EmbeddedKafka kafka, E2eEvents events, E2eChild host, E2eChild victim,
                       Path work) {
        this.size = size;
        this.ports = ports;
        this.victimPort = ports[size - 1];
        this.victimId = id(victimPort);
        this.kafka = kafka;
        this.events = events;
        this.host = host;
        this.victim = victim;
        this.work = work;
    }

    static String id(int port) {
        return "127.0.0.1:" + port;
    }

    static E2eCluster start(int size, Path work) throws Exception {
        Files.createDirectories(work);
        EmbeddedKafka kafka = EmbeddedKafka.create(Map.of("log.message.timestamp.type", "LogAppendTime"));
        E2eEvents events = null;
        E2eChild host = null;
        try {
            kafka.start();
            events = E2eEvents.start(kafka.bootstrapServers());
            int[] ports = freeUdpPorts(size);
            String all = Arrays.stream(ports).mapToObj(Integer::toString).collect(Collectors.joining(","));
            String hosted = Arrays.stream(ports, 0, size - 1).mapToObj(Integer::toString)
                    .collect(Collectors.joining(","));
            int victimPort = ports[size - 1];
            host = E2eChild.start("nodes", HOST_JVM, List.of(kafka.bootstrapServers(),
                    work.resolve("outbox").toString(), all, hosted, Integer.toString(victimPort)),
                    work.resolve("nodes.log"));
            E2eCluster cluster = new E2eCluster(size, ports, kafka, events, host, null, work);
            cluster.startVictim();
            return cluster;
        } catch (Exception | Error e) {
            if (host != null) {
                host.close();
            }
            if (events != null) {
                events.close();
            }
            kafka.close();
            throw e;
        }
    }

    /** (Re)starts the victim's JVM on its port, with a fresh outbox. */
    void startVictim() throws Exception {
        String all = Arrays.stream(ports).mapToObj(Integer::toString).collect(Collectors.joining(","));
        for (int attempt = 1; ; attempt++) {
            try {
                victim = E2eChild.start("victim", VICTIM_JVM, List.of(kafka.bootstrapServers(),
                        work.resolve("outbox-victim-" + (victimStarts++)).toString(), all, Integer.toString(victimPort),
                        Integer.toString(victimPort)), work.resolve("victim.log"));
                return;
            } catch (IllegalStateException e) { // its port still taken, most likely: see victim.log
                if (attempt == VICTIM_START_ATTEMPTS) {
                    throw e;
                }
                System.out.println("victim did not start (" + e.getMessage() + "); again in 2 s");
                Thread.sleep(2_000);
            }
        }
    }

    /** Sends {@code command} to both JVMs (e.g. {@code loss 0.1}). */
    void tellAll(String command) throws InterruptedException {
        host.ask(command, "OK", E2eChild.ANSWER_LIMIT);
        victim.ask(command, "OK", E2eChild.ANSWER_LIMIT);
    }

    boolean allAlive() {
        for (int observer : ports) {
            for (int node : ports) {
                if (observer != node && events.state(id(observer), id(node)) != NodeState.ALIVE) {
                    return false;
                }
            }
        }
        return true;
    }

    boolean awaitAllAlive(Duration limit) throws InterruptedException {
        return events.await(this::allAlive, limit);
    }

    /** The first datagram any of the N-1 nodes sent to the victim at or after {@code after}, or null. */
    Instant firstSentToVictim(Instant after) throws InterruptedException {
        long micros = Long.parseLong(host.ask("sent " + E2eNodesMain.toMicros(after), "SENT ", E2eChild.ANSWER_LIMIT));
        return micros < 0 ? null : E2eNodesMain.fromMicros(micros);
    }

    @Override
    public void close() throws Exception {
        try {
            if (victim != null) {
                victim.close();
            }
            host.close();
            events.close();
        } finally {
            kafka.close();
        }
    }

    /**
     * UDP ports free on 127.0.0.1 now, below the kernel's ephemeral range (32768 and up), so that
     * each node knows its peers' ports before they start, and so that a port freed by a killed
     * victim is not handed to someone else's port-0 socket (a DNS query, another test) before the
     * victim comes back on it.
     */
    static int[] freeUdpPorts(int count) throws IOException {
        List<DatagramSocket> sockets = new ArrayList<>();
        try {
            int[] ports = new int[count];
            int candidate = LOW_PORT + java.util.concurrent.ThreadLocalRandom.current().nextInt(HIGH_PORT - LOW_PORT);
            for (int i = 0; i < count; i++) {
                for (int tries = 0; ; tries++) {
                    candidate = candidate + 1 >= HIGH_PORT ? LOW_PORT : candidate + 1;
                    try {
                        DatagramSocket socket = new DatagramSocket(new InetSocketAddress(InetAddress.getLoopbackAddress(),
                                candidate));
                        sockets.add(socket);
                        ports[i] = candidate;
                        break;
                    } catch (java.net.SocketException inUse) {
                        if (tries > HIGH_PORT - LOW_PORT) {
                            throw inUse;
                        }
                    }
                }
            }
            return ports;
        } finally {
            sockets.forEach(DatagramSocket::close);
        }
    }
}
