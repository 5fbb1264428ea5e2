package io.pulse.consumer;

import io.pulse.events.ChangeReason;
import io.pulse.events.EventCodec;
import io.pulse.events.EventHeaders;
import io.pulse.events.EventType;
import io.pulse.events.FailureMessage;
import io.pulse.events.Heartbeat;
import io.pulse.events.NodeState;
import io.pulse.events.SchemaTopic;
import io.pulse.events.StatusChange;
import io.pulse.events.Topics;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import org.apache.avro.Schema;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;

/** Writes Pulse's topics the way the publisher does (plain producer, single-object Avro), for consumer tests. */
public final class TestEvents implements AutoCloseable {
    public final String prefix;
    public final String failures;
    public final String status;
    private final String bootstrapServers;
    private final KafkaProducer<String, byte[]> producer;

    public TestEvents(String bootstrapServers, String prefix, int partitions) throws Exception {
        this(bootstrapServers, prefix, partitions, true);
    }

    /** The two topics only: the consumer must create their dead-letter topics. */
    static TestEvents withoutDeadLetterTopics(String bootstrapServers, String prefix, int partitions) throws Exception {
        return new TestEvents(bootstrapServers, prefix, partitions, false);
    }

    private TestEvents(String bootstrapServers, String prefix, int partitions, boolean deadLetterTopics)
            throws Exception {
        this.prefix = prefix;
        this.bootstrapServers = bootstrapServers;
        this.failures = Topics.failures(prefix);
        this.status = Topics.status(prefix);
        Properties admin = new Properties();
        admin.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        try (Admin client = Admin.create(admin)) {
            List<NewTopic> topics = new ArrayList<>(List.of(
                    new NewTopic(failures, partitions, (short) 1),
                    new NewTopic(status, partitions, (short) 1)
                            .configs(Map.of(TopicConfig.CLEANUP_POLICY_CONFIG, TopicConfig.CLEANUP_POLICY_COMPACT))));
            if (deadLetterTopics) {
                topics.add(new NewTopic(Topics.deadLetter(failures), 1, (short) 1));
                topics.add(new NewTopic(Topics.deadLetter(status), 1, (short) 1));
            }
            client.createTopics(topics).all().get();
            awaitLeaders(client, List.of(failures, status), partitions);
        }
        Properties props = new Properties();
        props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        props.put(ProducerConfig.ACKS_CONFIG, "all");
        props.put(ProducerConfig.LINGER_MS_CONFIG, 5);
        this.producer = new KafkaProducer<>(props, new StringSerializer(), new ByteArraySerializer());
    }

    /**
     * Waits until the leader of every partition serves it: a producer that starts sooner gets
     * NOT_LEADER_OR_FOLLOWER, after which this broker version's idempotent producer can stall on
     * OutOfOrderSequence. Listing offsets goes to the leader itself, so its success is the proof.
     */
    private static void awaitLeaders(Admin client, List<String> topics, int partitions) throws Exception {
        Map<TopicPartition, OffsetSpec> latest = new HashMap<>();
        for (String topic : topics) {
            for (int p = 0; p < partitions; p++) {
                latest.put(new TopicPartition(topic, p), OffsetSpec.latest());
            }
        }
        long deadline = System.nanoTime() + java.time.Duration.ofSeconds(30).toNanos();
        while (true) {
            try {
                client.listOffsets(latest).all().get();
                return;
            } catch (ExecutionException notYet) {
                if (System.nanoTime() > deadline) {
                    throw new AssertionError("partitions of " + topics + " not served after 30 s", notYet.getCause());
                }
                Thread.sleep(50);
            }
        }
    }

    public static StatusChange change(String node, int sequence, NodeState from, NodeState to) {
        return StatusChange.newBuilder()
                .setEventId(UUID.randomUUID())
                .setObserver("127.0.0.1:7946")
                .setNodeId(node)
                .setPrevious(from)
                .setCurrent(to)
                .setIncarnation(1)
                .setAt(Instant.ofEpochMilli(1_767_225_600_000L + sequence))
                .setTotalProbes(sequence)
                .setLostProbes(0)
                .setReason(ChangeReason.PROBE_ROUND_FAILED)
                .build();
    }

