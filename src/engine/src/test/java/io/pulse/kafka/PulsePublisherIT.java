package io.pulse.kafka;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.cloudevents.CloudEvent;
import io.cloudevents.SpecVersion;
import io.cloudevents.kafka.CloudEventDeserializer;
import io.pulse.core.Liveness;
import io.pulse.core.NodeFailure;
import io.pulse.core.NodeId;
import io.pulse.core.Transition;
import io.pulse.events.FailureMessage;
import io.pulse.events.SchemaTopic;
import io.pulse.testkit.KafkaBrokerExtension;
import io.pulse.testkit.TopicReader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Collectors;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.message.BinaryMessageDecoder;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.header.Header;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** The publisher against a real broker in the test JVM, read back with a plain consumer and Avro alone. */
class PulsePublisherIT {
    @RegisterExtension
    static final KafkaBrokerExtension kafka = KafkaBrokerExtension.inJvm();

    static final Duration TIMEOUT = Duration.ofSeconds(30);
    static final NodeId NODE = NodeId.parse("10.0.0.7:7946");
    static final Instant AT = Instant.parse("2024-05-01T12:00:00.123Z");

    @TempDir
    Path outbox;

    PulsePublisher.Builder publisher(String prefix) {
        return PulsePublisher.builder()
                .bootstrapServers(kafka.bootstrapServers())
                .observer("10.0.0.1:7946")
                .cluster("test")
                .topicPrefix(prefix)
                .outboxDir(outbox);
    }

    static Transition change() {
        return new Transition(
                NODE,
                Liveness.ALIVE,
                Liveness.SUSPECT,
                3,
                AT,
                Duration.ofMillis(2),
                null,
                10,
                3,
                Transition.Reason.PROBE_ROUND_FAILED);
    }

    static NodeFailure failure() {
        return new NodeFailure(
                NODE,
                Liveness.DEAD,
                3,
                2,
                List.of(NodeId.parse("10.0.0.2:7946")),
                AT.minusSeconds(60),
                AT.minusSeconds(5),
                AT,
                Duration.ofMillis(2),
                Duration.ofMillis(-1),
                20,
                6);
    }

    /** The contract files in schemas/, parsed by Avro: a consumer needs nothing of Pulse. */
    static BinaryMessageDecoder<GenericRecord> avroDecoder(String record) throws IOException {
        Schema.Parser parser = new Schema.Parser();
        parser.parse(Path.of("schemas/NodeState.avsc").toFile());
        parser.parse(Path.of("schemas/ChangeReason.avsc").toFile());
        Schema schema = parser.parse(Path.of("schemas/" + record + ".avsc").toFile());
        return new BinaryMessageDecoder<>(GenericData.get(), schema);
    }

    /** The record as the CloudEvents SDK's Kafka binding reads it (binary mode). */
    static CloudEvent cloudEvent(ConsumerRecord<byte[], byte[]> record) {
        try (CloudEventDeserializer deserializer = new CloudEventDeserializer()) {
            return deserializer.deserialize(record.topic(), record.headers(), record.value());
        }
    }

    static Map<String, String> headers(ConsumerRecord<byte[], byte[]> record) {
        Map<String, String> headers = new TreeMap<>();
        for (Header header : record.headers()) {
            headers.put(header.key(), new String(header.value(), StandardCharsets.UTF_8));
        }
        return headers;
    }

