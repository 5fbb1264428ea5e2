package io.pulse.bench;

import io.pulse.sidecar.FilteredSidecar;
import io.pulse.sidecar.Sidecar;
import io.pulse.sidecar.config.ConfigLoader;
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
 * in:  silent PORT | restore PORT | loss RATIO | sent AFTER_EPOCH_MICROS | stats [gc] | quit
 * out: READY | SILENT EPOCH_MICROS | OK | SENT EPOCH_MICROS(-1: none) | STATS cpuNanos heapBytes sent dropped loopCpuNanos,... | BYE
 * </pre>
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

    private E2eNodesMain() {
    }

    /** One node's filter: loss, silence, the victim's send log, and which thread is its event loop. */
    static final class NodeFilter implements DatagramFilter {
        final int watchPort;
        volatile boolean silent;
        volatile long loopThreadId = -1;
        /** Outbound datagrams sent, and datagrams dropped (outbound by loss; in and out while silent). */
        final AtomicLong passed = new AtomicLong();
        final AtomicLong dropped = new AtomicLong();

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

    public static void main(String[] args) throws Exception {
        String bootstrap = args[0];
        String outboxDir = args[1];
        int[] all = Arrays.stream(args[2].split(",")).mapToInt(Integer::parseInt).toArray();
        int[] hosted = Arrays.stream(args[3].split(",")).mapToInt(Integer::parseInt).toArray();
        int watchPort = Integer.parseInt(args[4]);
        Map<Integer, NodeFilter> filters = new LinkedHashMap<>();
        List<Sidecar> nodes = new ArrayList<>();
        Runtime.getRuntime().addShutdownHook(new Thread(() -> nodes.forEach(E2eNodesMain::closeQuietly)));
        for (int port : hosted) {
            Map<String, String> settings = new LinkedHashMap<>();
            settings.put(SidecarSettings.NODE_BIND, "127.0.0.1:" + port);
            List<String> peers = new ArrayList<>();
            for (int other : all) {
                if (other != port) {
                    peers.add("127.0.0.1:" + other);
                }
            }
            settings.put(SidecarSettings.TARGETS, String.join(",", peers));
            settings.put(SidecarSettings.KAFKA_BOOTSTRAP_SERVERS, bootstrap);
            settings.put(SidecarSettings.OUTBOX_DIR, outboxDir + "/node-" + port);
            settings.put(SidecarSettings.HTTP_ENABLED, "false");
            NodeFilter filter = new NodeFilter(watchPort);
            filters.put(port, filter);
            nodes.add(FilteredSidecar.start(ConfigLoader.load(null, Map.of(), settings), filter));
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
                    NodeFilter filter = filters.get(Integer.parseInt(words[1]));
                    long at = epochMicros(); // read before the switch: the figure errs long, never short
                    filter.silent = true;
                    System.out.println("SILENT " + at);
                }
                case "restore" -> {
                    filters.get(Integer.parseInt(words[1])).silent = false;
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
                    for (NodeFilter filter : filters.values()) {
                        long cpu = filter.loopThreadId < 0 ? -1 : threads.getThreadCpuTime(filter.loopThreadId);
                        loops.append(loops.length() == 0 ? "" : ",").append(cpu);
                        passed += filter.passed.get();
                        dropped += filter.dropped.get();
                    }
                    boolean gc = words.length > 1 && words[1].equals("gc");
                    if (gc) {
                        for (int i = 0; i < 3; i++) {
                            System.gc();
                            Thread.sleep(200);
                        }
                    }
                    long heap = ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
                    System.out.println("STATS " + os.getProcessCpuTime() + " " + heap + " " + passed + " " + dropped
                            + " " + loops);
                }
                case "quit" -> {
                    nodes.forEach(E2eNodesMain::closeQuietly);
                    nodes.clear();
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