    public static FailureMessage failure(String node, long sequence) {
        return FailureMessage.newBuilder()
                .setEventId(UUID.randomUUID())
                .setObserver("127.0.0.1:7946")
                .setNodeId(node)
                .setState(NodeState.DEAD)
                .setDetectedAt(Instant.ofEpochMilli(1_767_225_600_000L + sequence))
                .setTotalProbes(sequence)
                .build();
    }

    /**
     * What a newer publisher does at start: its writer schemas into the compacted {@code <prefix>.schemas},
     * created first if missing (no schema given: the topic alone, as a publisher older than the topic leaves it).
     */
    public void publishSchemas(Schema... schemas) throws Exception {
        publishSchemas(bootstrapServers, prefix, schemas);
    }

    /** {@link #publishSchemas(Schema...)} for a prefix without event topics. */
    public static void publishSchemas(String bootstrapServers, String prefix, Schema... schemas) throws Exception {
        try (Admin admin = Admin.create(Map.of("bootstrap.servers", bootstrapServers))) {
            if (!admin.listTopics().names().get().contains(Topics.schemas(prefix))) {
                admin.createTopics(List.of(new NewTopic(Topics.schemas(prefix), 1, (short) 1)
                                .configs(
                                        Map.of(TopicConfig.CLEANUP_POLICY_CONFIG, TopicConfig.CLEANUP_POLICY_COMPACT))))
                        .all()
                        .get();
            }
        }
        try (KafkaProducer<String, byte[]> schemaProducer = new KafkaProducer<>(
                Map.of("bootstrap.servers", bootstrapServers), new StringSerializer(), new ByteArraySerializer())) {
            for (Schema schema : schemas) {
                schemaProducer
                        .send(new ProducerRecord<>(
                                Topics.schemas(prefix), SchemaTopic.key(schema), SchemaTopic.value(schema)))
                        .get();
            }
        }
    }

    public void send(StatusChange change) {
        send(
                status,
                null,
                change.getNodeId(),
                EventCodec.encode(change),
                change.getEventId().toString(),
                EventType.STATUS_CHANGE);
    }

    /** To a chosen partition of the status topic, whatever the key would pick. */
    void send(StatusChange change, int partition) {
        send(
                status,
                partition,
                change.getNodeId(),
                EventCodec.encode(change),
                change.getEventId().toString(),
                EventType.STATUS_CHANGE);
    }

    public void send(FailureMessage failure) {
        send(
                failures,
                null,
                failure.getNodeId(),
                EventCodec.encode(failure),
                failure.getEventId().toString(),
                EventType.FAILURE);
    }

    void tombstone(String node) {
        send(status, null, node, null, UUID.randomUUID().toString(), EventType.NODE_REMOVED);
    }

    /** A heartbeat of {@code heartbeat.getObserver()} on the heartbeats topic, as the publisher writes it. */
    public void send(Heartbeat heartbeat) {
        send(
                Topics.heartbeats(prefix),
                null,
                heartbeat.getObserver(),
                EventCodec.encode(heartbeat),
                heartbeat.getEventId().toString(),
                EventType.HEARTBEAT);
    }

    void raw(String topic, String key, byte[] value) {
        producer.send(new ProducerRecord<>(topic, key, value));
    }

    public void flush() {
        producer.flush();
    }

    /** One record with the headers the publisher writes, whatever its value. */
    public void send(String topic, String key, byte[] value, String eventId, EventType type) {
        send(topic, null, key, value, eventId, type);
    }

    private void send(String topic, Integer partition, String key, byte[] value, String eventId, EventType type) {
        RecordHeaders headers = new RecordHeaders();
        if (value != null) {
            headers.add(EventHeaders.CONTENT_TYPE, EventHeaders.AVRO_SINGLE_OBJECT.getBytes(StandardCharsets.UTF_8));
        }
        headers.add(EventHeaders.EVENT_ID, eventId.getBytes(StandardCharsets.UTF_8));
        headers.add(EventHeaders.EVENT_TYPE, type.headerValue().getBytes(StandardCharsets.UTF_8));
        producer.send(new ProducerRecord<>(topic, partition, key, value, headers));
    }

    /** Sends and waits: for a test that needs the record on the broker before it goes on. */
    void sendNow(StatusChange change) throws InterruptedException, ExecutionException {
        send(change);
        producer.flush();
    }

    @Override
    public void close() {
        producer.close();
    }
}
