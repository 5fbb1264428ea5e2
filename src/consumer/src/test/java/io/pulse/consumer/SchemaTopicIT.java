package io.pulse.consumer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

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
import io.pulse.testkit.KafkaBrokerExtension;
import io.pulse.testkit.TopicReader;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInfo;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Forward compatibility through a real broker and the schemas topic: today's consumer library reads
 * what a newer Pulse writes. The codec-level proof: {@code io.pulse.events.ForwardCompatibilityTest};
 * the reverse (a newer reader, today's publisher): {@code io.pulse.kafka.SchemasTopicIT}; pulse tail:
 * {@code io.pulse.sidecar.tail.TopicTailSchemasIT}.
 */
class SchemaTopicIT {
    @RegisterExtension
    static final KafkaBrokerExtension KAFKA = KafkaBrokerExtension.inJvm();

    private static final String NODE = "10.0.0.7:7946";

    private static String prefix(TestInfo info) {
        return "s." + info.getTestMethod().orElseThrow().getName();
    }

    private PulseConsumer.Builder consumer(TestEvents events, String group) {
        return PulseConsumer.builder()
                .bootstrapServers(KAFKA.bootstrapServers())
                .groupId(group)
                .topicPrefix(events.prefix)
                .offsetReset(PulseConsumer.OffsetReset.EARLIEST);
    }

    @Test
    void todaysConsumerAndViewReadANewerPublishersEvents(TestInfo info) throws Exception {
        try (TestEvents events = new TestEvents(KAFKA.bootstrapServers(), prefix(info), 2)) {
            events.publishSchemas(NewerSchemas.FAILURE, NewerSchemas.STATUS_CHANGE);
            events.send(
                    events.status,
                    NODE,
                    NewerSchemas.statusChange(NODE),
                    NewerSchemas.EVENT_ID.toString(),
                    EventType.STATUS_CHANGE);
            events.send(
                    events.failures,
                    NODE,
                    NewerSchemas.failure(NODE),
                    NewerSchemas.FAILURE_EVENT_ID.toString(),
                    EventType.FAILURE);
            events.send(TestEvents.change("10.0.0.8:7946", 1, NodeState.ALIVE, NodeState.SUSPECT)); // today's schema
            events.flush();

            List<StatusChange> changes = new CopyOnWriteArrayList<>();
            List<FailureMessage> failures = new CopyOnWriteArrayList<>();
            try (PulseConsumer consumer = consumer(events, "newer")
                    .onStatusChange(changes::add)
                    .onFailure(failures::add)
                    .build()) {
                consumer.start();
                PulseConsumerIT.await(() -> changes.size() == 2 && failures.size() == 1, "three events handled");
                assertEquals(0, consumer.deadLettered());
            }
            StatusChange newer = changes.stream()
                    .filter(c -> c.getNodeId().equals(NODE))
                    .findFirst()
                    .orElseThrow();
            assertEquals(NodeState.ALIVE, newer.getPrevious());
            assertEquals(NodeState.UNKNOWN, newer.getCurrent(), "DRAINING, a symbol today's reader does not know");
            assertEquals(ChangeReason.UNKNOWN, newer.getReason(), "DRAINED");
            assertEquals(Instant.ofEpochMilli(NewerSchemas.AT_MS), newer.getAt());
            assertEquals(NodeState.UNKNOWN, failures.get(0).getState());
            assertEquals(List.of("10.0.0.2:7946"), failures.get(0).getIndirectPeers());

            try (ClusterView view = ClusterView.builder()
                    .bootstrapServers(KAFKA.bootstrapServers())
                    .topicPrefix(events.prefix)
                    .build()) {
                view.start();
                assertTrue(view.awaitCaughtUp(Duration.ofSeconds(60)));
                assertEquals(NodeState.UNKNOWN, view.get(NODE).orElseThrow().getCurrent());
                assertEquals(
                        NodeState.SUSPECT,
                        view.get("10.0.0.8:7946").orElseThrow().getCurrent());
                assertEquals(0, view.undecodable());
            }
        }
    }

    @Test
    void aSchemaMissingFromTheSchemasTopicIsDeadLetteredWithTheReasonAndFoundOnceItIsThere(TestInfo info)
            throws Exception {
        try (TestEvents events = new TestEvents(KAFKA.bootstrapServers(), prefix(info), 1)) {
            events.publishSchemas(); // the topic, empty: a publisher older than the schemas topic
            events.send(
                    events.status,
                    NODE,
                    NewerSchemas.statusChange(NODE),
                    NewerSchemas.EVENT_ID.toString(),
                    EventType.STATUS_CHANGE);
            events.flush();
            List<StatusChange> changes = new CopyOnWriteArrayList<>();
            try (PulseConsumer consumer = consumer(events, "missing")
                    .onStatusChange(changes::add)
                    .schemaLookupTimeout(Duration.ofSeconds(10))
                    .build()) {
                consumer.start();
                PulseConsumerIT.await(() -> consumer.deadLettered() == 1, "the newer record dead-lettered");

                ConsumerRecord<byte[], byte[]> letter = TopicReader.readAtLeast(
                                KAFKA.bootstrapServers(), Topics.deadLetter(events.status), 1, Duration.ofSeconds(60))
                        .get(0);
                assertEquals(
                        "io.pulse.events.EventDecodingException", header(letter, DeadLetterHeaders.EXCEPTION_FQCN));
                assertEquals(
                        "cannot decode io.pulse.events.StatusChange: unknown writer schema "
                                + SchemaTopic.key(NewerSchemas.STATUS_CHANGE)
                                + ": neither shipped with this reader nor in topic "
                                + Topics.schemas(events.prefix)
                                + " (is the writer's Pulse older than the schemas topic, or the"
                                + " topic's retention wrong?)",
                        header(letter, DeadLetterHeaders.EXCEPTION_MESSAGE));

                events.publishSchemas(NewerSchemas.STATUS_CHANGE);
                events.send(events.status, NODE, NewerSchemas.statusChange(NODE), "second", EventType.STATUS_CHANGE);
                events.flush();
                PulseConsumerIT.await(() -> changes.size() == 1, "the next newer record handled");
                assertEquals(NodeState.UNKNOWN, changes.get(0).getCurrent());
                assertEquals(1, consumer.deadLettered());
            }
        }
    }

    /** A record whose value is no schema, or another schema than its key says, is skipped: it must not be used. */
    @Test
    void aSchemaRecordThatDoesNotMatchItsKeyIsSkipped(TestInfo info) throws Exception {
        String prefix = prefix(info);
        TestEvents.publishSchemas(KAFKA.bootstrapServers(), prefix);
        try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(
                Map.of("bootstrap.servers", KAFKA.bootstrapServers()),
                new StringSerializer(),
                new ByteArraySerializer())) {
            producer.send(new ProducerRecord<>(
                            Topics.schemas(prefix),
                            SchemaTopic.key(NewerSchemas.STATUS_CHANGE),
                            SchemaTopic.value(NewerSchemas.FAILURE)))
                    .get();
            producer.send(new ProducerRecord<>(
                            Topics.schemas(prefix),
                            SchemaTopic.key(NewerSchemas.FAILURE),
                            "{not a schema".getBytes(StandardCharsets.UTF_8)))
                    .get();
        }
        TestEvents.publishSchemas(KAFKA.bootstrapServers(), prefix, NewerSchemas.FAILURE);

        try (KafkaWriterSchemas schemas = new KafkaWriterSchemas(
                Map.of("bootstrap.servers", KAFKA.bootstrapServers()),
                Topics.schemas(prefix),
                Duration.ofSeconds(10))) {
            assertEquals(NewerSchemas.FAILURE, schemas.resolve(EventCodec.fingerprint(NewerSchemas.FAILURE)));
            UnknownWriterSchemaException e = assertThrows(
                    UnknownWriterSchemaException.class,
                    () -> schemas.resolve(EventCodec.fingerprint(NewerSchemas.STATUS_CHANGE)));
            assertEquals(EventCodec.fingerprint(NewerSchemas.STATUS_CHANGE), e.fingerprint());
            assertEquals(2, schemas.skipped());
        }
    }

    private static String header(ConsumerRecord<byte[], byte[]> record, String name) {
        return new String(record.headers().lastHeader(name).value(), StandardCharsets.UTF_8);
    }
}
