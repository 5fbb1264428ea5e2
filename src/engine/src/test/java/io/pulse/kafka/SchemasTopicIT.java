package io.pulse.kafka;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.pulse.core.Liveness;
import io.pulse.core.NodeId;
import io.pulse.core.Transition;
import io.pulse.events.EventCodec;
import io.pulse.events.KafkaWriterSchemas;
import io.pulse.events.NewerSchemas;
import io.pulse.events.StatusChange;
import io.pulse.events.Topics;
import io.pulse.testkit.KafkaBrokerExtension;
import io.pulse.testkit.TopicReader;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import org.apache.avro.generic.GenericRecord;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInfo;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Backward compatibility through a real broker: a newer reader reads what today's publisher writes,
 * its writer schema found in the schemas topic (the other way round: {@code io.pulse.consumer.SchemaTopicIT}).
 */
class SchemasTopicIT {
    @RegisterExtension
    static final KafkaBrokerExtension KAFKA = KafkaBrokerExtension.inJvm();

    private static final String NODE = "10.0.0.7:7946";

    @TempDir
    Path outbox;

    private static String prefix(TestInfo info) {
        return "s." + info.getTestMethod().orElseThrow().getName();
    }

    /** The reverse: a reader built on the newer schema, which ships no other, reads the real publisher's events. */
    @Test
    void aNewerReaderReadsTodaysPublisherThroughTheSchemasTopic(TestInfo info) throws Exception {
        String prefix = prefix(info);
        try (PulsePublisher publisher = PulsePublisher.builder()
                .bootstrapServers(KAFKA.bootstrapServers())
                .observer("10.0.0.1:7946")
                .topicPrefix(prefix)
                .outboxDir(outbox)
                .build()) {
            assertTrue(publisher.publish(new Transition(
                    NodeId.parse(NODE),
                    Liveness.ALIVE,
                    Liveness.SUSPECT,
                    3,
                    Instant.ofEpochMilli(NewerSchemas.AT_MS),
                    Duration.ofMillis(2),
                    null,
                    10,
                    3,
                    Transition.Reason.PROBE_ROUND_FAILED)));
            assertTrue(publisher.awaitDelivery(Duration.ofSeconds(60)));
        }
        ConsumerRecord<byte[], byte[]> record = TopicReader.readAtLeast(
                        KAFKA.bootstrapServers(), Topics.status(prefix), 1, Duration.ofSeconds(60))
                .get(0);

        try (KafkaWriterSchemas schemas = new KafkaWriterSchemas(
                Map.of("bootstrap.servers", KAFKA.bootstrapServers()),
                Topics.schemas(prefix),
                Duration.ofSeconds(10))) {
            GenericRecord read = NewerSchemas.newerReader(NewerSchemas.STATUS_CHANGE, schemas)
                    .decode(record.value());

            assertEquals(
                    EventCodec.fingerprint(StatusChange.getClassSchema()),
                    EventCodec.fingerprint(schemas.resolve(EventCodec.fingerprint(StatusChange.getClassSchema()))));
            assertEquals("SUSPECT", read.get("current").toString());
            assertEquals("PROBE_ROUND_FAILED", read.get("reason").toString());
            assertEquals(NODE, read.get("nodeId").toString());
            assertEquals(2000L, read.get("srttMicros"));
            assertNull(read.get("zone"), "the newer field, at its default");
            assertEquals(0, schemas.skipped());
        }
    }
}
