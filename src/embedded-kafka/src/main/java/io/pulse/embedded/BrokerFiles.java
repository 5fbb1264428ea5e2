package io.pulse.embedded;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.Map;
import java.util.Properties;
import java.util.stream.Stream;
import kafka.tools.StorageTool;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.DescribeClusterOptions;
import org.apache.kafka.common.Uuid;

/**
 * The directory, ports, {@code server.properties} and formatted storage of one single-node KRaft
 * broker on 127.0.0.1 (broker and controller in one), for {@link EmbeddedKafka} and for a broker
 * run as a child process ({@code kafka.Kafka <propertiesFile>}).
 *
 * <pre>{@code
 * BrokerFiles files = new BrokerFiles(Map.of());
 * files.formatIfNeeded();
 * // start kafka.Kafka files.propertiesFile() in a child JVM, then:
 * files.awaitServing();
 * }</pre>
 *
 * The ports are chosen free when the files are made and kept across restarts, so clients
 * reconnect to the same address.
 */
public final class BrokerFiles {
    public static final Duration START_TIMEOUT = Duration.ofSeconds(60);

    private final Path dir;
    private final Path propertiesFile;
    private final Properties properties;

    /** New files in a fresh temporary directory; {@code overrides} replace server.properties entries. */
    public BrokerFiles(Map<String, String> overrides) throws IOException {
        this.dir = Files.createTempDirectory("pulse-kafka-");
        int brokerPort = freePort();
        int controllerPort = freePort();
        this.properties = new Properties();
        properties.put("process.roles", "broker,controller");
        properties.put("node.id", "1");
        properties.put("controller.quorum.bootstrap.servers", "127.0.0.1:" + controllerPort);
        properties.put(
                "listeners", "PLAINTEXT://127.0.0.1:" + brokerPort + ",CONTROLLER://127.0.0.1:" + controllerPort);
        properties.put("advertised.listeners", "PLAINTEXT://127.0.0.1:" + brokerPort);
        properties.put("controller.listener.names", "CONTROLLER");
        properties.put("inter.broker.listener.name", "PLAINTEXT");
        properties.put("listener.security.protocol.map", "PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT");
        properties.put("log.dirs", dir.resolve("data").toString());
        properties.put("num.partitions", "1");
        properties.put("auto.create.topics.enable", "false");
        properties.put("offsets.topic.replication.factor", "1");
        properties.put("offsets.topic.num.partitions", "1");
        properties.put("transaction.state.log.replication.factor", "1");
        properties.put("transaction.state.log.min.isr", "1");
        properties.put("share.coordinator.state.topic.replication.factor", "1");
        properties.put("share.coordinator.state.topic.min.isr", "1");
        properties.put("group.initial.rebalance.delay.ms", "0");
        properties.putAll(overrides);
        this.propertiesFile = dir.resolve("server.properties");
        try (OutputStream out = Files.newOutputStream(propertiesFile)) {
            properties.store(out, "Pulse embedded broker");
        }
    }

    /** The broker's directory: {@code server.properties}, the data, and whatever a caller keeps there (logs). */
    public Path dir() {
        return dir;
    }

    /** {@code server.properties}, for {@code kafka.Kafka <file>} in a child JVM. */
    public Path propertiesFile() {
        return propertiesFile;
    }

    /** A copy of the broker's properties. */
    public Properties properties() {
        Properties copy = new Properties();
        copy.putAll(properties);
        return copy;
    }

    /**
     * {@code host:port} of the PLAINTEXT listener, as advertised: the one chosen here, or the one of
     * an {@code advertised.listeners} override (a broker with more listeners, SASL for one).
     */
    public String bootstrapServers() {
        String prefix = "PLAINTEXT://";
        for (String listener : properties.getProperty("advertised.listeners").split(",")) {
            if (listener.trim().startsWith(prefix)) {
                return listener.trim().substring(prefix.length());
            }
        }
        throw new IllegalStateException("advertised.listeners " + properties.getProperty("advertised.listeners")
                + " has no PLAINTEXT listener (expected: one, which the broker is checked and administered through)");
    }

    /** {@code kafka-storage.sh format --standalone}, once. */
    public void formatIfNeeded() throws IOException {
        if (Files.exists(dir.resolve("data").resolve("meta.properties"))) {
            return;
        }
        ByteArrayOutputStream output = new ByteArrayOutputStream();
        int code = StorageTool.execute(
                new String[] {
                    "format", "--standalone", "-t", Uuid.randomUuid().toString(), "-c", propertiesFile.toString()
                },
                new PrintStream(output, true, StandardCharsets.UTF_8));
        if (code != 0) {
            throw new IOException(
                    "formatting " + dir + " failed with " + code + ": " + output.toString(StandardCharsets.UTF_8));
        }
    }

    /** Waits until the broker answers a describeCluster; throws if it does not within the start timeout. */
    public void awaitServing() throws InterruptedException {
        long deadline = System.nanoTime() + START_TIMEOUT.toNanos();
        Exception last = null;
        try (Admin admin = Admin.create(Map.of(
                "bootstrap.servers",
                bootstrapServers(),
                "request.timeout.ms",
                2_000,
                "default.api.timeout.ms",
                2_000))) {
            while (System.nanoTime() < deadline) {
                try {
                    if (!admin.describeCluster(new DescribeClusterOptions().timeoutMs(2_000))
                            .nodes()
                            .get()
                            .isEmpty()) {
                        return;
                    }
                } catch (java.util.concurrent.ExecutionException e) {
                    last = e;
                }
                Thread.sleep(100);
            }
        }
        throw new IllegalStateException(
                "broker at " + bootstrapServers() + " did not serve within " + START_TIMEOUT, last);
    }

    /** Deletes the directory and everything in it. */
    public void delete() {
        try (Stream<Path> paths = Files.walk(dir)) {
            paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A TCP port free on 127.0.0.1 now. */
    public static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            socket.setReuseAddress(true);
            return socket.getLocalPort();
        }
    }
}