    @Test
    void eventsRoundTripAndAPlainAvroConsumerDecodesThem() throws Exception {
        try (PulsePublisher publisher = publisher("roundtrip")
                .property(PublisherConfig.HEARTBEAT_INTERVAL_MS, 0) // exact stats: HeartbeatsIT has them
                .build()) {
            assertTrue(publisher.publish(change()));
            assertTrue(publisher.publish(failure()));
            assertTrue(publisher.awaitDelivery(TIMEOUT));
            assertEquals(
                    new PublisherStats(2, 2, 0, 0, 0, 0, 0, PublisherConfig.DEFAULT_OUTBOX_MAX_BYTES, 0, 0, 0, 0),
                    publisher.stats());
        }

        ConsumerRecord<byte[], byte[]> status = TopicReader.readAtLeast(
                        kafka.bootstrapServers(), "roundtrip.status", 1, TIMEOUT)
                .get(0);
        GenericRecord change = avroDecoder("StatusChange").decode(status.value());
        assertArrayEquals("10.0.0.7:7946".getBytes(StandardCharsets.UTF_8), status.key());
        assertEquals(
                Map.of(
                        "content-type",
                        "application/avro;encoding=single-object",
                        "event-id",
                        change.get("eventId").toString(),
                        "event-type",
                        "io.pulse.StatusChange",
                        "ce_specversion",
                        "1.0",
                        "ce_id",
                        change.get("eventId").toString(),
                        "ce_type",
                        "io.pulse.StatusChange",
                        "ce_source",
                        "pulse://10.0.0.1:7946",
                        "ce_subject",
                        "10.0.0.7:7946",
                        "ce_time",
                        "2024-05-01T12:00:00.123Z"),
                headers(status));
        CloudEvent statusEvent = cloudEvent(status);
        assertEquals(
                List.of(
                        SpecVersion.V1,
                        change.get("eventId").toString(),
                        java.net.URI.create("pulse://10.0.0.1:7946"),
                        "io.pulse.StatusChange",
                        "10.0.0.7:7946",
                        java.time.OffsetDateTime.parse("2024-05-01T12:00:00.123Z"),
                        "application/avro;encoding=single-object"),
                List.of(
                        statusEvent.getSpecVersion(),
                        statusEvent.getId(),
                        statusEvent.getSource(),
                        statusEvent.getType(),
                        statusEvent.getSubject(),
                        statusEvent.getTime(),
                        statusEvent.getDataContentType()));
        assertArrayEquals(status.value(), statusEvent.getData().toBytes());
        assertEquals(
                "{\"eventId\": \"" + change.get("eventId") + "\", \"observer\": \"10.0.0.1:7946\", "
                        + "\"cluster\": \"test\", \"nodeId\": \"10.0.0.7:7946\", \"previous\": \"ALIVE\", \"current\": \"SUSPECT\", "
                        + "\"incarnation\": 3, \"at\": 1714564800123, \"srttMicros\": 2000, \"totalProbes\": 10, \"lostProbes\": 3, "
                        + "\"clockOffsetMicros\": null, \"reason\": \"PROBE_ROUND_FAILED\", \"declaredBy\": null, \"confirmations\": 0, "
                        + "\"labels\": {}, \"configurationEpoch\": null}",
                change.toString());

        ConsumerRecord<byte[], byte[]> failed = TopicReader.readAtLeast(
                        kafka.bootstrapServers(), "roundtrip.failures", 1, TIMEOUT)
                .get(0);
        GenericRecord failure = avroDecoder("FailureMessage").decode(failed.value());
        assertArrayEquals("10.0.0.7:7946".getBytes(StandardCharsets.UTF_8), failed.key());
        assertEquals(
                Map.of(
                        "content-type",
                        "application/avro;encoding=single-object",
                        "event-id",
                        failure.get("eventId").toString(),
                        "event-type",
                        "io.pulse.FailureMessage",
                        "ce_specversion",
                        "1.0",
                        "ce_id",
                        failure.get("eventId").toString(),
                        "ce_type",
                        "io.pulse.FailureMessage",
                        "ce_source",
                        "pulse://10.0.0.1:7946",
                        "ce_subject",
                        "10.0.0.7:7946",
                        "ce_time",
                        "2024-05-01T12:00:00.123Z"),
                headers(failed));
        assertEquals(failure.get("eventId").toString(), cloudEvent(failed).getId());
        assertEquals("io.pulse.FailureMessage", cloudEvent(failed).getType());
        assertEquals(
                "{\"eventId\": \"" + failure.get("eventId") + "\", \"observer\": \"10.0.0.1:7946\", "
                        + "\"cluster\": \"test\", \"nodeId\": \"10.0.0.7:7946\", \"state\": \"DEAD\", \"incarnation\": 3, "
                        + "\"retryAttempts\": 2, \"indirectPeers\": [\"10.0.0.2:7946\"], \"initialConnect\": 1714564740123, "
                        + "\"lastConnected\": 1714564795123, \"detectedAt\": 1714564800123, \"srttMicros\": 2000, "
                        + "\"clockOffsetMicros\": -1000, \"totalProbes\": 20, \"lostProbes\": 6, \"declaredBy\": null, "
                        + "\"confirmations\": 0, \"labels\": {}, \"configurationEpoch\": null}",
                failure.toString());
    }

