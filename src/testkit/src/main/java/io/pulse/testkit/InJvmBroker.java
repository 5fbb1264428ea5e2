package io.pulse.testkit;

import io.pulse.embedded.EmbeddedKafka;
import java.io.IOException;
import java.util.Map;

/** A broker in the test JVM: the sidecar's {@link EmbeddedKafka}. */
final class InJvmBroker implements TestBroker {
    private final EmbeddedKafka kafka;

    InJvmBroker(Map<String, String> overrides) throws IOException {
        this.kafka = EmbeddedKafka.create(overrides);
    }

    @Override
    public String bootstrapServers() {
        return kafka.bootstrapServers();
    }

    @Override
    public void start() throws Exception {
        kafka.start();
    }

    @Override
    public void stop() {
        kafka.stop();
    }

    @Override
    public boolean isRunning() {
        return kafka.isRunning();
    }

    @Override
    public void destroy() {
        kafka.close();
    }
}
