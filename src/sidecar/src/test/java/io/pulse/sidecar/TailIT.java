package io.pulse.sidecar;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.pulse.events.ChangeReason;
import io.pulse.events.EventCodec;
import io.pulse.events.EventHeaders;
import io.pulse.events.EventType;
import io.pulse.events.FailureMessage;
import io.pulse.events.NodeState;
import io.pulse.events.StatusChange;
import io.pulse.events.Topics;
import io.pulse.testkit.Eventually;
import io.pulse.testkit.KafkaBrokerExtension;
import io.pulse.testkit.SaslBroker;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.UUID;
import java.util.stream.Collectors;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.acl.AclOperation;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.resource.PatternType;
import org.apache.kafka.common.resource.ResourcePattern;
import org.apache.kafka.common.resource.ResourceType;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code pulse tail} against a SASL/SCRAM broker with ACLs, as a principal that may only read
 * and describe the topics: no group, no Create, no Write. It prints what is on the topics and
 * leaves the cluster as it found it: the same topics, the same end offsets, no consumer group.
 */
class TailIT {
    private static final SaslBroker SASL = SaslBroker.create();
    private static final String PREFIX = "tail.";
    private static final String READER = "tail-reader";
    private static final String PASSWORD = "reader-secret";
    private static final Duration LIMIT = Duration.ofSeconds(40);
    private static final String NODE_A = "10.0.0.1:7946";
    private static final String NODE_B = "10.0.0.2:7946";

    @RegisterExtension
    static final KafkaBrokerExtension kafka = SASL.extension();

    private static Admin admin;
    private static KafkaProducer<byte[], byte[]> producer;

    @TempDir
    Path dir;

    @BeforeAll
    static void readerAndSetup() throws Exception {
        SASL.addUsers(kafka, READER, PASSWORD);
        SaslBroker.allow(
                kafka,
                READER,
                new ResourcePattern(ResourceType.TOPIC, PREFIX, PatternType.PREFIXED),
                AclOperation.READ,
                AclOperation.DESCRIBE);
        admin = Admin.create(Map.of("bootstrap.servers", kafka.bootstrapServers()));
        producer = new KafkaProducer<>(
                Map.of("bootstrap.servers", kafka.bootstrapServers()),
                new ByteArraySerializer(),
                new ByteArraySerializer());
    }

    @AfterAll
    static void closeClients() {
        producer.close();
        admin.close();
    }

    @Test
    void printsWhatIsOnTheTopicsSkipsWhatIsNoEventAndLeavesNoTrace() throws Exception {
        String prefix = PREFIX + "all";
        createTopics(prefix);
        send(Topics.failures(prefix), NODE_A, EventCodec.encode(failure(NODE_A, "10.0.0.9:1")), EventType.FAILURE);
        send(Topics.failures(prefix), NODE_A, new byte[] {1, 2, 3}, EventType.FAILURE);
        send(Topics.status(prefix), NODE_B, EventCodec.encode(change(NODE_B)), EventType.STATUS_CHANGE);
        send(Topics.status(prefix), NODE_B, null, EventType.NODE_REMOVED);
        producer.flush();
        Set<String> topicsBefore = topics();
        Map<String, Long> offsetsBefore = endOffsets(topicsBefore);

        try (PulseProcess tail = PulseProcess.start(
                dir,
                readerEnvironment(prefix),
                "tail",
                "--from-beginning",
                "--json",
                "--max-events",
                "3",
                "--timeout",
                LIMIT.toSeconds() + "s")) {
            assertEquals(0, tail.awaitExit(LIMIT.plusSeconds(20)), tail.transcript());
            List<String> lines = tail.output().lines().toList();
            assertEquals(3, lines.size(), tail.transcript());
            assertTrue(lines.get(0).startsWith("{\"event\":\"failure\",\"eventId\":"), lines.get(0));
            assertTrue(
                    lines.get(0).contains("\"observer\":\"10.0.0.9:1\",")
                            && lines.get(0).contains("\"nodeId\":\"" + NODE_A + "\""),
                    lines.get(0));
            assertTrue(lines.get(1).startsWith("{\"event\":\"status\",\"eventId\":"), lines.get(1));
            assertTrue(lines.get(1).contains("\"nodeId\":\"" + NODE_B + "\""), lines.get(1));
            assertEquals("{\"event\":\"removed\",\"nodeId\":\"" + NODE_B + "\"}", lines.get(2));
            assertTrue(
                    tail.errors()
                            .contains(
                                    "pulse tail: skipped " + Topics.failures(prefix) + "-0@1: got 3 bytes "
                                            + "(expected: at least 10 bytes of single-object io.pulse.events.FailureMessage)\n"),
                    tail.errors());
        }
        assertEquals(topicsBefore, topics(), "no topic created (no dead-letter topics)");
        assertEquals(offsetsBefore, endOffsets(topicsBefore), "nothing written");
        assertEquals(
                List.of(),
                admin.listGroups().all().get().stream().map(g -> g.groupId()).toList(),
                "no consumer group");
    }