    /**
     * The writer schemas go to the compacted {@code <prefix>.schemas}, keyed by fingerprint, before
     * the first event; a second start writes the same records again (compaction keeps one each).
     */
    @Test
    void theWriterSchemasAreInTheSchemasTopicBeforeTheFirstEvent() throws Exception {
        for (int start = 0; start < 2; start++) {
            try (PulsePublisher publisher = publisher("schemas").build()) {
                assertTrue(publisher.publish(change()));
                assertTrue(publisher.awaitDelivery(TIMEOUT));
            }
        }

        List<ConsumerRecord<byte[], byte[]>> schemas =
                TopicReader.readAtLeast(kafka.bootstrapServers(), "schemas.schemas", 6, TIMEOUT);
        Map<String, String> byKey = new TreeMap<>();
        for (ConsumerRecord<byte[], byte[]> record : schemas.subList(0, 3)) {
            assertEquals(Map.of("content-type", "application/vnd.apache.avro+json"), headers(record));
            byKey.put(
                    new String(record.key(), StandardCharsets.UTF_8),
                    new String(record.value(), StandardCharsets.UTF_8));
        }
        assertEquals(
                new TreeMap<>(Map.of(
                        SchemaTopic.key(FailureMessage.getClassSchema()),
                                FailureMessage.getClassSchema().toString(),
                        SchemaTopic.key(io.pulse.events.StatusChange.getClassSchema()),
                                io.pulse.events.StatusChange.getClassSchema().toString(),
                        SchemaTopic.key(io.pulse.events.Heartbeat.getClassSchema()),
                                io.pulse.events.Heartbeat.getClassSchema().toString())),
                byKey);
        assertEquals(6, schemas.size(), "two starts, three schemas each");
        ConsumerRecord<byte[], byte[]> firstEvent = TopicReader.readAtLeast(
                        kafka.bootstrapServers(), "schemas.status", 1, TIMEOUT)
                .get(0);
        assertTrue(
                schemas.get(2).timestamp() <= firstEvent.timestamp(),
                "schemas written at " + schemas.get(2).timestamp() + ", first event at " + firstEvent.timestamp());
        try (Admin admin = Admin.create(Map.of("bootstrap.servers", kafka.bootstrapServers()))) {
            ConfigResource topic = new ConfigResource(ConfigResource.Type.TOPIC, "schemas.schemas");
            assertEquals(
                    "compact",
                    admin.describeConfigs(List.of(topic))
                            .all()
                            .get()
                            .get(topic)
                            .get("cleanup.policy")
                            .value());
        }
    }

    @Test
    void statusTopicIsCompactedAndARemovedNodeGetsATombstone() throws Exception {
        try (PulsePublisher publisher = publisher("compact").build()) {
            assertTrue(publisher.publish(change()));
            assertTrue(publisher.publishRemoval(NODE));
            assertTrue(publisher.awaitDelivery(TIMEOUT));
        }

        try (Admin admin = Admin.create(Map.of("bootstrap.servers", kafka.bootstrapServers()))) {
            ConfigResource status = new ConfigResource(ConfigResource.Type.TOPIC, "compact.status");
            ConfigResource failures = new ConfigResource(ConfigResource.Type.TOPIC, "compact.failures");
            Map<ConfigResource, org.apache.kafka.clients.admin.Config> configs =
                    admin.describeConfigs(List.of(status, failures)).all().get();
            assertEquals("compact", configs.get(status).get("cleanup.policy").value());
            assertEquals("delete", configs.get(failures).get("cleanup.policy").value());
        }
        List<ConsumerRecord<byte[], byte[]>> records =
                TopicReader.readAtLeast(kafka.bootstrapServers(), "compact.status", 2, TIMEOUT);
        ConsumerRecord<byte[], byte[]> tombstone = records.get(1);
        assertArrayEquals("10.0.0.7:7946".getBytes(StandardCharsets.UTF_8), tombstone.key());
        assertNull(tombstone.value());
        assertEquals(
                Set.of(
                        "event-id",
                        "event-type",
                        "ce_specversion",
                        "ce_id",
                        "ce_type",
                        "ce_source",
                        "ce_subject",
                        "ce_time"),
                headers(tombstone).keySet(),
                "no content-type: a tombstone has no value");
        assertEquals("io.pulse.NodeRemoved", headers(tombstone).get("event-type"));
    }

