package io.pulse.kafka;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.pulse.core.Liveness;
import io.pulse.core.NodeFailure;
import io.pulse.core.NodeId;
import io.pulse.core.Transition;
import io.pulse.events.EventHeaders;
import io.pulse.events.EventType;
import io.pulse.events.FailureMessage;
import io.pulse.events.NewerSchemas;
import io.pulse.events.NodeState;
import io.pulse.events.SchemaTopic;
import io.pulse.events.StatusChange;
import io.pulse.events.Topics;
import io.pulse.events.serde.FakeSchemaRegistry;
import io.pulse.events.serde.PulseEventDeserializer;
import io.pulse.events.serde.PulseSerdeConfig;
import io.pulse.events.serde.StatusChangeDeserializer;
import io.pulse.events.serde.StatusChangeSerializer;
import io.pulse.testkit.KafkaBrokerExtension;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * A plain {@code KafkaConsumer} configured by properties alone reads what the real publisher wrote,
 * and what a newer Pulse wrote (its schema in {@code <prefix>.schemas}).
 */
class PulseDeserializersIT {
    @RegisterExtension
    static final KafkaBrokerExtension KAFKA = KafkaBrokerExtension.inJvm();

    static final String NODE = "10.0.0.7:7946";
    static final Instant AT = Instant.parse("2026-01-01T00:00:00Z");

    @TempDir
    Path outbox;

