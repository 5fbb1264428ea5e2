package io.pulse.sidecar.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.pulse.sidecar.config.ConfigurationException;
import io.pulse.sidecar.tail.TopicTail;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** {@code pulse tail}'s options and Kafka settings, resolved without a broker. */
class TailCommandTest {
    private static final Instant NOW = Instant.parse("2026-12-04T12:00:00Z");

    @TempDir
    Path dir;

    private static TailCommand.Plan plan(Map<String, String> env, String... args) {
        return CommandLine.populateCommand(new TailCommand(), args).plan(env, NOW);
    }

    private static String usageError(String... args) {
        return assertThrows(UsageException.class, () -> plan(Map.of(), args)).getMessage();
    }

    @Test
    void byDefaultBothTopicsFromTheEndWithNoGroupNoCommitsNoTopicCreation() {
        TailCommand.Plan plan = plan(Map.of());
        assertEquals(List.of("pulse.failures", "pulse.status"), plan.topics());
        assertEquals("pulse.failures", plan.failuresTopic());
        assertEquals(TopicTail.Start.END, plan.start());
        assertNull(plan.since());
        assertEquals(Set.of(), plan.nodes());
        assertNull(plan.timeout());
        Properties expected = new Properties();
        expected.put("bootstrap.servers", "localhost:9092");
        expected.put("enable.auto.commit", "false");
        expected.put("allow.auto.create.topics", "false");
        expected.put("auto.offset.reset", "earliest");
        expected.put("client.id", "pulse-tail");
        assertEquals(expected, plan.consumer());
    }

    @Test
    void heartbeatsOnlyWithTheirFlag() {
        assertEquals(
                List.of("pulse.failures", "pulse.status", "pulse.heartbeats"),
                plan(Map.of(), "--heartbeats").topics());
        assertEquals(
                List.of("pulse.failures", "pulse.heartbeats"),
                plan(Map.of(), "--heartbeats", "--type", "failure").topics());
    }

    @Test
    void kafkaSettingsComeFromTheFileTheEnvironmentAndSetAsForRun() throws Exception {
        Path file = dir.resolve("pulse.yaml");
        Files.writeString(
                file,
                "kafka:\n  bootstrap.servers: kafka-1:9093\n  topic.prefix: prod\n"
                        + "  properties:\n    security.protocol: SASL_SSL\n    ssl.truststore.location: /etc/pulse/ca.pem\n"
                        + "    linger.ms: 5\n");
        TailCommand.Plan plan = plan(
                Map.of(
                        "PULSE_KAFKA_PROPERTIES_SASL_MECHANISM",
                        "SCRAM-SHA-512",
                        "PULSE_KAFKA_PROPERTIES_SASL_JAAS_CONFIG",
                        "jaas from the environment"),
                "--config",
                file.toString(),
                "--set",
                "kafka.properties.ssl.truststore.location=/elsewhere.pem",
                "--set",
                "kafka.schema.registry.url=http://registry:8081");
        assertEquals(List.of("prod.failures", "prod.status"), plan.topics());
        Properties consumer = plan.consumer();
        assertEquals("kafka-1:9093", consumer.get("bootstrap.servers"));
        assertEquals("SASL_SSL", consumer.get("security.protocol"));
        assertEquals("/elsewhere.pem", consumer.get("ssl.truststore.location"));
        assertEquals("SCRAM-SHA-512", consumer.get("sasl.mechanism"));
        assertEquals("jaas from the environment", consumer.get("sasl.jaas.config"));
        assertEquals("http://registry:8081", consumer.get("schema.registry.url"), "for records in Confluent's format");
        assertNull(consumer.get("linger.ms"), "a producer property");
        assertNull(consumer.get("group.id"));
        assertNull(consumer.get("pulse.topic.prefix"));
        assertEquals("false", consumer.get("enable.auto.commit"));
        assertEquals("false", consumer.get("allow.auto.create.topics"));
    }

