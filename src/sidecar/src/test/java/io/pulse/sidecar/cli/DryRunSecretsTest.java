package io.pulse.sidecar.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.pulse.events.serde.PulseSerdeConfig;
import io.pulse.kafka.PublisherConfig;
import io.pulse.sidecar.cli.PulseCommandTest.Result;
import io.pulse.sidecar.config.SidecarSettings;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.config.ConfigDef;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code pulse run --dry-run} never prints a secret: one test for every setting declared of type
 * PASSWORD, the sidecar's own and every one {@code kafka.properties.*} passes through (the Kafka
 * producer's, consumer's and admin client's, the publisher's and the serde's, schema registry
 * credentials included), each set to a sentinel from a flag, from the environment and from the file.
 */
class DryRunSecretsTest {
    private static final String SENTINEL = "S3NTINEL-do-not-print";

    @TempDir
    Path dir;

    /** Every PASSWORD setting, by the key {@code pulse run} takes it under. */
    static TreeSet<String> passwordKeys() {
        TreeSet<String> keys = new TreeSet<>();
        passwords(SidecarSettings.DEFINITION).forEach(keys::add);
        Stream.of(
                        ProducerConfig.configDef(),
                        ConsumerConfig.configDef(),
                        AdminClientConfig.configDef(),
                        PublisherConfig.DEFINITION,
                        PulseSerdeConfig.DEFINITION)
                .flatMap(DryRunSecretsTest::passwords)
                .forEach(name -> keys.add(SidecarSettings.KAFKA_PROPERTIES + name));
        return keys;
    }

    private static Stream<String> passwords(ConfigDef definition) {
        return definition.configKeys().values().stream()
                .filter(key -> key.type == ConfigDef.Type.PASSWORD)
                .map(key -> key.name);
    }

    @Test
    void theGeneratedListHasTheSecretsOneKnows() {
        TreeSet<String> keys = passwordKeys();
        for (String known : new String[] {
            "kafka.properties.sasl.jaas.config",
            "kafka.properties.ssl.key.password",
            "kafka.properties.ssl.keystore.password",
            "kafka.properties.ssl.truststore.password",
            "kafka.properties.ssl.keystore.key",
            "kafka.properties.basic.auth.user.info"
        }) {
            assertTrue(keys.contains(known), known + " not in " + keys);
        }
    }

    @TestFactory
    Stream<DynamicTest> everyPasswordSettingIsRedactedFromEverySource() {
        return passwordKeys().stream()
                .map(key -> DynamicTest.dynamicTest(key, () -> {
                    String value = SENTINEL + "-" + key;
                    assertRedacted(key, pulse(Map.of(), "--set", key + "=" + value), value, "flag --set " + key);
                    String env = SidecarSettings.envName(key);
                    assertRedacted(key, pulse(Map.of(env, value)), value, "environment " + env);
                    Path file = Files.writeString(dir.resolve("pulse.yaml"), key + ": \"" + value + "\"\n");
                    assertRedacted(key, pulse(Map.of(), "--config", file.toString()), value, file.toString());
                }));
    }

    @Test
    void allOfThemAtOnceFromTheFile() throws Exception {
        StringBuilder yaml = new StringBuilder();
        for (String key : passwordKeys()) {
            yaml.append(key).append(": \"").append(SENTINEL).append("\"\n");
        }
        Path file = Files.writeString(dir.resolve("pulse.yaml"), yaml);
        Result result = pulse(Map.of(), "--config", file.toString());
        assertEquals(0, result.code(), result.toString());
        assertFalse(result.out().contains(SENTINEL), result.out());
        assertFalse(result.err().contains(SENTINEL), result.err());
    }

    private static Result pulse(Map<String, String> env, String... args) {
        String[] all = Stream.concat(
                        Stream.of("run", "--dry-run", "--set", "node.bind=127.0.0.1:7946"), Stream.of(args))
                .toArray(String[]::new);
        return PulseCommandTest.pulse(env, all);
    }

    private static void assertRedacted(String key, Result result, String value, String source) {
        assertFalse(result.out().contains(SENTINEL), result.out());
        assertFalse(result.err().contains(SENTINEL), result.err());
        assertEquals(0, result.code(), result.toString());
        assertTrue(
                result.out().contains(key + " = [redacted]   (" + source + ")\n"),
                "no redacted line for " + key + " from " + source + " in\n" + result.out());
        assertFalse(result.out().contains(value));
    }
}