    /** By default only what arrives after the start; --node and --type leave out the other events. */
    @Test
    void startsAtTheEndAndFiltersByNodeAndType() throws Exception {
        String prefix = PREFIX + "new";
        createTopics(prefix);
        send(Topics.failures(prefix), NODE_A, EventCodec.encode(failure(NODE_A, "10.0.0.9:1")), EventType.FAILURE);
        producer.flush();
        Set<String> topicsBefore = topics();
        List<String> args = new ArrayList<>(List.of(
                "tail",
                "--topic-prefix",
                prefix,
                "-b",
                SASL.saslServers(),
                "--set",
                "kafka.properties.security.protocol=SASL_PLAINTEXT",
                "--set",
                "kafka.properties.sasl.mechanism=" + SaslBroker.MECHANISM,
                "--node",
                NODE_A,
                "--type",
                "failure",
                "--json",
                "--max-events",
                "1",
                "--timeout",
                LIMIT.toSeconds() + "s"));
        Map<String, String> env = Map.of("PULSE_KAFKA_PROPERTIES_SASL_JAAS_CONFIG", SaslBroker.jaas(READER, PASSWORD));
        try (PulseProcess tail = PulseProcess.start(dir, env, args.toArray(String[]::new))) {
            // tail says nothing when it is ready: events are sent until it has printed one
            long deadline = System.nanoTime() + LIMIT.toNanos();
            while (tail.output().isEmpty() && System.nanoTime() < deadline) {
                send(Topics.status(prefix), NODE_A, EventCodec.encode(change(NODE_A)), EventType.STATUS_CHANGE);
                send(
                        Topics.failures(prefix),
                        NODE_B,
                        EventCodec.encode(failure(NODE_B, "10.0.0.9:2")),
                        EventType.FAILURE);
                send(
                        Topics.failures(prefix),
                        NODE_A,
                        EventCodec.encode(failure(NODE_A, "10.0.0.9:2")),
                        EventType.FAILURE);
                producer.flush();
                Thread.sleep(300);
            }
            assertEquals(0, tail.awaitExit(LIMIT), tail.transcript());
            List<String> lines = tail.output().lines().toList();
            assertEquals(1, lines.size(), tail.transcript());
            assertTrue(lines.get(0).startsWith("{\"event\":\"failure\","), lines.get(0));
            assertTrue(
                    lines.get(0).contains("\"observer\":\"10.0.0.9:2\",")
                            && lines.get(0).contains("\"nodeId\":\"" + NODE_A + "\""),
                    lines.get(0));
        }
        assertEquals(topicsBefore, topics(), "no topic created");
    }