    @Test
    void bootstrapServersAndPrefixFlagsWinOverTheEnvironment() {
        TailCommand.Plan env =
                plan(Map.of("PULSE_KAFKA_BOOTSTRAP_SERVERS", "env:9092", "PULSE_KAFKA_TOPIC_PREFIX", "envp"));
        assertEquals("env:9092", env.consumer().get("bootstrap.servers"));
        assertEquals(List.of("envp.failures", "envp.status"), env.topics());
        TailCommand.Plan flags = plan(
                Map.of("PULSE_KAFKA_BOOTSTRAP_SERVERS", "env:9092", "PULSE_KAFKA_TOPIC_PREFIX", "envp"),
                "-b",
                "flag:9092",
                "--topic-prefix",
                "flagp");
        assertEquals("flag:9092", flags.consumer().get("bootstrap.servers"));
        assertEquals(List.of("flagp.failures", "flagp.status"), flags.topics());
    }

    @Test
    void startFiltersAndLimits() {
        assertEquals(
                TopicTail.Start.BEGINNING, plan(Map.of(), "--from-beginning").start());
        TailCommand.Plan since = plan(Map.of(), "--since", "10m", "--timeout", "30s");
        assertEquals(TopicTail.Start.SINCE, since.start());
        assertEquals(Instant.parse("2026-12-04T11:50:00Z"), since.since());
        assertEquals(Duration.ofSeconds(30), since.timeout());
        TailCommand.Plan filtered =
                plan(Map.of(), "--node", "10.0.0.1:7946", "--node", "[::1]:7000", "--type", "failure");
        assertEquals(Set.of("10.0.0.1:7946", "[::1]:7000"), filtered.nodes());
        assertEquals(List.of("pulse.failures"), filtered.topics());
        assertEquals(List.of("pulse.status"), plan(Map.of(), "--type", "status").topics());
    }

    @Test
    void badOptionsAreUsageErrorsNamingTheOption() {
        assertEquals(
                "--from-beginning and --since 5m (expected: one of them)",
                usageError("--from-beginning", "--since", "5m"));
        assertEquals("--since: got \"0s\" (expected: more than 0)", usageError("--since", "0s"));
        assertEquals(
                "--since: got \"soon\" (expected a duration such as 500ms, 1s, 1.5s, 2m, 1h or PT0.5S)",
                usageError("--since", "soon"));
        assertEquals("--type: got \"metrics\" (expected: failure or status)", usageError("--type", "metrics"));
        assertEquals(
                "--node: got \"10.0.0.1\" (node id must be host:port (IPv6 in brackets), got \"10.0.0.1\")",
                usageError("--node", "10.0.0.1"));
        assertEquals("--max-events: got 0 (expected: at least 1)", usageError("--max-events", "0"));
        assertEquals(
                "--group: tail joins no consumer group any more (it reads without one and commits nothing; "
                        + "expected: --from-beginning or --since DURATION to choose where to start)",
                usageError("--group", "g"));
        ConfigurationException unknown =
                assertThrows(ConfigurationException.class, () -> plan(Map.of(), "--set", "kafka.topic.prefx=x"));
        assertEquals(
                "flag --set kafka.topic.prefx: unknown key kafka.topic.prefx (expected one of [kafka.bootstrap.servers, "
                        + "kafka.close.timeout, kafka.cluster, kafka.enabled, kafka.heartbeat.interval, "
                        + "kafka.schema.registry.url, kafka.startup.timeout, kafka.topic.partitions, kafka.topic.prefix, "
                        + "kafka.topic.replication.factor, kafka.value.format], or kafka.properties.<Kafka client "
                        + "property>, or node.labels.<label>)",
                unknown.getMessage());
    }

    @Test
    void theExitCodeOfABadOptionIsTwo() {
        PulseCommandTest.Result result = PulseCommandTest.pulse("tail", "--type", "metrics");
        assertEquals(PulseCommand.USAGE, result.code());
        assertEquals(
                "pulse: --type: got \"metrics\" (expected: failure or status)\nTry 'pulse tail --help'.\n",
                result.err());
    }
}
