package io.pulse.embedded;

import java.io.IOException;
import java.util.Map;
import kafka.server.KafkaConfig;
import kafka.server.KafkaRaftServer;
import org.apache.kafka.common.utils.Time;
import org.apache.kafka.common.utils.internals.Exit;

/**
 * A real single-node Apache Kafka broker (KRaft, broker and controller in one) in this JVM, on
 * 127.0.0.1 and free ports, with its storage in a temporary directory: for {@code pulse demo},
 * {@code pulse run --embedded-kafka} and tests. Not for production.
 *
 * <pre>{@code
 * try (EmbeddedKafka kafka = EmbeddedKafka.create(Map.of())) {
 *     kafka.start();
 *     publisher = PulsePublisher.builder().bootstrapServers(kafka.bootstrapServers())...
 * }
 * }</pre>
 *
 * Kafka's exit and halt procedures are replaced while it runs, so that a broker error throws
 * instead of ending the JVM. {@link #stop()} and a later {@link #start()} keep the ports and the data.
 */
public final class EmbeddedKafka implements AutoCloseable {
    private final BrokerFiles files;
    private KafkaRaftServer server;

    private EmbeddedKafka(BrokerFiles files) {
        this.files = files;
    }

    /**
     * A broker not started yet, with its ports chosen and its directory made; {@code overrides}
     * replace {@code server.properties} entries.
     */
    public static EmbeddedKafka create(Map<String, String> overrides) throws IOException {
        return new EmbeddedKafka(new BrokerFiles(overrides));
    }

    /** {@code 127.0.0.1:<port>}. */
    public String bootstrapServers() {
        return files.bootstrapServers();
    }

    /**
     * Starts the broker (formatting its storage the first time) and returns once it serves
     * clients; after {@link #stop()}, starts it again on the same data and ports. A no-op while running.
     */
    public synchronized void start() throws IOException, InterruptedException {
        if (server != null) {
            return;
        }
        Exit.setExitProcedure((code, message) -> {
            throw new IllegalStateException("Kafka tried to exit the JVM with " + code + ": " + message);
        });
        Exit.setHaltProcedure((code, message) -> {
            throw new IllegalStateException("Kafka tried to halt the JVM with " + code + ": " + message);
        });
        files.formatIfNeeded();
        KafkaRaftServer started = new KafkaRaftServer(KafkaConfig.fromProps(files.properties(), false), Time.SYSTEM);
        try {
            started.startup();
            files.awaitServing();
        } catch (RuntimeException | InterruptedException e) {
            started.shutdown();
            started.awaitShutdown();
            throw e;
        }
        server = started;
    }

    /** A clean shutdown; the data stays for a later {@link #start()}. */
    public synchronized void stop() {
        if (server != null) {
            server.shutdown();
            server.awaitShutdown();
            server = null;
            Exit.resetExitProcedure();
            Exit.resetHaltProcedure();
        }
    }

    public synchronized boolean isRunning() {
        return server != null;
    }

    /** Stops the broker and deletes its storage. */
    @Override
    public void close() {
        try {
            stop();
        } finally {
            files.delete();
        }
    }
}
