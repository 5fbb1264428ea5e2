package io.pulse.kafka.testing;

import java.io.IOException;
import java.util.Map;
import kafka.server.KafkaConfig;
import kafka.server.KafkaRaftServer;
import org.apache.kafka.common.utils.Time;
import org.apache.kafka.common.utils.internals.Exit;

/**
 * A broker in the test JVM ({@link KafkaRaftServer}); Kafka's exit and halt procedures are
 * replaced so that a broker error fails the test instead of ending the JVM.
 */
final class InJvmBroker implements TestBroker {
    private final BrokerFiles files;
    private KafkaRaftServer server;

    InJvmBroker(Map<String, String> overrides) throws IOException {
        this.files = new BrokerFiles(overrides);
    }

    @Override
    public String bootstrapServers() {
        return files.bootstrapServers();
    }

    @Override
    public synchronized void start() throws Exception {
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
        KafkaRaftServer started = new KafkaRaftServer(KafkaConfig.fromProps(files.properties, false), Time.SYSTEM);
        started.startup();
        server = started;
        files.awaitServing();
    }

    @Override
    public synchronized void stop() {
        if (server != null) {
            server.shutdown();
            server.awaitShutdown();
            server = null;
        }
    }

    @Override
    public synchronized boolean isRunning() {
        return server != null;
    }

    @Override
    public void destroy() {
        try {
            stop();
        } finally {
            files.delete();
        }
    }
}
