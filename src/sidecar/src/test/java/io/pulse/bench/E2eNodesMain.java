package io.pulse.bench;

import io.pulse.core.Liveness;
import io.pulse.sidecar.FilteredSidecar;
import io.pulse.sidecar.Sidecar;
import io.pulse.sidecar.config.ConfigLoader;
import io.pulse.sidecar.config.SecuritySettings;
import io.pulse.sidecar.config.SidecarSettings;
import io.pulse.transport.DatagramFilter;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Some of the Pulse nodes of {@link E2eDetectionHarness}, in one JVM: each a real {@link Sidecar}
 * (its own engine, event loop thread, UDP socket, outbox and Kafka producer) watching every other
 * node of the cluster with the default detector settings, its datagrams passed through a
 * {@link NodeFilter}. Talks to the harness on stdin and stdout, one line each way; stdin closed
 * (the harness gone) ends it.
 *
 * <pre>
 * java ... io.pulse.bench.E2eNodesMain bootstrap outboxDir allPorts(p1,p2,...) hostedPorts(p,...) watchPort
 *      [cluster SEEDPORTS(p,...) [defer]]
 * in:  silent PORT | restore PORT | loss RATIO | sent AFTER_EPOCH_MICROS | stats [gc] | quit
 *      cluster mode: view | dead PORT AFTER_EPOCH_MICROS | leave PORT | start PORT | startall
 * out: READY | SILENT EPOCH_MICROS | OK | SENT EPOCH_MICROS(-1: none)
 *      | STATS cpuNanos heapBytes sent dropped loopCpuNanos,... received | BYE
 *      | VIEW members minAlive maxAlive suspect dead left (summed over the hosted members' views)
 *      | DEAD members seeing PORT DEAD since AFTER, first since, last since (epoch micros, -1: none)
 *      | LEFT micros-before micros-after | STARTED first-micros last-micros
 * </pre>
 *
 * <p>In cluster mode ({@code cluster SEEDPORTS}) each hosted node is a cluster member
 * ({@code cluster.enabled}, {@code cluster.join} the seed ports but its own, no targets), with the
 * default detector and cluster settings. {@code leave} closes a member as SIGTERM does (LEFT
 * announced), {@code start} starts it again on its port; {@code defer} starts no member before
 * {@code startall}, which starts every hosted member at once (a join storm).
 *
 * Loss is applied to outbound datagrams only, so that each datagram (PING, ACK, PING_REQ, relayed
 * PING or ACK) crosses exactly one filter and is lost with probability RATIO, in both directions of
 * every exchange. A silent node drops everything, in and out. Every datagram sent to
 * {@code watchPort} (the victim) has its send time kept, so that the harness can ask for the first
 * probe sent to the victim after it was killed.
 */
public final class E2eNodesMain {
    /** Send times (epoch micros) of the last datagrams to the watched port, newest last. */
    static final long[] SENT_TO_WATCHED = new long[8192];

    static long sentCount;
    static volatile double lossRatio;

    private E2eNodesMain() {}

    /** One node's filter: loss, silence, the victim's send log, and which thread is its event loop. */
    static final class NodeFilter implements DatagramFilter {
        final int watchPort;
        volatile boolean silent;
        volatile long loopThreadId = -1;
        /** Outbound datagrams sent, and datagrams dropped (outbound by loss; in and out while silent). */
        final AtomicLong passed = new AtomicLong();

        final AtomicLong dropped = new AtomicLong();
        /** Inbound datagrams let through. */
        final AtomicLong received = new AtomicLong();

        NodeFilter(int watchPort) {
            this.watchPort = watchPort;
        }

        @Override
        public boolean pass(Direction direction, InetSocketAddress peer) {
            if (loopThreadId < 0) {
                loopThreadId = Thread.currentThread().getId();
            }
            if (silent) {
                dropped.incrementAndGet();
                return false;
            }
            if (direction == Direction.OUTBOUND) {
                double loss = lossRatio;
                if (loss > 0 && ThreadLocalRandom.current().nextDouble() < loss) {
                    dropped.incrementAndGet();
                    return false;
                }
                if (peer.getPort() == watchPort) {
                    logSent(epochMicros());
                }
                passed.incrementAndGet();
            } else {
                received.incrementAndGet();
            }
            return true;
        }
    }

    static long epochMicros() {
        return toMicros(Instant.now());
    }

    static long toMicros(Instant at) {
        return ChronoUnit.MICROS.between(Instant.EPOCH, at);
    }

    static Instant fromMicros(long micros) {
        return Instant.EPOCH.plus(micros, ChronoUnit.MICROS);
    }

    static synchronized void logSent(long micros) {
        SENT_TO_WATCHED[(int) (sentCount++ % SENT_TO_WATCHED.length)] = micros;
    }

    static synchronized long firstSentAfter(long afterMicros) {
        long first = -1;
        long oldest = Math.max(0, sentCount - SENT_TO_WATCHED.length);
        for (long i = oldest; i < sentCount; i++) {
            long t = SENT_TO_WATCHED[(int) (i % SENT_TO_WATCHED.length)];
            if (t >= afterMicros && (first < 0 || t < first)) {
                first = t;
            }
        }
        return first;
    }

    /** How the nodes of this JVM are made: the ports, Kafka, and (cluster mode) the seeds. */
    /**
     * Cluster mode: {@code cluster.hold.down} for every member, when set. The harness kills the same
     * victim again and again; within the hold-down window (10 minutes by default) its second failure
     * is FLAPPING, with no FailureMessage, and the group never sees all members ALIVE again.
     */
    static final String HOLD_DOWN_ENV = "PULSE_E2E_HOLD_DOWN";

    /** {@code detector.profile} for every node, when set: {@code PULSE_E2E_PROFILE=fast}. */
    static final String PROFILE_ENV = "PULSE_E2E_PROFILE";

    record Setup(String bootstrap, String outboxDir, int[] all, int watchPort, int[] seeds) {
        boolean cluster() {
            return seeds != null;
        }

        Map<String, String> settings(int port, int generation) {
            Map<String, String> settings = new LinkedHashMap<>();
            settings.put(SidecarSettings.NODE_BIND, "127.0.0.1:" + port);
            String profile = System.getenv(PROFILE_ENV);
            if (profile != null) {
                settings.put(SidecarSettings.DETECTOR_PROFILE, profile);
            }
            if (cluster()) {
                settings.put(SidecarSettings.CLUSTER_ENABLED, "true");
                List<String> join = new ArrayList<>();
                for (int seed : seeds) {
                    if (seed != port) {
                        join.add("127.0.0.1:" + seed);
                    }
                }
                if (!join.isEmpty()) {
                    settings.put(SidecarSettings.CLUSTER_JOIN, String.join(",", join));
                }
            } else {
                List<String> peers = new ArrayList<>();
                for (int other : all) {
                    if (other != port) {
                        peers.add("127.0.0.1:" + other);
                    }
                }
                settings.put(SidecarSettings.TARGETS, String.join(",", peers));
            }
            settings.put(SidecarSettings.KAFKA_BOOTSTRAP_SERVERS, bootstrap);
            settings.put(
                    SidecarSettings.OUTBOX_DIR,
                    outboxDir + "/node-" + port + (generation == 0 ? "" : "-" + generation));
            settings.put(SidecarSettings.HTTP_ENABLED, "false");
            String holdDown = System.getenv(HOLD_DOWN_ENV);
            if (cluster() && holdDown != null) {
                settings.put(SidecarSettings.CLUSTER_HOLD_DOWN, holdDown);
            }
            return settings;
        }
    }

    /** The hosted nodes, by port: each its filter and, while it runs, its sidecar. */
    static final Map<Integer, NodeFilter> FILTERS = new java.util.concurrent.ConcurrentHashMap<>();

    static final Map<Integer, Sidecar> NODES = new java.util.concurrent.ConcurrentHashMap<>();
    static final Map<Integer, Integer> GENERATIONS = new java.util.concurrent.ConcurrentHashMap<>();
    /** Filters of members that were stopped: their counts still belong to the JVM's totals. */
    static final List<NodeFilter> RETIRED = new java.util.concurrent.CopyOnWriteArrayList<>();

    static void startNode(Setup setup, int port) {
        int generation = GENERATIONS.merge(port, 1, Integer::sum) - 1;
        NodeFilter filter = new NodeFilter(setup.watchPort());
        NodeFilter old = FILTERS.put(port, filter);
        if (old != null) {
            RETIRED.add(old);
        }
        NODES.put(
                port,
                FilteredSidecar.start(
                        ConfigLoader.load(
                                null,
                                Map.of(SecuritySettings.ENV_KEYS, System.getenv(SecuritySettings.ENV_KEYS)),
                                setup.settings(port, generation)),
                        filter));
    }

    /** Starts {@code ports}: in parallel in cluster mode (the first alone first: it founds the cluster), one by one otherwise. */
    static long[] startNodes(Setup setup, int[] ports, boolean atOnce) throws Exception {
        long first = epochMicros();
        if (!setup.cluster() || ports.length < 2) {
            for (int port : ports) {
                startNode(setup, port);
            }
            return new long[] {first, epochMicros()};
        }
        int from = 0;
        if (!atOnce) {
            startNode(setup, ports[0]);
            from = 1;
        }
        java.util.concurrent.ExecutorService pool =
                java.util.concurrent.Executors.newFixedThreadPool(Math.min(16, ports.length - from));
        try {
            List<java.util.concurrent.Future<?>> started = new ArrayList<>();
            for (int i = from; i < ports.length; i++) {
                int port = ports[i];
                started.add(pool.submit(() -> startNode(setup, port)));
            }
            for (java.util.concurrent.Future<?> f : started) {
                f.get();
            }
        } finally {
            pool.shutdown();
        }
        return new long[] {first, epochMicros()};
    }

    public static void main(String[] args) throws Exception {
        String bootstrap = args[0];
        String outboxDir = args[1];
        int[] all =
                Arrays.stream(args[2].split(",")).mapToInt(Integer::parseInt).toArray();
        int[] hosted =
                Arrays.stream(args[3].split(",")).mapToInt(Integer::parseInt).toArray();
        int watchPort = Integer.parseInt(args[4]);
        boolean cluster = args.length > 6 && args[5].equals("cluster");
        boolean defer = cluster && args.length > 7 && args[7].equals("defer");
        Setup setup = new Setup(
                bootstrap,
                outboxDir,
                all,
                watchPort,
                cluster
                        ? Arrays.stream(args[6].split(","))
                                .mapToInt(Integer::parseInt)
                                .toArray()
                        : null);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> NODES.values().forEach(E2eNodesMain::closeQuietly)));
        if (!defer) {
            startNodes(setup, hosted, false);
        }
        System.out.println("READY");
        System.out.flush();
        var os = (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
        ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.US_ASCII));
        for (String line; (line = in.readLine()) != null; ) {
            String[] words = line.trim().split(" ");
            switch (words[0]) {
                case "silent" -> {
                    NodeFilter filter = FILTERS.get(Integer.parseInt(words[1]));
                    long at = epochMicros(); // read before the switch: the figure errs long, never short
                    filter.silent = true;
                    System.out.println("SILENT " + at);
                }
                case "restore" -> {
                    FILTERS.get(Integer.parseInt(words[1])).silent = false;
                    System.out.println("OK");
                }
                case "loss" -> {
                    lossRatio = Double.parseDouble(words[1]);
                    System.out.println("OK");
                }
                case "sent" -> System.out.println("SENT " + firstSentAfter(Long.parseLong(words[1])));
                case "stats" -> {
                    StringBuilder loops = new StringBuilder();
                    long passed = 0;
                    long dropped = 0;
                    long received = 0;
                    for (int port : hosted) {
                        NodeFilter filter = FILTERS.get(port);
                        long cpu = filter == null || filter.loopThreadId < 0
                                ? -1
                                : threads.getThreadCpuTime(filter.loopThreadId);
                        loops.append(loops.length() == 0 ? "" : ",").append(cpu);
                    }
                    List<NodeFilter> counted = new ArrayList<>(FILTERS.values());
                    counted.addAll(RETIRED);
                    for (NodeFilter filter : counted) {
                        passed += filter.passed.get();
                        dropped += filter.dropped.get();
                        received += filter.received.get();
                    }
                    boolean gc = words.length > 1 && words[1].equals("gc");
                    if (gc) {
                        for (int i = 0; i < 3; i++) {
                            System.gc();
                            Thread.sleep(200);
                        }
                    }
                    long heap = ManagementFactory.getMemoryMXBean()
                            .getHeapMemoryUsage()
                            .getUsed();
                    System.out.println("STATS " + os.getProcessCpuTime() + " " + heap + " " + passed + " " + dropped
                            + " " + loops + " " + received);
                }
                case "view" -> {
                    int count = 0;
                    int minAlive = Integer.MAX_VALUE;
                    int maxAlive = 0;
                    long flapping = 0;
                    long dead = 0;
                    long left = 0;
                    for (Sidecar node : NODES.values()) {
                        io.pulse.core.ClusterStats stats = node.engine().clusterStats();
                        count++;
                        minAlive = Math.min(minAlive, stats.alive());
                        maxAlive = Math.max(maxAlive, stats.alive());
                        flapping += stats.flapping();
                        dead += stats.dead();
                        left += stats.left();
                    }
                    System.out.println("VIEW " + count + " " + (count == 0 ? 0 : minAlive) + " " + maxAlive + " "
                            + flapping + " " + dead + " " + left);
                }
                case "dead" -> {
                    String id = "127.0.0.1:" + words[1];
                    long after = Long.parseLong(words[2]);
                    int seeing = 0;
                    long first = -1;
                    long last = -1;
                    for (Map.Entry<Integer, Sidecar> node : NODES.entrySet()) {
                        if (node.getKey() == Integer.parseInt(words[1])) {
                            continue;
                        }
                        for (io.pulse.core.MemberStatus m :
                                node.getValue().engine().members()) {
                            if (m.id().toString().equals(id) && m.state() == Liveness.DEAD) {
                                long since = toMicros(m.since());
                                if (since >= after) {
                                    seeing++;
                                    first = first < 0 ? since : Math.min(first, since);
                                    last = Math.max(last, since);
                                }
                            }
                        }
                    }
                    System.out.println("DEAD " + seeing + " " + first + " " + last);
                }
                case "leave" -> {
                    long before = epochMicros();
                    Sidecar node = NODES.remove(Integer.parseInt(words[1]));
                    node.close(); // announces LEFT first, as on SIGTERM
                    System.out.println("LEFT " + before + " " + epochMicros());
                }
                case "start" -> {
                    long before = epochMicros();
                    startNode(setup, Integer.parseInt(words[1]));
                    System.out.println("STARTED " + before + " " + epochMicros());
                }
                case "startall" -> {
                    long[] times = startNodes(setup, hosted, true);
                    System.out.println("STARTED " + times[0] + " " + times[1]);
                }
                case "quit" -> {
                    NODES.values().forEach(E2eNodesMain::closeQuietly);
                    NODES.clear();
                    System.out.println("BYE");
                    System.out.flush();
                    return;
                }
                default -> System.out.println("ERROR unknown command " + line);
            }
            System.out.flush();
        }
        // stdin closed: the harness is gone; the shutdown hook closes the nodes.
        System.exit(0);
    }

    private static void closeQuietly(Sidecar node) {
        try {
            node.close();
        } catch (RuntimeException e) {
            // on the way out: nothing left to report to
        }
    }
}
