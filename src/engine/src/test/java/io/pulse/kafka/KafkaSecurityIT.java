package io.pulse.kafka;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.pulse.consumer.PulseConsumer;
import io.pulse.events.FailureMessage;
import io.pulse.events.Topics;
import io.pulse.testkit.CapturedWarnings;
import io.pulse.testkit.Eventually;
import io.pulse.testkit.KafkaBrokerExtension;
import io.pulse.testkit.SaslBroker;
import io.pulse.testkit.TopicReader;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.acl.AclOperation;
import org.apache.kafka.common.errors.SaslAuthenticationException;
import org.apache.kafka.common.errors.TopicAuthorizationException;
import org.apache.kafka.common.resource.PatternType;
import org.apache.kafka.common.resource.ResourcePattern;
import org.apache.kafka.common.resource.ResourceType;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Kafka as the trust anchor: the publisher and the consumer library against a broker that
 * authenticates with SASL/SCRAM-SHA-512 and authorizes with ACLs (StandardAuthorizer), as
 * docs/security.md ("Kafka: TLS, SASL and ACLs") configures it. {@code pulse-writer} may write the Pulse
 * topics, {@code pulse-reader} may only read them (and keep its group and dead-letter topics).
 *
 * <p>The broker also keeps its PLAINTEXT listener for itself (controller, inter-broker) and for
 * this test's setup; its anonymous principal is a super user there. The clients under test use
 * only the SASL_PLAINTEXT listener.
 */
class KafkaSecurityIT {
    private static final SaslBroker SASL = SaslBroker.create();
    private static final String MECHANISM = SaslBroker.MECHANISM;
    /** Every test's topics and groups start with it; the ACLs are on the prefix. */
    private static final String PREFIX = "sec.";

    private static final String WRITER = "pulse-writer";
    private static final String READER = "pulse-reader";
    private static final String WRITER_PASSWORD = "writer-secret";
    private static final String READER_PASSWORD = "reader-secret";
    private static final Duration WAIT = Duration.ofSeconds(20);

    @RegisterExtension
    static final KafkaBrokerExtension kafka = SASL.extension();

    @TempDir
    Path outbox;

    /** The users and the ACLs of docs/security.md, on the prefix {@value #PREFIX} instead of {@code pulse.}. */
    @BeforeAll
    static void usersAndAcls() throws Exception {
        SASL.addUsers(kafka, WRITER, WRITER_PASSWORD, READER, READER_PASSWORD);
        ResourcePattern topics = new ResourcePattern(ResourceType.TOPIC, PREFIX, PatternType.PREFIXED);
        SaslBroker.allow(
                kafka,
                WRITER,
                topics,
                AclOperation.CREATE,
                AclOperation.DESCRIBE,
                AclOperation.DESCRIBE_CONFIGS,
                AclOperation.WRITE);
        SaslBroker.allow(
                kafka,
                WRITER,
                new ResourcePattern(ResourceType.CLUSTER, "kafka-cluster", PatternType.LITERAL),
                AclOperation.IDEMPOTENT_WRITE);
        SaslBroker.allow(kafka, READER, topics, AclOperation.DESCRIBE, AclOperation.READ);
        SaslBroker.allow(
                kafka,
                READER,
                new ResourcePattern(ResourceType.GROUP, PREFIX, PatternType.PREFIXED),
                AclOperation.READ);
    }

    @Test
    void theWriterPublishesAndTheReaderReceives() throws Exception {
        String prefix = PREFIX + "delivered";
        List<FailureMessage> failures = new CopyOnWriteArrayList<>();
        List<io.pulse.events.StatusChange> changes = new CopyOnWriteArrayList<>();
        try (PulsePublisher publisher =
                        publisher(prefix, WRITER, WRITER_PASSWORD).build();
                PulseConsumer consumer = consumer(prefix, READER, READER_PASSWORD)
                        .onFailure(failures::add)
                        .onStatusChange(changes::add)
                        .build()) {
            assertTrue(publisher.publish(PulsePublisherIT.change()));
            assertTrue(publisher.publish(PulsePublisherIT.failure()));
            assertTrue(publisher.awaitDelivery(WAIT), "delivered with pulse-writer's credentials");
            consumer.start();
            Eventually.await(
                    "both events received with pulse-reader's credentials",
                    () -> failures.size() + changes.size(),
                    n -> n == 2,
                    WAIT);
            assertEquals(PulsePublisherIT.NODE.toString(), failures.get(0).getNodeId());
            assertEquals(io.pulse.events.NodeState.SUSPECT, changes.get(0).getCurrent());
            assertEquals(Optional.empty(), consumer.failure());
        }
    }

