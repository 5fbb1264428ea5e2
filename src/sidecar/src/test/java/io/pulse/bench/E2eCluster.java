package io.pulse.bench;

import io.pulse.embedded.EmbeddedKafka;
import io.pulse.events.NodeState;
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
    /** Cluster mode: the nodes are members of one group, joined through {@link #seeds}; null: static full mesh. */
    final int[] seeds;

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

    private E2eCluster(
            int size,
            int[] ports,
            int[] seeds,
            EmbeddedKafka kafka,
            E2eEvents events,
            E2eChild host,
            E2eChild victim,
            Path work) {
        this.size = size;
        this.seeds = seeds;
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
        return start(size, work, false, false);
    }

    /** The cluster members' seeds: the first {@value #SEEDS} ports (never the victim's, for N > 3). */
    static final int SEEDS = 3;

    /**
     * @param cluster  cluster mode: members of one group instead of a full mesh of static targets
     * @param joinOnly cluster mode only: every node in the hosts' JVM and none started before
     *                 {@code startall} (a join storm); no victim
     */
    static E2eCluster start(int size, Path work, boolean cluster, boolean joinOnly) throws Exception {
        Files.createDirectories(work);
        EmbeddedKafka kafka = EmbeddedKafka.create(Map.of("log.message.timestamp.type", "LogAppendTime"));
        E2eEvents events = null;
        E2eChild host = null;
        try {
            kafka.start();
            events = E2eEvents.start(kafka.bootstrapServers());
            int[] ports = freeUdpPorts(size);
            String all = Arrays.stream(ports).mapToObj(Integer::toString).collect(Collectors.joining(","));
            String hosted = Arrays.stream(ports, 0, joinOnly ? size : size - 1)
                    .mapToObj(Integer::toString)
                    .collect(Collectors.joining(","));
            int victimPort = ports[size - 1];
            int[] seeds = cluster ? Arrays.copyOf(ports, Math.min(SEEDS, size)) : null;
            List<String> args = new ArrayList<>(List.of(
                    kafka.bootstrapServers(),
                    work.resolve("outbox").toString(),
                    all,
                    hosted,
                    Integer.toString(victimPort)));
            if (cluster) {
                args.addAll(List.of(
                        "cluster",
                        Arrays.stream(seeds).mapToObj(Integer::toString).collect(Collectors.joining(","))));
                if (joinOnly) {
                    args.add("defer");
                }
            }
            host = E2eChild.start("nodes", hostJvm(size), args, work.resolve("nodes.log"));
            E2eCluster result = new E2eCluster(size, ports, seeds, kafka, events, host, null, work);
            if (!joinOnly) {
                result.startVictim();
            }
            return result;
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

    /** The hosts' JVM heap: 1 GiB as before up to 50 nodes, more for the cluster mode's larger N. */
    static List<String> hostJvm(int size) {
        return size <= 50 ? HOST_JVM : List.of("-Xmx" + Math.max(1, (size * 12 + 1023) / 1024) + "g");
    }

    boolean clusterMode() {
        return seeds != null;
    }

    /** (Re)starts the victim's JVM on its port, with a fresh outbox. */
    void startVictim() throws Exception {
        String all = Arrays.stream(ports).mapToObj(Integer::toString).collect(Collectors.joining(","));
        for (int attempt = 1; ; attempt++) {
            try {
                List<String> args = new ArrayList<>(List.of(
                        kafka.bootstrapServers(),
                        work.resolve("outbox-victim-" + (victimStarts++)).toString(),
                        all,
                        Integer.toString(victimPort),
                        Integer.toString(victimPort)));
                if (clusterMode()) {
                    args.addAll(List.of(
                            "cluster",
                            Arrays.stream(seeds).mapToObj(Integer::toString).collect(Collectors.joining(","))));
                }
                victim = E2eChild.start("victim", VICTIM_JVM, args, work.resolve("victim.log"));
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

    /** Cluster mode: the JVMs' views summed (members, min and max ALIVE seen by one, SUSPECT, DEAD, LEFT entries). */
    long[] view() throws InterruptedException {
        long[] sum = parse(host.ask("view", "VIEW ", E2eChild.ANSWER_LIMIT));
        if (victim != null) {
            long[] v = parse(victim.ask("view", "VIEW ", E2eChild.ANSWER_LIMIT));
            sum[0] += v[0];
            sum[1] = Math.min(sum[1], v[1]);
            sum[2] = Math.max(sum[2], v[2]);
            for (int i = 3; i < 6; i++) {
                sum[i] += v[i];
            }
        }
        return sum;
    }

    static long[] parse(String line) {
        return Arrays.stream(line.trim().split(" ")).mapToLong(Long::parseLong).toArray();
    }

    /** Cluster mode: every running member sees all {@link #size} members ALIVE (itself included). */
    boolean clusterAllAlive() throws InterruptedException {
        long[] v = view();
        return v[0] == size && v[1] == size;
    }

    /** Waits until {@link #clusterAllAlive()}, polling every {@code pollMillis}; false after {@code limit}. */
    boolean awaitClusterAllAlive(Duration limit, long pollMillis) throws InterruptedException {
        long deadline = System.nanoTime() + limit.toNanos();
        while (!clusterAllAlive()) {
            if (System.nanoTime() > deadline) {
                return false;
            }
            Thread.sleep(pollMillis);
        }
        return true;
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
        if (clusterMode()) {
            return awaitClusterAllAlive(limit, 250);
        }
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
            int candidate =
                    LOW_PORT + java.util.concurrent.ThreadLocalRandom.current().nextInt(HIGH_PORT - LOW_PORT);
            for (int i = 0; i < count; i++) {
                for (int tries = 0; ; tries++) {
                    candidate = candidate + 1 >= HIGH_PORT ? LOW_PORT : candidate + 1;
                    try {
                        DatagramSocket socket =
                                new DatagramSocket(new InetSocketAddress(InetAddress.getLoopbackAddress(), candidate));
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