    @Test
    void anExistingStatusTopicThatIsNotCompactedFailsStartUp() throws Exception {
        assertEquals(
                "topic wrong.status has cleanup.policy=delete (expected: compact): it must be "
                        + "compacted to keep the latest status of every node; fix it with kafka-configs.sh --alter "
                        + "--entity-type topics --entity-name wrong.status --add-config cleanup.policy=compact",
                startUpFailureWithADeletePolicyOn("wrong", "wrong.status"));
    }

    @Test
    void anExistingSchemasTopicThatIsNotCompactedFailsStartUp() throws Exception {
        assertEquals(
                "topic wrongschemas.schemas has cleanup.policy=delete (expected: compact): it must be compacted to "
                        + "keep every writer schema, one per fingerprint; fix it with kafka-configs.sh --alter --entity-type "
                        + "topics --entity-name wrongschemas.schemas --add-config cleanup.policy=compact",
                startUpFailureWithADeletePolicyOn("wrongschemas", "wrongschemas.schemas"));
    }

    /** Why a publisher of {@code prefix} refuses to start when {@code topic} exists uncompacted. */
    private String startUpFailureWithADeletePolicyOn(String prefix, String topic) throws Exception {
        try (Admin admin = Admin.create(Map.of("bootstrap.servers", kafka.bootstrapServers()))) {
            admin.createTopics(List.of(new NewTopic(topic, 1, (short) 1).configs(Map.of("cleanup.policy", "delete"))))
                    .all()
                    .get();
        }
        return assertThrows(TopicConfigException.class, () -> publisher(prefix).build())
                .getMessage();
    }

    @Test
    void missingTopicsAreCreatedWithTheConfiguredPartitions() throws Exception {
        publisher("created")
                .property(PublisherConfig.TOPIC_PARTITIONS, 3)
                .property(PublisherConfig.TOPIC_REPLICATION_FACTOR, 1)
                .build()
                .close();

        try (Admin admin = Admin.create(Map.of("bootstrap.servers", kafka.bootstrapServers()))) {
            Map<String, Integer> partitions = admin
                    .describeTopics(List.of("created.failures", "created.status", "created.schemas"))
                    .allTopicNames()
                    .get()
                    .entrySet()
                    .stream()
                    .collect(Collectors.toMap(
                            Map.Entry::getKey, e -> e.getValue().partitions().size()));
            assertEquals(Map.of("created.failures", 3, "created.status", 3, "created.schemas", 1), partitions);
        }
    }

    @Test
    void eventsJournaledWhileKafkaWasUnreachableAreSentAfterTheRestart() throws Exception {
        int deadPort = 1; // nothing listens on port 1
        try (PulsePublisher offline = PulsePublisher.builder()
                .bootstrapServers("127.0.0.1:" + deadPort)
                .observer("10.0.0.1:7946")
                .topicPrefix("restart")
                .outboxDir(outbox)
                .property(PublisherConfig.STARTUP_TIMEOUT_MS, 0)
                .property(PublisherConfig.CLOSE_TIMEOUT_MS, 0)
                .build()) {
            for (int i = 0; i < 10; i++) {
                assertTrue(offline.publish(new Transition(
                        NODE,
                        Liveness.ALIVE,
                        Liveness.SUSPECT,
                        i,
                        AT,
                        null,
                        null,
                        i,
                        i,
                        Transition.Reason.PROBE_ROUND_FAILED)));
            }
            assertEquals(10, offline.stats().pendingEvents());
        }

        try (PulsePublisher online = publisher("restart").build()) {
            assertEquals(10, online.stats().pendingEvents());
            assertTrue(online.awaitDelivery(TIMEOUT));
        }
        List<ConsumerRecord<byte[], byte[]>> records =
                TopicReader.readAtLeast(kafka.bootstrapServers(), "restart.status", 10, TIMEOUT);
        List<Long> incarnations = records.stream()
                .map(r -> (Long) uncheckedDecode(r.value()).get("incarnation"))
                .toList();
        assertEquals(List.of(0L, 1L, 2L, 3L, 4L, 5L, 6L, 7L, 8L, 9L), incarnations);
    }

    private static GenericRecord uncheckedDecode(byte[] value) {
        try {
            return avroDecoder("StatusChange").decode(value);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
