package io.pulse.kafka;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.pulse.events.Topics;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import org.apache.kafka.common.config.ConfigException;
import org.junit.jupiter.api.Test;

class PublisherConfigTest {

    static Map<String, Object> minimal() {
        Map<String, Object> map = new HashMap<>();
        map.put("bootstrap.servers", "127.0.0.1:9092");
        map.put(PublisherConfig.OBSERVER, "10.0.0.1:7946");
        map.put(PublisherConfig.OUTBOX_DIR, "/var/lib/pulse/outbox");
        return map;
    }

    static String failure(Map<String, Object> properties) {
        return assertThrows(ConfigException.class, () -> PublisherConfig.parse(properties))
                .getMessage();
    }

    @Test
    void defaultsAndDerivedValues() {
        PublisherConfig config = PublisherConfig.parse(minimal());

        assertEquals("pulse.failures", config.failuresTopic());
        assertEquals("pulse.status", config.statusTopic());
        assertEquals(-1, config.topicPartitions());
        assertEquals(-1, config.topicReplicationFactor());
        assertEquals(Path.of("/var/lib/pulse/outbox"), config.outboxDir());
        assertEquals(256L << 20, config.outboxMaxBytes());
        assertEquals(Duration.ofSeconds(30), config.closeTimeout());
        assertEquals(
                Map.of(
                        "bootstrap.servers",
                        "127.0.0.1:9092",
                        "acks",
                        "all",
                        "enable.idempotence",
                        true,
                        "linger.ms",
                        1,
                        "compression.type",
                        "lz4",
                        "client.id",
                        "pulse-publisher-10.0.0.1:7946"),
                config.producerProperties());
        assertEquals(Map.of("bootstrap.servers", "127.0.0.1:9092"), config.adminProperties());
    }

    @Test
    void kafkaClientPropertiesPassThrough() {
        Map<String, Object> properties = minimal();
        properties.put("security.protocol", "SASL_SSL");
        properties.put("sasl.mechanism", "SCRAM-SHA-512");
        properties.put("linger.ms", 0);

        PublisherConfig config = PublisherConfig.parse(properties);

        assertEquals("SASL_SSL", config.producerProperties().get("security.protocol"));
        assertEquals("SCRAM-SHA-512", config.adminProperties().get("sasl.mechanism"));
        assertEquals(0, config.producerProperties().get("linger.ms"));
        assertEquals(null, config.adminProperties().get("linger.ms"));
    }

    @Test
    void missingRequiredSettingsAreNamed() {
        Map<String, Object> properties = minimal();
        properties.remove(PublisherConfig.OBSERVER);
        assertEquals(
                "Missing required configuration \"pulse.observer\" which has no default value.", failure(properties));

        properties = minimal();
        properties.remove("bootstrap.servers");
        assertEquals(
                "Invalid value null for configuration bootstrap.servers: is required (host:port,...)",
                failure(properties));
    }

    @Test
    void invalidValuesNameKeyValueAndWhatIsAllowed() {
        Map<String, Object> properties = minimal();
        properties.put(PublisherConfig.TOPIC_PREFIX, "pulse/prod");
        assertEquals(
                "Invalid value pulse/prod for configuration pulse.topic.prefix: must be 1..236 of [a-zA-Z0-9._-]",
                failure(properties));

        properties = minimal();
        properties.put(PublisherConfig.TOPIC_REPLICATION_FACTOR, 0);
        assertEquals(
                "Invalid value 0 for configuration pulse.topic.replication.factor: must be -1 (broker default) "
                        + "or 1..32767",
                failure(properties));

        properties = minimal();
        properties.put(PublisherConfig.OUTBOX_MAX_BYTES, 1024);
        assertEquals(
                "Invalid value 1024 for configuration pulse.outbox.max.bytes: Value must be at least 65536",
                failure(properties));
    }

    @Test
    void settingsThatWouldLoseEventsAreRefused() {
        Map<String, Object> properties = minimal();
        properties.put("acks", "1");
        assertEquals(
                "Invalid value 1 for configuration acks: must be [-1, all]: the outbox marks an event done only "
                        + "when every in-sync replica has it",
                failure(properties));

        properties = minimal();
        properties.put("enable.idempotence", false);
        assertEquals(
                "Invalid value false for configuration enable.idempotence: must be [true]: retries must neither "
                        + "duplicate nor reorder a node's events",
                failure(properties));

        properties = minimal();
        properties.put("value.serializer", "org.apache.kafka.common.serialization.StringSerializer");
        assertEquals(
                "Invalid value org.apache.kafka.common.serialization.StringSerializer for configuration "
                        + "value.serializer: is chosen by the publisher and must not be set",
                failure(properties));
    }