    @Test
    void theReaderCannotWriteAndWhatItTriedStaysInTheOutboxUntilTheWriterSendsIt() throws Exception {
        String prefix = PREFIX + "refused";
        try (PulsePublisher writer = publisher(prefix, WRITER, WRITER_PASSWORD).build()) {
            assertTrue(writer.awaitDelivery(WAIT)); // creates the topics
        }
        try (CapturedWarnings warnings = new CapturedWarnings(KafkaPulsePublisher.class)) {
            try (PulsePublisher reader = refused(publisher(prefix, READER, READER_PASSWORD))) {
                assertTrue(reader.publish(PulsePublisherIT.failure()));
                assertFalse(reader.awaitDelivery(Duration.ofSeconds(2)));
                assertEquals(1, reader.stats().pendingEvents());
                assertEquals(0, reader.stats().acknowledged());
            }
            assertEquals(
                    "WARN cannot check topics " + prefix + ".failures, " + prefix + ".status and " + prefix
                            + ".schemas: org.apache.kafka.common.errors.TopicAuthorizationException: Topic authorization failed.; "
                            + "events stay in the outbox and the check is repeated",
                    warnings.messages().get(0));
        }
        // Past the publisher's topic check, the broker refuses the write itself. Not idempotent, so that
        // the refusal is the write's, not InitProducerId's (ClusterAuthorizationException).
        Map<String, Object> readerProducer = new HashMap<>(saslProperties(READER, READER_PASSWORD));
        readerProducer.put("max.block.ms", 10_000);
        readerProducer.put("enable.idempotence", false);
        try (KafkaProducer<byte[], byte[]> producer =
                new KafkaProducer<>(readerProducer, new ByteArraySerializer(), new ByteArraySerializer())) {
            ExecutionException refused = assertThrows(
                    ExecutionException.class,
                    () -> producer.send(new ProducerRecord<>(Topics.failures(prefix), new byte[] {1}))
                            .get());
            assertInstanceOf(TopicAuthorizationException.class, refused.getCause());
        }
        try (PulsePublisher writer = publisher(prefix, WRITER, WRITER_PASSWORD).build()) {
            assertTrue(writer.awaitDelivery(WAIT), "the outbox kept the event for a publisher that may write");
        }
        assertEquals(
                1,
                TopicReader.readAtLeast(kafka.bootstrapServers(), Topics.failures(prefix), 1, WAIT)
                        .size());
    }

