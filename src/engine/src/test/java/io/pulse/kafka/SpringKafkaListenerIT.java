package io.pulse.kafka;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;

import io.pulse.events.FailureMessage;
import io.pulse.events.NodeState;
import io.pulse.events.StatusChange;
import io.pulse.testkit.KafkaBrokerExtension;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Collectors;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.ImportAutoConfiguration;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.kafka.autoconfigure.KafkaAutoConfiguration;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.kafka.annotation.KafkaListener;

/**
 * A Spring Boot application, configured only by the {@code spring.kafka.*} properties
 * docs/consuming.md shows, receives the real publisher's events (and a newer Pulse's) in a {@code @KafkaListener}
 * through {@link PulseEventDeserializer}. Spring is a test dependency only.
 */
class SpringKafkaListenerIT {
    @RegisterExtension
    static final KafkaBrokerExtension KAFKA = KafkaBrokerExtension.inJvm();
    /** Boot must not reconfigure log4j2 in this JVM: other ITs read their own log lines. */
    private static final String LOGGING_SYSTEM = "org.springframework.boot.logging.LoggingSystem";

    @TempDir
    Path outbox;

    /** What a service writes: its listener, and Boot's Kafka auto-configuration. */
    @SpringBootConfiguration
    @ImportAutoConfiguration(KafkaAutoConfiguration.class)
    static class Service {
        final List<ConsumerRecord<String, SpecificRecord>> received = new CopyOnWriteArrayList<>();

        @KafkaListener(topics = {"spring.failures", "spring.status"})
        void on(ConsumerRecord<String, SpecificRecord> record) {
            received.add(record);
        }
    }

    @Test
    void aKafkaListenerReceivesPulseEventsThroughTheDeserializer() throws Exception {
        PulseDeserializersIT.publish(KAFKA.bootstrapServers(), "spring", outbox);

        String previous = System.setProperty(LOGGING_SYSTEM, "none");
        try (ConfigurableApplicationContext context = new SpringApplicationBuilder(Service.class)
                .registerShutdownHook(false)
                .properties(Map.of(
                        "spring.kafka.bootstrap-servers", KAFKA.bootstrapServers(),
                        "spring.kafka.consumer.group-id", "billing-service",
                        "spring.kafka.consumer.auto-offset-reset", "earliest",
                        "spring.kafka.consumer.key-deserializer",
                                "org.apache.kafka.common.serialization.StringDeserializer",
                        "spring.kafka.consumer.value-deserializer", "io.pulse.events.serde.PulseEventDeserializer",
                        "spring.kafka.consumer.properties.pulse.topic.prefix", "spring"))
                .run()) {
            Service service = context.getBean(Service.class);
            long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
            while (service.received.size() < 4 && System.nanoTime() < deadline) {
                Thread.sleep(50);
            }
            List<ConsumerRecord<String, SpecificRecord>> received = List.copyOf(service.received);
            assertEquals(4, received.size(), received.toString());
            Map<String, List<SpecificRecord>> byTopicAndKey = received.stream()
                    .collect(Collectors.groupingBy(
                            r -> r.topic() + "/" + r.key(), Collectors.mapping(r -> r.value(), Collectors.toList())));
            FailureMessage failure = assertInstanceOf(
                    FailureMessage.class,
                    byTopicAndKey
                            .get("spring.failures/" + PulseDeserializersIT.NODE)
                            .get(0));
            assertEquals(NodeState.DEAD, failure.getState());
            List<SpecificRecord> node = byTopicAndKey.get("spring.status/" + PulseDeserializersIT.NODE);
            assertEquals(
                    NodeState.DEAD,
                    assertInstanceOf(StatusChange.class, node.get(0)).getCurrent());
            assertNull(node.get(1), "the removal: a tombstone");
            assertEquals(
                    NodeState.UNKNOWN,
                    ((StatusChange) byTopicAndKey
                                    .get("spring.status/10.0.0.9:7946")
                                    .get(0))
                            .getCurrent(),
                    "a newer Pulse's DRAINING");
        } finally {
            if (previous == null) {
                System.clearProperty(LOGGING_SYSTEM);
            } else {
                System.setProperty(LOGGING_SYSTEM, previous);
            }
        }
    }
}
