package io.pulse.sidecar.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.pulse.sidecar.dashboard.HistoryLimits;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/** {@code pulse dashboard}'s options, and the Kafka settings it takes as tail does, resolved without a broker. */
class DashboardCommandTest {
    private static DashboardCommand.Plan plan(Map<String, String> env, String... args) {
        return CommandLine.populateCommand(new DashboardCommand(), args).plan(env);
    }

    private static String usageError(String... args) {
        return assertThrows(UsageException.class, () -> plan(Map.of(), args)).getMessage();
    }

    @Test
    void defaultsAreLocalhost8080AnHourAnd100000Events() {
        DashboardCommand.Plan plan = plan(Map.of());
        assertEquals(new InetSocketAddress("127.0.0.1", 8080), plan.bind());
        assertEquals(HistoryLimits.defaults(), plan.limits());
        assertEquals("pulse", plan.topicPrefix());
        assertEquals("localhost:9092", plan.consumer().get("bootstrap.servers"));
        assertEquals("false", plan.consumer().get("enable.auto.commit"));
        assertEquals("false", plan.consumer().get("allow.auto.create.topics"));
    }

    @Test
    void kafkaSettingsAsForTailAndRun() {
        DashboardCommand.Plan plan = plan(
                Map.of(
                        "PULSE_KAFKA_BOOTSTRAP_SERVERS",
                        "env:9092",
                        "PULSE_KAFKA_PROPERTIES_SECURITY_PROTOCOL",
                        "SASL_SSL"),
                "--bootstrap",
                "kafka-1:9093",
                "--topic-prefix",
                "prod",
                "--set",
                "kafka.properties.sasl.mechanism=SCRAM-SHA-512",
                "--bind",
                "127.0.0.1:0",
                "--window",
                "30m",
                "--max-events",
                "5000");
        assertEquals("kafka-1:9093", plan.consumer().get("bootstrap.servers"));
        assertEquals("SASL_SSL", plan.consumer().get("security.protocol"));
        assertEquals("SCRAM-SHA-512", plan.consumer().get("sasl.mechanism"));
        assertEquals("prod", plan.topicPrefix());
        assertEquals(0, plan.bind().getPort());
        assertEquals(new HistoryLimits(Duration.ofMinutes(30), 5000), plan.limits());
    }

    @Test
    void badOptionsNameTheOptionAndWhatIsAllowed() {
        assertEquals("--window: got PT0.5S (expected: 1s to 7d)", usageError("--window", "500ms"));
        assertEquals("--max-events: got 0 (expected: 1 to 10000000)", usageError("--max-events", "0"));
        assertEquals("--bind: got \"8080\" (expected host:port (IPv6 in brackets))", usageError("--bind", "8080"));
    }
}