    /** Topics that do not exist yet are not created by tail; once the publisher creates them, tail reads them from their start. */
    @Test
    void waitsForTopicsThatDoNotExistYetWithoutCreatingThem() throws Exception {
        String prefix = PREFIX + "later";
        try (PulseProcess tail = PulseProcess.start(
                dir, readerEnvironment(prefix), "tail", "--max-events", "1", "--timeout", LIMIT.toSeconds() + "s")) {
            String waiting = "pulse tail: waiting for " + Topics.failures(prefix) + " and " + Topics.status(prefix)
                    + " (no such topic yet; looked for every 1s)\n";
            Eventually.await("tail looked for the topics", tail::errors, waiting::equals, LIMIT);
            Thread.sleep(1_500); // and looked again
            assertEquals("", tail.output());
            assertEquals(
                    Set.of(),
                    topics().stream().filter(t -> t.startsWith(prefix)).collect(Collectors.toSet()),
                    "tail created no topic");
            createTopics(prefix);
            send(Topics.failures(prefix), NODE_A, EventCodec.encode(failure(NODE_A, "10.0.0.9:1")), EventType.FAILURE);
            producer.flush();
            assertEquals(0, tail.awaitExit(LIMIT), tail.transcript());
            assertTrue(tail.output().startsWith("TIME "), tail.output());
            assertTrue(tail.output().contains("FAILURE  " + NODE_A), tail.output());
        }
    }

    private static Map<String, String> readerEnvironment(String prefix) {
        return Map.of(
                "PULSE_KAFKA_BOOTSTRAP_SERVERS",
                SASL.saslServers(),
                "PULSE_KAFKA_TOPIC_PREFIX",
                prefix,
                "PULSE_KAFKA_PROPERTIES_SECURITY_PROTOCOL",
                "SASL_PLAINTEXT",
                "PULSE_KAFKA_PROPERTIES_SASL_MECHANISM",
                SaslBroker.MECHANISM,
                "PULSE_KAFKA_PROPERTIES_SASL_JAAS_CONFIG",
                SaslBroker.jaas(READER, PASSWORD));
    }

    private static void createTopics(String prefix) throws Exception {
        admin.createTopics(List.of(
                        new NewTopic(Topics.failures(prefix), 1, (short) 1),
                        new NewTopic(Topics.status(prefix), 1, (short) 1)))
                .all()
                .get();
    }

    private static Set<String> topics() throws Exception {
        return new TreeSet<>(admin.listTopics().names().get());
    }

    private static Map<String, Long> endOffsets(Set<String> topics) throws Exception {
        Map<TopicPartition, OffsetSpec> latest = admin.describeTopics(topics).allTopicNames().get().values().stream()
                .flatMap(t -> t.partitions().stream().map(p -> new TopicPartition(t.name(), p.partition())))
                .collect(Collectors.toMap(p -> p, p -> OffsetSpec.latest()));
        Map<String, Long> offsets = new TreeMap<>();
        admin.listOffsets(latest)
                .all()
                .get()
                .forEach((partition, info) -> offsets.put(partition.toString(), info.offset()));
        return offsets;
    }

    private static void send(String topic, String node, byte[] value, EventType type) {
        RecordHeaders headers = new RecordHeaders();
        headers.add(EventHeaders.EVENT_ID, UUID.randomUUID().toString().getBytes(StandardCharsets.UTF_8));
        headers.add(EventHeaders.EVENT_TYPE, type.headerValue().getBytes(StandardCharsets.UTF_8));
        producer.send(new ProducerRecord<>(topic, null, node.getBytes(StandardCharsets.UTF_8), value, headers));
    }

    private static FailureMessage failure(String node, String observer) {
        return FailureMessage.newBuilder()
                .setEventId(UUID.randomUUID())
                .setObserver(observer)
                .setNodeId(node)
                .setState(NodeState.DEAD)
                .setDetectedAt(Instant.parse("2026-12-04T12:00:00Z"))
                .setTotalProbes(3)
                .build();
    }

    private static StatusChange change(String node) {
        return StatusChange.newBuilder()
                .setEventId(UUID.randomUUID())
                .setObserver("10.0.0.9:1")
                .setNodeId(node)
                .setPrevious(NodeState.ALIVE)
                .setCurrent(NodeState.SUSPECT)
                .setIncarnation(1)
                .setAt(Instant.parse("2026-12-04T12:00:00Z"))
                .setTotalProbes(3)
                .setLostProbes(1)
                .setReason(ChangeReason.PROBE_ROUND_FAILED)
                .build();
    }
}
