package io.pulse.consumer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.pulse.core.NodeId;
import io.pulse.events.ChangeReason;
import io.pulse.events.EventCodec;
import io.pulse.events.EventType;
import io.pulse.events.FailureMessage;
import io.pulse.events.KafkaWriterSchemas;
import io.pulse.events.NewerSchemas;
import io.pulse.events.NodeState;
import io.pulse.events.SchemaTopic;
import io.pulse.events.StatusChange;
import io.pulse.events.Topics;
import io.pulse.events.UnknownWriterSchemaException;
import io.pulse.kafka.PulsePublisher;
import io.pulse.kafka.testing.KafkaBrokerExtension;
import io.pulse.kafka.testing.TopicReader;
import io.pulse.sidecar.tail.TopicTail;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericRecord;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInfo;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Forward and backward compatibility through a real broker and the schemas topic: today's
 * consumer library reads what a newer Pulse writes, and a newer reader reads what today's
 * publisher writes. The codec-level proof: {@code io.pulse.events.ForwardCompatibilityTest}.
 */
class SchemaTopicIT {
    @RegisterExtension
    static final KafkaBrokerExtension KAFKA = KafkaBrokerExtension.inJvm();
    private static final String NODE = "10.0.0.7:7946";

    @TempDir
    Path outbox;

    private static String prefix(TestInfo info) {
        return "s." + info.getTestMethod().orElseThrow().getName();
    }

