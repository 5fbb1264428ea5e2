package io.pulse.testkit;

/**
 * A real single-node KRaft Kafka (broker and controller in one) on 127.0.0.1, on ports chosen
 * free at creation and kept across restarts, so clients reconnect to the same address.
 *
 * <pre>{@code
 * @RegisterExtension
 * static final KafkaBrokerExtension kafka = KafkaBrokerExtension.inJvm();
 * ...
 * props.put("bootstrap.servers", kafka.bootstrapServers());
 * }</pre>
 */
public interface TestBroker {

    /** A broker in this JVM, not started yet; {@code overrides} replace server.properties entries. */
    static TestBroker inJvm(java.util.Map<String, String> overrides) throws java.io.IOException {
        return new InJvmBroker(overrides);
    }

    /** A broker in a child JVM, not started yet; it can be killed with SIGKILL. */
    static TestBroker childJvm(java.util.Map<String, String> overrides) throws java.io.IOException {
        return new ChildJvmBroker(overrides);
    }

    /** {@code 127.0.0.1:<port>} of the PLAINTEXT listener. */
    String bootstrapServers();

    /** Starts the broker on its storage (formatted on first start) and waits until it serves clients. */
    void start() throws Exception;

    /** A clean shutdown: the broker finishes what it was doing. */
    void stop() throws Exception;

    /** {@code kill -9} where the broker runs in its own process; otherwise unsupported. */
    default void kill() throws Exception {
        throw new UnsupportedOperationException(
                getClass().getSimpleName() + " runs in the test JVM and cannot be killed");
    }

    boolean isRunning();

    /** Stops the broker if running and deletes its storage. */
    void destroy() throws Exception;
}
