package io.pulse.kafka;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.pulse.events.EventCodec;
import io.pulse.events.Heartbeat;
import io.pulse.events.SchemaTopic;
import io.pulse.testkit.Eventually;
import io.pulse.testkit.KafkaBrokerExtension;
import io.pulse.testkit.TopicReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.config.TopicConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** The publisher's heartbeat on a real broker: its topic, its records, its schema, its tombstone. */
class HeartbeatsIT {
    @RegisterExtension
    static final KafkaBrokerExtension KAFKA = KafkaBrokerExtension.inJvm();

    private static final Duration TIMEOUT = Duration.ofSeconds(30);

    @TempDir
    Path outbox;

    @Test
    void aPublisherBeatsOnACompactedTopicKeyedByObserverAndLeavesATombstone() throws Exception {
        AtomicInteger watched = new AtomicInteger(3);
        try (PulsePublisher publisher = PulsePublisher.builder()
                .bootstrapServers(KAFKA.bootstrapServers())
                .observer("10.0.0.1:7946")
                .topicPrefix("beats")
                .outboxDir(outbox)
                .property(PublisherConfig.HEARTBEAT_INTERVAL_MS, 200)
                .watching(() -> new Watching(watched.get(), null))
                .version("9.9.9")
                .build()) {
            Eventually.await("heartbeats acknowledged", () -> publisher.stats().heartbeatsSent(), n -> n >= 2, TIMEOUT);
            List<ConsumerRecord<byte[], byte[]>> beats =
                    TopicReader.readAtLeast(KAFKA.bootstrapServers(), "beats.heartbeats", 2, TIMEOUT);
            Heartbeat first = EventCodec.decodeHeartbeat(beats.get(0).value());
            Heartbeat second = EventCodec.decodeHeartbeat(beats.get(1).value());
            assertEquals("10.0.0.1:7946", new String(beats.get(0).key(), StandardCharsets.UTF_8));
            assertEquals("10.0.0.1:7946", first.getObserver());
            assertEquals(200, first.getIntervalMillis());
            assertEquals(3, first.getWatchedNodes());
            assertEquals("9.9.9", first.getVersion());
            assertEquals(first.getStartedAt(), second.getStartedAt());
            assertTrue(second.getSequence() > first.getSequence(), second.getSequence() + " > " + first.getSequence());
            assertTrue(!second.getSentAt().isBefore(first.getSentAt()));
            Eventually.await("heartbeats acknowledged", () -> publisher.stats().heartbeatsSent(), n -> n >= 2, TIMEOUT);

            try (Admin admin = Admin.create(Map.of("bootstrap.servers", KAFKA.bootstrapServers()))) {
                TopicDescription topic = admin.describeTopics(List.of("beats.heartbeats"))
                        .allTopicNames()
                        .get()
                        .get("beats.heartbeats");
                assertEquals(1, topic.partitions().size());
                ConfigResource resource = new ConfigResource(ConfigResource.Type.TOPIC, "beats.heartbeats");
                assertEquals(
                        TopicConfig.CLEANUP_POLICY_COMPACT,
                        admin.describeConfigs(List.of(resource))
                                .all()
                                .get()
                                .get(resource)
                                .get(TopicConfig.CLEANUP_POLICY_CONFIG)
                                .value());
            }
            List<ConsumerRecord<byte[], byte[]>> schemas =
                    TopicReader.readAtLeast(KAFKA.bootstrapServers(), "beats.schemas", 3, TIMEOUT);
            assertTrue(
                    schemas.stream()
                            .anyMatch(r -> new String(r.key(), StandardCharsets.UTF_8)
                                    .equals(SchemaTopic.key(Heartbeat.getClassSchema()))),
                    "the heartbeat's writer schema is in beats.schemas");
        }

        List<ConsumerRecord<byte[], byte[]>> after = TopicReader.readUntil(
                KAFKA.bootstrapServers(),
                "beats.heartbeats",
                records -> !records.isEmpty() && records.get(records.size() - 1).value() == null,
                TIMEOUT);
        assertNull(after.get(after.size() - 1).value(), "a clean close leaves a tombstone");
    }

    @Test
    void zeroIntervalMeansNoHeartbeatAndNoTopic() throws Exception {
        try (PulsePublisher publisher = PulsePublisher.builder()
                .bootstrapServers(KAFKA.bootstrapServers())
                .observer("10.0.0.1:7946")
                .topicPrefix("quiet")
                .outboxDir(outbox)
                .property(PublisherConfig.HEARTBEAT_INTERVAL_MS, 0)
                .build()) {
            assertTrue(publisher.awaitDelivery(TIMEOUT));
            assertEquals(
                    0, publisher.stats().heartbeatsSent() + publisher.stats().heartbeatsDropped());
        }
        try (Admin admin = Admin.create(Map.of("bootstrap.servers", KAFKA.bootstrapServers()))) {
            assertTrue(admin.listTopics().names().get().contains("quiet.status"));
            assertTrue(!admin.listTopics().names().get().contains("quiet.heartbeats"));
        }
    }
}