    /** The real publisher: a status change, a failure and a removal; then a newer Pulse's status change. */
    static void publish(String bootstrapServers, String prefix, Path outbox) throws Exception {
        try (PulsePublisher publisher = PulsePublisher.builder()
                .bootstrapServers(bootstrapServers)
                .observer("10.0.0.1:7946")
                .topicPrefix(prefix)
                .outboxDir(outbox)
                .build()) {
            assertTrue(publisher.publish(new Transition(
                    NodeId.parse(NODE),
                    Liveness.SUSPECT,
                    Liveness.DEAD,
                    3,
                    AT,
                    null,
                    null,
                    10,
                    3,
                    Transition.Reason.SUSPICION_TIMEOUT)));
            assertTrue(publisher.publish(new NodeFailure(
                    NodeId.parse(NODE),
                    Liveness.DEAD,
                    3,
                    2,
                    List.of(NodeId.parse("10.0.0.2:7946")),
                    AT.minusSeconds(60),
                    AT.minusSeconds(5),
                    AT,
                    null,
                    null,
                    20,
                    6)));
            assertTrue(publisher.publishRemoval(NodeId.parse(NODE)));
            assertTrue(publisher.awaitDelivery(Duration.ofSeconds(60)));
        }
        try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(
                Map.of("bootstrap.servers", bootstrapServers), new StringSerializer(), new ByteArraySerializer())) {
            producer.send(new ProducerRecord<>(
                            Topics.schemas(prefix),
                            SchemaTopic.key(NewerSchemas.STATUS_CHANGE),
                            SchemaTopic.value(NewerSchemas.STATUS_CHANGE)))
                    .get();
            RecordHeaders headers = new RecordHeaders();
            headers.add(
                    EventHeaders.EVENT_TYPE,
                    EventType.STATUS_CHANGE.headerValue().getBytes(StandardCharsets.UTF_8));
            producer.send(new ProducerRecord<>(
                            Topics.status(prefix),
                            null,
                            "10.0.0.9:7946",
                            NewerSchemas.statusChange("10.0.0.9:7946"),
                            headers))
                    .get();
        }
    }

    @Test
    void aPlainPropertiesConsumerReadsThePublishersEventsAndANewerPulses() throws Exception {
        String prefix = "plain";
        publish(KAFKA.bootstrapServers(), prefix, outbox);

        Properties props = properties("plain-consumer");
        props.put("value.deserializer", "io.pulse.events.serde.PulseEventDeserializer");
        props.put("pulse.topic.prefix", prefix);
        List<ConsumerRecord<String, SpecificRecord>> records =
                consume(props, List.of(Topics.failures(prefix), Topics.status(prefix)), 4);
        assertEquals(4, records.size(), records.toString());
        FailureMessage failure = (FailureMessage) records.stream()
                .filter(r -> r.topic().equals(Topics.failures(prefix)))
                .findFirst()
                .orElseThrow()
                .value();
        assertEquals(NODE, failure.getNodeId());
        assertEquals(NodeState.DEAD, failure.getState());
        List<ConsumerRecord<String, SpecificRecord>> status = records.stream()
                .filter(r -> r.topic().equals(Topics.status(prefix)))
                .toList();
        StatusChange change = assertInstanceOf(
                StatusChange.class,
                status.stream()
                        .filter(r -> r.key().equals(NODE))
                        .findFirst()
                        .orElseThrow()
                        .value());
        assertEquals(NodeState.DEAD, change.getCurrent());
        assertNull(
                status.stream()
                        .filter(r -> r.key().equals(NODE))
                        .toList()
                        .get(1)
                        .value(),
                "the removal");
        StatusChange newer = (StatusChange) status.stream()
                .filter(r -> r.key().equals("10.0.0.9:7946"))
                .findFirst()
                .orElseThrow()
                .value();
        assertEquals(NodeState.UNKNOWN, newer.getCurrent(), "DRAINING");
    }

    @Test
    void theTypedDeserializerIsConfiguredTheSameWay() throws Exception {
        String prefix = "typed";
        publish(KAFKA.bootstrapServers(), prefix, outbox);

        Properties props = properties("typed-consumer");
        props.put("value.deserializer", StatusChangeDeserializer.class.getName());
        props.put(PulseSerdeConfig.TOPIC_PREFIX, prefix);
        props.put(PulseSerdeConfig.SCHEMA_LOOKUP_TIMEOUT_MS, "10000");
        List<ConsumerRecord<String, StatusChange>> records = consume(props, List.of(Topics.status(prefix)), 3);
        assertEquals(3, records.size());
        List<StatusChange> node = records.stream()
                .filter(r -> r.key().equals(NODE))
                .map(ConsumerRecord::value)
                .toList();
        assertEquals(NodeState.DEAD, node.get(0).getCurrent());
        assertNull(node.get(1), "the removal");
        assertEquals(
                NodeState.UNKNOWN,
                records.stream()
                        .filter(r -> r.key().equals("10.0.0.9:7946"))
                        .findFirst()
                        .orElseThrow()
                        .value()
                        .getCurrent());
    }

    /**
     * Records in Confluent's wire format, written by the Pulse serializers in {@code confluent} mode
     * through a real broker, and the publisher's single-object records on the same topics: one
     * deserializer, given the registry, reads both.
     */
    @Test
    void confluentFormatRecordsAndThePublishersAreReadByTheSameDeserializer() throws Exception {
        String prefix = "confluent";
        publish(KAFKA.bootstrapServers(), prefix, outbox);
        try (FakeSchemaRegistry registry = FakeSchemaRegistry.start()) {
            Map<String, Object> producerProps = Map.of(
                    "bootstrap.servers",
                    KAFKA.bootstrapServers(),
                    "key.serializer",
                    StringSerializer.class.getName(),
                    PulseSerdeConfig.FORMAT,
                    "confluent",
                    PulseSerdeConfig.SCHEMA_REGISTRY_URL,
                    registry.url());
            StatusChange drained = StatusChange.newBuilder()
                    .setEventId(java.util.UUID.randomUUID())
                    .setObserver("10.0.0.1:7946")
                    .setCluster(null)
                    .setNodeId("10.0.0.8:7946")
                    .setPrevious(NodeState.ALIVE)
                    .setCurrent(NodeState.DEAD)
                    .setReason(io.pulse.events.ChangeReason.SUSPICION_TIMEOUT)
                    .setAt(AT)
                    .setSrttMicros(null)
                    .setClockOffsetMicros(null)
                    .setDeclaredBy(null)
                    .build();
            try (KafkaProducer<String, StatusChange> producer = new KafkaProducer<>(
                    producerProps, new StringSerializer(), configured(new StatusChangeSerializer(), producerProps))) {
                producer.send(new ProducerRecord<>(Topics.status(prefix), "10.0.0.8:7946", drained))
                        .get();
            }
            assertEquals(Map.of(Topics.status(prefix) + "-value", List.of(1)), registry.subjects());

            Properties props = properties("confluent-consumer");
            props.put("value.deserializer", PulseEventDeserializer.class.getName());
            props.put(PulseSerdeConfig.TOPIC_PREFIX, prefix);
            props.put(PulseSerdeConfig.SCHEMA_REGISTRY_URL, registry.url());
            List<ConsumerRecord<String, SpecificRecord>> records = consume(props, List.of(Topics.status(prefix)), 4);
            assertEquals(4, records.size(), records.toString());
            ConsumerRecord<String, SpecificRecord> confluent = records.stream()
                    .filter(r -> r.key().equals("10.0.0.8:7946"))
                    .findFirst()
                    .orElseThrow();
            assertEquals(drained, confluent.value());
            assertEquals(
                    "application/avro;encoding=confluent",
                    new String(
                            confluent
                                    .headers()
                                    .lastHeader(EventHeaders.CONTENT_TYPE)
                                    .value(),
                            StandardCharsets.UTF_8));
            assertEquals(
                    NodeState.DEAD,
                    ((StatusChange) records.stream()
                                    .filter(r -> r.key().equals(NODE))
                                    .findFirst()
                                    .orElseThrow()
                                    .value())
                            .getCurrent(),
                    "the publisher's single-object record");
            assertTrue(
                    registry.requests().contains("GET /schemas/ids/1"),
                    registry.requests().toString());
        }
    }

    /**
     * The publisher with {@code pulse.value.format=confluent}: both writer schemas registered at
     * start (the failures subject too, though only a status change is published), the values in
     * Confluent's wire format, read back by a deserializer given the registry. While the registry
     * fails, the event waits in the outbox.
     */
    @Test
    void thePublisherWritesConfluentFormatWhenConfigured() throws Exception {
        String prefix = "published-confluent";
        try (FakeSchemaRegistry registry = FakeSchemaRegistry.start()) {
            try (PulsePublisher publisher = PulsePublisher.builder()
                    .bootstrapServers(KAFKA.bootstrapServers())
                    .observer("10.0.0.1:7946")
                    .topicPrefix(prefix)
                    .outboxDir(outbox)
                    .property(PublisherConfig.VALUE_FORMAT, "confluent")
                    .property(PublisherConfig.SCHEMA_REGISTRY_URL, registry.url())
                    .property(PublisherConfig.RETRY_BACKOFF_MS, 100)
                    .build()) {
                registry.backendDown(true);
                assertTrue(publisher.publish(new Transition(
                        NodeId.parse(NODE),
                        Liveness.SUSPECT,
                        Liveness.DEAD,
                        3,
                        AT,
                        null,
                        null,
                        10,
                        3,
                        Transition.Reason.SUSPICION_TIMEOUT)));
                assertFalse(publisher.awaitDelivery(Duration.ofSeconds(2)), "no event before its schema is registered");
                registry.backendDown(false);
                assertTrue(publisher.awaitDelivery(Duration.ofSeconds(60)));
            }
            assertEquals(
                    Map.of(
                            Topics.failures(prefix) + "-value",
                            List.of(1),
                            Topics.status(prefix) + "-value",
                            List.of(2),
                            Topics.heartbeats(prefix) + "-value",
                            List.of(3)),
                    registry.subjects());

            Properties raw = properties("published-confluent-raw");
            raw.put("value.deserializer", "org.apache.kafka.common.serialization.ByteArrayDeserializer");
            List<ConsumerRecord<String, byte[]>> bytes = consume(raw, List.of(Topics.status(prefix)), 1);
            assertEquals(1, bytes.size());
            assertEquals(
                    List.of((byte) 0, (byte) 0, (byte) 0, (byte) 0, (byte) 2),
                    List.of(
                            bytes.get(0).value()[0],
                            bytes.get(0).value()[1],
                            bytes.get(0).value()[2],
                            bytes.get(0).value()[3],
                            bytes.get(0).value()[4]));
            assertEquals(
                    "application/avro;encoding=confluent",
                    new String(
                            bytes.get(0)
                                    .headers()
                                    .lastHeader(EventHeaders.CONTENT_TYPE)
                                    .value(),
                            StandardCharsets.UTF_8));

            Properties props = properties("published-confluent");
            props.put("value.deserializer", StatusChangeDeserializer.class.getName());
            props.put(PulseSerdeConfig.TOPIC_PREFIX, prefix);
            props.put(PulseSerdeConfig.SCHEMA_REGISTRY_URL, registry.url());
            List<ConsumerRecord<String, StatusChange>> records = consume(props, List.of(Topics.status(prefix)), 1);
            assertEquals(1, records.size());
            assertEquals(NODE, records.get(0).value().getNodeId());
            assertEquals(NodeState.DEAD, records.get(0).value().getCurrent());

            // The consumer library and the cluster view read it too, given the registry as a property.
            List<StatusChange> handled = new java.util.concurrent.CopyOnWriteArrayList<>();
            try (io.pulse.consumer.PulseConsumer consumer = io.pulse.consumer.PulseConsumer.builder()
                    .bootstrapServers(KAFKA.bootstrapServers())
                    .groupId("published-confluent-library")
                    .topicPrefix(prefix)
                    .offsetReset(io.pulse.consumer.PulseConsumer.OffsetReset.EARLIEST)
                    .property(PulseSerdeConfig.SCHEMA_REGISTRY_URL, registry.url())
                    .onStatusChange(handled::add)
                    .build()) {
                consumer.start();
                long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
                while (handled.isEmpty() && consumer.deadLettered() == 0 && System.nanoTime() < deadline) {
                    Thread.sleep(20);
                }
                assertEquals(0, consumer.deadLettered());
            }
            assertEquals(List.of(records.get(0).value()), handled);
            try (io.pulse.consumer.ClusterView view = io.pulse.consumer.ClusterView.builder()
                    .bootstrapServers(KAFKA.bootstrapServers())
                    .topicPrefix(prefix)
                    .property(PulseSerdeConfig.SCHEMA_REGISTRY_URL, registry.url())
                    .build()) {
                view.start();
                assertTrue(view.awaitCaughtUp(Duration.ofSeconds(60)));
                assertEquals(NodeState.DEAD, view.get(NODE).orElseThrow().getCurrent());
                assertEquals(0, view.undecodable());
            }
            // Without the registry, the library says what is missing (and dead-letters, as for any undecodable record).
            io.pulse.events.EventDecodingException missing = org.junit.jupiter.api.Assertions.assertThrows(
                    io.pulse.events.EventDecodingException.class,
                    () -> new io.pulse.events.EventDecoder(fingerprint -> null)
                            .decodeStatusChange(bytes.get(0).value()));
            assertTrue(missing.getMessage().contains("which needs schema.registry.url"), missing.getMessage());
        }
    }

    private static <T> org.apache.kafka.common.serialization.Serializer<T> configured(
            org.apache.kafka.common.serialization.Serializer<T> serializer, Map<String, Object> configs) {
        serializer.configure(configs, false);
        return serializer;
    }

    /** What any consumer of these tests sets, besides its value deserializer and Pulse's keys. */
    private static Properties properties(String group) {
        Properties props = new Properties();
        props.put("bootstrap.servers", KAFKA.bootstrapServers());
        props.put("group.id", group);
        props.put("auto.offset.reset", "earliest");
        props.put("key.deserializer", "org.apache.kafka.common.serialization.StringDeserializer");
        return props;
    }

    /** Polls a consumer made of {@code props} alone until {@code count} records arrived, 60 s at most. */
    private static <V> List<ConsumerRecord<String, V>> consume(Properties props, List<String> topics, int count) {
        List<ConsumerRecord<String, V>> records = new ArrayList<>();
        try (KafkaConsumer<String, V> consumer = new KafkaConsumer<>(props)) {
            consumer.subscribe(topics);
            long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
            while (records.size() < count && System.nanoTime() < deadline) {
                consumer.poll(Duration.ofMillis(200)).forEach(records::add);
            }
        }
        return records;
    }
}