    /** What a newer publisher does at start: its writer schemas into the compacted {@code <prefix>.schemas}. */
    static void publishSchemas(String prefix, Schema... schemas) throws Exception {
        try (Admin admin = Admin.create(Map.of("bootstrap.servers", KAFKA.bootstrapServers()))) {
            if (!admin.listTopics().names().get().contains(Topics.schemas(prefix))) {
                admin.createTopics(List.of(new NewTopic(Topics.schemas(prefix), 1, (short) 1).configs(
                        Map.of(TopicConfig.CLEANUP_POLICY_CONFIG, TopicConfig.CLEANUP_POLICY_COMPACT)))).all().get();
            }
        }
        try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(
                Map.of("bootstrap.servers", KAFKA.bootstrapServers()), new StringSerializer(), new ByteArraySerializer())) {
            for (Schema schema : schemas) {
                producer.send(new ProducerRecord<>(Topics.schemas(prefix), SchemaTopic.key(schema),
                        SchemaTopic.value(schema))).get();
            }
        }
    }

    private PulseConsumer.Builder consumer(TestEvents events, String group) {
        return PulseConsumer.builder().bootstrapServers(KAFKA.bootstrapServers()).groupId(group)
                .topicPrefix(events.prefix).offsetReset(PulseConsumer.OffsetReset.EARLIEST);
    }

    @Test
    void todaysConsumerAndViewReadANewerPublishersEvents(TestInfo info) throws Exception {
        try (TestEvents events = new TestEvents(KAFKA.bootstrapServers(), prefix(info), 2)) {
            publishSchemas(events.prefix, NewerSchemas.FAILURE, NewerSchemas.STATUS_CHANGE);
            events.send(events.status, NODE, NewerSchemas.statusChange(NODE), NewerSchemas.EVENT_ID.toString(),
                    EventType.STATUS_CHANGE);
            events.send(events.failures, NODE, NewerSchemas.failure(NODE), NewerSchemas.FAILURE_EVENT_ID.toString(),
                    EventType.FAILURE);
            events.send(TestEvents.change("10.0.0.8:7946", 1, NodeState.ALIVE, NodeState.SUSPECT)); // today's schema
            events.flush();

            List<StatusChange> changes = new CopyOnWriteArrayList<>();
            List<FailureMessage> failures = new CopyOnWriteArrayList<>();
            try (PulseConsumer consumer = consumer(events, "newer").onStatusChange(changes::add)
                    .onFailure(failures::add).build()) {
                consumer.start();
                PulseConsumerIT.await(() -> changes.size() == 2 && failures.size() == 1, "three events handled");
                assertEquals(0, consumer.deadLettered());
            }
            StatusChange newer = changes.stream().filter(c -> c.getNodeId().equals(NODE)).findFirst().orElseThrow();
            assertEquals(NodeState.ALIVE, newer.getPrevious());
            assertEquals(NodeState.UNKNOWN, newer.getCurrent(), "DRAINING, a symbol today's reader does not know");
            assertEquals(ChangeReason.UNKNOWN, newer.getReason(), "DRAINED");
            assertEquals(Instant.ofEpochMilli(NewerSchemas.AT_MS), newer.getAt());
            assertEquals(NodeState.UNKNOWN, failures.get(0).getState());
            assertEquals(List.of("10.0.0.2:7946"), failures.get(0).getIndirectPeers());

            try (ClusterView view = ClusterView.builder().bootstrapServers(KAFKA.bootstrapServers())
                    .topicPrefix(events.prefix).build()) {
                view.start();
                assertTrue(view.awaitCaughtUp(Duration.ofSeconds(60)));
                assertEquals(NodeState.UNKNOWN, view.get(NODE).orElseThrow().getCurrent());
                assertEquals(NodeState.SUSPECT, view.get("10.0.0.8:7946").orElseThrow().getCurrent());
                assertEquals(0, view.undecodable());
            }

            // pulse tail and the dashboard read through TopicTail: the same schemas, the same events.
            List<Object> tailed = new CopyOnWriteArrayList<>();
            List<String> skipped = new CopyOnWriteArrayList<>();
            Properties properties = new Properties();
            properties.put("bootstrap.servers", KAFKA.bootstrapServers());
            try (TopicTail tail = new TopicTail(properties, events.prefix, List.of(events.failures, events.status),
                    TopicTail.Start.BEGINNING, null, Set.of(), new TopicTail.Sink() {
                        @Override
                        public void failure(FailureMessage failure) {
                            tailed.add(failure);
                        }

                        @Override
                        public void status(StatusChange change) {
                            tailed.add(change);
                        }

                        @Override
                        public void removed(String nodeId, Instant at) {
                            tailed.add(nodeId);
                        }

                        @Override
                        public void skipped(String warning) {
                            skipped.add(warning);
                        }
                    })) {
                long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
                while (tailed.size() + skipped.size() < 3 && System.nanoTime() < deadline) {
                    tail.poll(Duration.ofMillis(200));
                }
            }
            assertEquals(List.of(), skipped);
            assertEquals(3, tailed.size(), tailed.toString());
            assertTrue(tailed.contains(newer), tailed.toString());
        }
    }

    @Test
    void aSchemaMissingFromTheSchemasTopicIsDeadLetteredWithTheReasonAndFoundOnceItIsThere(TestInfo info)
            throws Exception {
        try (TestEvents events = new TestEvents(KAFKA.bootstrapServers(), prefix(info), 1)) {
            publishSchemas(events.prefix); // the topic, empty: a publisher older than the schemas topic
            events.send(events.status, NODE, NewerSchemas.statusChange(NODE), NewerSchemas.EVENT_ID.toString(),
                    EventType.STATUS_CHANGE);
            events.flush();
            List<StatusChange> changes = new CopyOnWriteArrayList<>();
            try (PulseConsumer consumer = consumer(events, "missing").onStatusChange(changes::add)
                    .schemaLookupTimeout(Duration.ofSeconds(10)).build()) {
                consumer.start();
                PulseConsumerIT.await(() -> consumer.deadLettered() == 1, "the newer record dead-lettered");

                ConsumerRecord<byte[], byte[]> letter = TopicReader.readAtLeast(KAFKA.bootstrapServers(),
                        Topics.deadLetter(events.status), 1, Duration.ofSeconds(60)).get(0);
                assertEquals("io.pulse.events.EventDecodingException",
                        header(letter, DeadLetterHeaders.EXCEPTION_FQCN));
                assertEquals("cannot decode io.pulse.events.StatusChange: unknown writer schema "
                        + SchemaTopic.key(NewerSchemas.STATUS_CHANGE) + ": neither shipped with this reader nor in topic "
                        + Topics.schemas(events.prefix) + " (is the writer's Pulse older than the schemas topic, or the"
                        + " topic's retention wrong?)", header(letter, DeadLetterHeaders.EXCEPTION_MESSAGE));

                publishSchemas(events.prefix, NewerSchemas.STATUS_CHANGE);
                events.send(events.status, NODE, NewerSchemas.statusChange(NODE), "second", EventType.STATUS_CHANGE);
                events.flush();
                PulseConsumerIT.await(() -> changes.size() == 1, "the next newer record handled");
                assertEquals(NodeState.UNKNOWN, changes.get(0).getCurrent());
                assertEquals(1, consumer.deadLettered());
            }
        }
    }

    /** The reverse: a reader built on the newer schema, which ships no other, reads the real publisher's events. */
    @Test
    void aNewerReaderReadsTodaysPublisherThroughTheSchemasTopic(TestInfo info) throws Exception {
        String prefix = prefix(info);
        try (PulsePublisher publisher = PulsePublisher.builder().bootstrapServers(KAFKA.bootstrapServers())
                .observer("10.0.0.1:7946").topicPrefix(prefix).outboxDir(outbox).build()) {
            assertTrue(publisher.publish(new io.pulse.core.StatusChange(NodeId.parse(NODE), io.pulse.core.NodeState.ALIVE,
                    io.pulse.core.NodeState.SUSPECT, 3, Instant.ofEpochMilli(NewerSchemas.AT_MS), Duration.ofMillis(2),
                    null, 10, 3, io.pulse.core.StatusChange.Reason.PROBE_ROUND_FAILED)));
            assertTrue(publisher.awaitDelivery(Duration.ofSeconds(60)));
        }
        ConsumerRecord<byte[], byte[]> record = TopicReader.readAtLeast(KAFKA.bootstrapServers(), Topics.status(prefix),
                1, Duration.ofSeconds(60)).get(0);

        try (KafkaWriterSchemas schemas = new KafkaWriterSchemas(Map.of("bootstrap.servers", KAFKA.bootstrapServers()),
                Topics.schemas(prefix), Duration.ofSeconds(10))) {
            GenericRecord read = NewerSchemas.newerReader(NewerSchemas.STATUS_CHANGE, schemas).decode(record.value());

            assertEquals(EventCodec.fingerprint(StatusChange.getClassSchema()),
                    EventCodec.fingerprint(schemas.resolve(EventCodec.fingerprint(StatusChange.getClassSchema()))));
            assertEquals("SUSPECT", read.get("current").toString());
            assertEquals("PROBE_ROUND_FAILED", read.get("reason").toString());
            assertEquals(NODE, read.get("nodeId").toString());
            assertEquals(2000L, read.get("srttMicros"));
            assertNull(read.get("zone"), "the newer field, at its default");
            assertEquals(0, schemas.skipped());
        }
    }

    /** A record whose value is no schema, or another schema than its key says, is skipped: it must not be used. */
    @Test
    void aSchemaRecordThatDoesNotMatchItsKeyIsSkipped(TestInfo info) throws Exception {
        String prefix = prefix(info);
        publishSchemas(prefix);
        try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(
                Map.of("bootstrap.servers", KAFKA.bootstrapServers()), new StringSerializer(), new ByteArraySerializer())) {
            producer.send(new ProducerRecord<>(Topics.schemas(prefix), SchemaTopic.key(NewerSchemas.STATUS_CHANGE),
                    SchemaTopic.value(NewerSchemas.FAILURE))).get();
            producer.send(new ProducerRecord<>(Topics.schemas(prefix), SchemaTopic.key(NewerSchemas.FAILURE),
                    "{not a schema".getBytes(StandardCharsets.UTF_8))).get();
        }
        publishSchemas(prefix, NewerSchemas.FAILURE);

        try (KafkaWriterSchemas schemas = new KafkaWriterSchemas(Map.of("bootstrap.servers", KAFKA.bootstrapServers()),
                Topics.schemas(prefix), Duration.ofSeconds(10))) {
            assertEquals(NewerSchemas.FAILURE, schemas.resolve(EventCodec.fingerprint(NewerSchemas.FAILURE)));
            UnknownWriterSchemaException e = assertThrows(UnknownWriterSchemaException.class,
                    () -> schemas.resolve(EventCodec.fingerprint(NewerSchemas.STATUS_CHANGE)));
            assertEquals(EventCodec.fingerprint(NewerSchemas.STATUS_CHANGE), e.fingerprint());
            assertEquals(2, schemas.skipped());
        }
    }

    private static String header(ConsumerRecord<byte[], byte[]> record, String name) {
        return new String(record.headers().lastHeader(name).value(), StandardCharsets.UTF_8);
    }
}