    /**
     * A writer with the rights of a Pulse before the schemas topic (the event topics only) sends no
     * event: a reader must never meet a schema it cannot find. Once it may write the schemas topic,
     * the schemas go out, then the events.
     */
    @Test
    void aWriterWithoutRightsOnTheSchemasTopicKeepsItsEventsUntilItHasThem() throws Exception {
        String prefix = "old-acls";
        String user = "old-writer";
        SASL.addUsers(kafka, user, "old-secret");
        for (String topic : List.of(Topics.failures(prefix), Topics.status(prefix))) {
            SaslBroker.allow(
                    kafka,
                    user,
                    new ResourcePattern(ResourceType.TOPIC, topic, PatternType.LITERAL),
                    AclOperation.CREATE,
                    AclOperation.DESCRIBE,
                    AclOperation.DESCRIBE_CONFIGS,
                    AclOperation.WRITE);
        }
        SaslBroker.allow(
                kafka,
                user,
                new ResourcePattern(ResourceType.CLUSTER, "kafka-cluster", PatternType.LITERAL),
                AclOperation.IDEMPOTENT_WRITE);

        try (CapturedWarnings warnings = new CapturedWarnings(KafkaPulsePublisher.class);
                PulsePublisher publisher = publisher(prefix, user, "old-secret")
                        .property(PublisherConfig.STARTUP_TIMEOUT_MS, 0)
                        .property(PublisherConfig.RETRY_BACKOFF_MS, 200)
                        .build()) {
            assertTrue(publisher.publish(PulsePublisherIT.failure()));
            assertFalse(publisher.awaitDelivery(Duration.ofSeconds(3)));
            assertEquals(1, publisher.stats().pendingEvents());
            assertEquals(
                    "WARN cannot check topics old-acls.failures, old-acls.status and old-acls.schemas: "
                            + "org.apache.kafka.common.errors.TopicAuthorizationException: Authorization failed.; "
                            + "events stay in the outbox and the check is repeated",
                    warnings.messages().get(0));

            SaslBroker.allow(
                    kafka,
                    user,
                    new ResourcePattern(ResourceType.TOPIC, Topics.schemas(prefix), PatternType.LITERAL),
                    AclOperation.CREATE,
                    AclOperation.DESCRIBE,
                    AclOperation.DESCRIBE_CONFIGS,
                    AclOperation.WRITE);
            assertTrue(publisher.awaitDelivery(WAIT), "delivered once the schemas topic is writable");
            // No rights on the heartbeats topic: no heartbeat, and the events go out all the same.
            assertEquals(0, publisher.stats().heartbeatsSent());
        }
        assertEquals(
                3, // the events' and the heartbeat's
                TopicReader.readAtLeast(kafka.bootstrapServers(), Topics.schemas(prefix), 3, WAIT)
                        .size());
        assertEquals(
                1,
                TopicReader.readAtLeast(kafka.bootstrapServers(), Topics.failures(prefix), 1, WAIT)
                        .size());
    }

    @Test
    void aWrongPasswordIsAnAuthenticationErrorNotAHang() throws Exception {
        String prefix = PREFIX + "wrong";
        String expected = "Authentication failed during authentication due to invalid credentials with SASL mechanism "
                + MECHANISM;
        try (CapturedWarnings warnings = new CapturedWarnings(KafkaPulsePublisher.class)) {
            long start = System.nanoTime();
            try (PulsePublisher publisher = refused(publisher(prefix, WRITER, "not-the-password"))) {
                assertTrue(
                        Duration.ofNanos(System.nanoTime() - start).compareTo(Duration.ofSeconds(5)) < 0,
                        "build() returns at the refusal, not at pulse.startup.timeout");
                assertTrue(publisher.publish(PulsePublisherIT.failure()));
                assertFalse(publisher.awaitDelivery(Duration.ofSeconds(1)));
                assertEquals(1, publisher.stats().pendingEvents());
            }
            assertEquals(
                    "WARN cannot check topics " + prefix + ".failures, " + prefix + ".status and " + prefix
                            + ".schemas: org.apache.kafka.common.errors.SaslAuthenticationException: " + expected
                            + "; events stay in the outbox and the check is repeated",
                    warnings.messages().get(0));
        }
        try (PulseConsumer consumer =
                consumer(prefix, READER, "not-the-password").build()) {
            consumer.start();
            Throwable failure = Eventually.await("the consumer stopped", consumer::failure, Optional::isPresent, WAIT)
                    .orElseThrow();
            assertInstanceOf(SaslAuthenticationException.class, failure);
            assertEquals(expected, failure.getMessage());
        }
    }

    private PulsePublisher.Builder publisher(String prefix, String user, String password) {
        return PulsePublisher.builder()
                .properties(saslProperties(user, password))
                .observer("10.0.0.1:7946")
                .topicPrefix(prefix)
                .outboxDir(outbox);
    }

    /** A publisher whose events cannot be delivered: its close gives up on them at once, they stay in the outbox. */
    private static PulsePublisher refused(PulsePublisher.Builder builder) {
        return builder.property(PublisherConfig.CLOSE_TIMEOUT_MS, 0).build();
    }

    private static PulseConsumer.Builder consumer(String prefix, String user, String password) {
        PulseConsumer.Builder builder = PulseConsumer.builder()
                .groupId(prefix + ".group")
                .topicPrefix(prefix)
                .offsetReset(PulseConsumer.OffsetReset.EARLIEST);
        saslProperties(user, password).forEach(builder::property);
        return builder;
    }

    private static Map<String, Object> saslProperties(String user, String password) {
        return SASL.clientProperties(user, password);
    }
}