    @Test
    void unknownKeysAreRefusedRatherThanIgnored() {
        Map<String, Object> properties = minimal();
        properties.put("bootstrap.server", "127.0.0.1:9092");
        assertEquals(
                "Invalid value 127.0.0.1:9092 for configuration bootstrap.server: unknown setting (expected a "
                        + "pulse.* setting or a Kafka producer or admin client property)",
                failure(properties));

        properties = minimal();
        properties.put("pulse.outbox.directory", "/tmp");
        assertEquals(
                "Invalid value /tmp for configuration pulse.outbox.directory: unknown setting (expected one of "
                        + "[basic.auth.user.info, pulse.close.timeout.ms, pulse.cluster, pulse.heartbeat.interval.ms, pulse.observer, pulse.outbox.dir, pulse.outbox.max.bytes, "
                        + "pulse.sender.max.in.flight.events, pulse.sender.retry.backoff.ms, pulse.startup.timeout.ms, "
                        + "pulse.topic.partitions, pulse.topic.prefix, pulse.topic.replication.factor, pulse.value.format, "
                        + "schema.registry.url])",
                failure(properties));
    }

    @Test
    void confluentValuesNeedARegistryUrl() {
        Map<String, Object> properties = minimal();
        properties.put(PublisherConfig.VALUE_FORMAT, "confluent");
        assertEquals(
                "Invalid value null for configuration schema.registry.url: is required with "
                        + "pulse.value.format=confluent",
                failure(properties));
        properties.put(PublisherConfig.SCHEMA_REGISTRY_URL, "registry:8081");
        assertEquals(
                "Invalid value registry:8081 for configuration schema.registry.url: expected one http:// or "
                        + "https:// URL",
                failure(properties));
        properties.put(PublisherConfig.SCHEMA_REGISTRY_URL, "http://registry:8081");
        assertEquals(
                java.net.URI.create("http://registry:8081"),
                PublisherConfig.parse(properties).schemaRegistryUrl());
        properties.put(PublisherConfig.VALUE_FORMAT, "pulse");
        assertNull(PublisherConfig.parse(properties).schemaRegistryUrl(), "single-object encoding: no registry");
    }

    @Test
    void theBuilderChecksAPulseSettingWhenItIsSet() {
        ConfigException e = assertThrows(
                ConfigException.class, () -> PulsePublisher.builder().property(PublisherConfig.TOPIC_PARTITIONS, 0));
        assertEquals(
                "Invalid value 0 for configuration pulse.topic.partitions: must be -1 (broker default) or 1..32767",
                e.getMessage());
    }

    @Test
    void theDocumentedTableIsTheDeclaration() throws java.io.IOException {
        String docs = java.nio.file.Files.readString(Path.of("docs/kafka.md"));
        String start = "PublisherConfigTest checks it -->\n";
        String table = docs.substring(docs.indexOf(start) + start.length(), docs.indexOf("<!-- end generated -->"));
        assertEquals(PublisherConfig.markdownTable(), table, "regenerate the table in docs/kafka.md");
    }

    @Test
    void topicPrefixesFollowTopics() {
        String tooLong = "p".repeat(Topics.MAX_PREFIX_LENGTH + 1);
        for (String bad : new String[] {"", "a b", "pulse/prod", tooLong}) {
            ConfigException publisher =
                    assertThrows(ConfigException.class, () -> PublisherConfig.parse(withPrefix(bad)));
            assertTrue(publisher.getMessage().endsWith("must be " + Topics.PREFIX_RULE), publisher.getMessage());
        }
        String longest = "p".repeat(Topics.MAX_PREFIX_LENGTH);
        assertEquals(
                Topics.failures(longest),
                PublisherConfig.parse(withPrefix(longest)).failuresTopic());
    }

    private static Map<String, Object> withPrefix(String prefix) {
        return Map.of(
                "bootstrap.servers",
                "127.0.0.1:9092",
                PublisherConfig.OBSERVER,
                "10.0.0.1:7946",
                PublisherConfig.OUTBOX_DIR,
                "/var/lib/pulse/outbox",
                PublisherConfig.TOPIC_PREFIX,
                prefix);
    }
}
