package io.pulse.kafka;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.pulse.core.NodeId;
import io.pulse.events.EventCodec;
import io.pulse.testkit.TopicReader;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.testcontainers.junit.jupiter.Container;
import org.testcontainers.junit.jupiter.Testcontainers;
import org.testcontainers.kafka.KafkaContainer;

/**
 * The round trip against Kafka in Docker (testcontainers-kafka), for machines that have Docker;
 * skipped, not failed, where there is none. The image follows the client version unless
 * {@code -Dpulse.test.kafka.image=...} names another.
 */
@Testcontainers(disabledWithoutDocker = true)
class ContainerRoundTripIT {
    static final String IMAGE = System.getProperty("pulse.test.kafka.image", "apache/kafka:4.4.0");

    @Container
    static final KafkaContainer kafka = new KafkaContainer(IMAGE);

    @TempDir
    Path outbox;

    @Test
    void eventsRoundTrip() throws Exception {
        try (PulsePublisher publisher = PulsePublisher.builder()
                .bootstrapServers(kafka.getBootstrapServers())
                .observer("10.0.0.1:7946")
                .outboxDir(outbox)
                .build()) {
            assertTrue(publisher.publish(PulsePublisherIT.change()));
            assertTrue(publisher.publish(PulsePublisherIT.failure()));
            assertTrue(publisher.publishRemoval(NodeId.parse("10.0.0.7:7946")));
            assertTrue(publisher.awaitDelivery(Duration.ofSeconds(30)));
        }

        List<ConsumerRecord<byte[], byte[]>> status =
                TopicReader.readAtLeast(kafka.getBootstrapServers(), "pulse.status", 2, Duration.ofSeconds(30));
        assertEquals(
                io.pulse.events.NodeState.SUSPECT,
                EventCodec.decodeStatusChange(status.get(0).value()).getCurrent());
        assertEquals(null, status.get(1).value());
        List<ConsumerRecord<byte[], byte[]>> failures =
                TopicReader.readAtLeast(kafka.getBootstrapServers(), "pulse.failures", 1, Duration.ofSeconds(30));
        assertEquals(2, EventCodec.decodeFailure(failures.get(0).value()).getRetryAttempts());
    }
}
