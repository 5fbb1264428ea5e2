package io.pulse.testkit;

import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * A JUnit 5 extension that gives a test class one real Kafka broker (KRaft, single node, from the
 * {@code kafka_2.13} artifact), started before the first test and deleted after the last.
 *
 * <pre>{@code
 * @RegisterExtension
 * static final KafkaBrokerExtension kafka = KafkaBrokerExtension.inJvm();        // fast, in the test JVM
 * // or KafkaBrokerExtension.childJvm() where a test stops or SIGKILLs it: kafka.broker().kill()
 * }</pre>
 *
 * Broker properties can be overridden with {@link #with(String, String)} before the class starts.
 */
public final class KafkaBrokerExtension implements BeforeAllCallback, AfterAllCallback {
    private final boolean childJvm;
    private final Map<String, String> overrides = new HashMap<>();
    private TestBroker broker;

    private KafkaBrokerExtension(boolean childJvm) {
        this.childJvm = childJvm;
    }

    /** A broker in the test JVM: starts in a few seconds, can be stopped and started. */
    public static KafkaBrokerExtension inJvm() {
        return new KafkaBrokerExtension(false);
    }

    /** A broker in its own JVM: can also be killed with SIGKILL. */
    public static KafkaBrokerExtension childJvm() {
        return new KafkaBrokerExtension(true);
    }

    /** Overrides one broker property (server.properties). */
    public KafkaBrokerExtension with(String key, String value) {
        overrides.put(key, value);
        return this;
    }

    @Override
    public void beforeAll(ExtensionContext context) throws Exception {
        broker = childJvm ? TestBroker.childJvm(overrides) : TestBroker.inJvm(overrides);
        broker.start();
    }

    @Override
    public void afterAll(ExtensionContext context) throws Exception {
        if (broker != null) {
            broker.destroy();
            broker = null;
        }
    }

    /**
     * The command that starts a JVM like this one ({@code java}, this class path), for a test that
     * runs a process it can kill: append the main class and its arguments.
     */
    public static java.util.List<String> javaCommand(String... jvmOptions) {
        return ChildJvmBroker.javaCommand(jvmOptions);
    }

    public String bootstrapServers() {
        return broker().bootstrapServers();
    }

    public TestBroker broker() {
        if (broker == null) {
            throw new IllegalStateException("the broker starts before the first test of the class");
        }
        return broker;
    }
}
