package io.pulse.bench;

import io.pulse.core.Liveness;
import io.pulse.core.NodeFailure;
import io.pulse.core.NodeId;
import io.pulse.events.EventCodec;
import io.pulse.events.FailureMessage;
import io.pulse.kafka.EventMapper;
import io.pulse.kafka.PublisherConfig;
import io.pulse.kafka.PulsePublisher;
import io.pulse.testkit.Machine;
import io.pulse.testkit.TestBroker;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/**
 * A rack goes down: 10,000 FailureMessages are published at once, and the clock runs until the
 * broker has acknowledged all of them, outbox on (the real publisher). For comparison the same
 * records go through a bare producer with the same settings and no outbox. Target: at most 2 s.
 *
 * <pre>
 * mvn -Pbench test-compile exec:exec -Dbench.main=io.pulse.bench.KafkaStormBenchmark -Dbench.args="10000 5"
 * </pre>
 *
 * The first round is the cold start (a fresh JVM, the publisher just built: JIT, producer
 * metadata, outbox segment) and is reported on its own line; run the benchmark five times with
 * {@code rounds = 0} for the cold figure's median, and a third argument {@code restart} for a cold
 * start whose topics exist already (a restart, not the first start). The broker is a real single-node KRaft broker in
 * this JVM, on 127.0.0.1, started before the clock runs.
 */
public final class KafkaStormBenchmark {
    static final Instant T0 = Instant.parse("2024-05-01T12:00:00Z");

    private KafkaStormBenchmark() {}

    public static void main(String[] args) throws Exception {
        int events = args.length > 0 ? Integer.parseInt(args[0]) : 10_000;
        int rounds = args.length > 1 ? Integer.parseInt(args[1]) : 5;
        // "restart": the publisher's topics exist before it starts, as after a restart (not its first start)
        boolean topicsExist = args.length > 2 && args[2].equals("restart");
        System.out.println("machine: " + Machine.describe()
                + String.format(
                        ", load average %.2f",
                        java.lang.management.ManagementFactory.getOperatingSystemMXBean()
                                .getSystemLoadAverage()));
        TestBroker broker = TestBroker.inJvm(Map.of("num.partitions", "3"));
        broker.start();
        Path outbox = Files.createTempDirectory("pulse-storm-outbox-");
        try (Admin admin = Admin.create(Map.of("bootstrap.servers", broker.bootstrapServers()))) {
            List<NewTopic> topics = new ArrayList<>(List.of(new NewTopic("storm.bare", 3, (short) 1)));
            if (topicsExist) {
                topics.add(topic("storm.failures", 3, "delete"));
                topics.add(topic("storm.status", 3, "compact"));
                topics.add(topic("storm.schemas", 1, "compact"));
                topics.add(topic("storm.heartbeats", 1, "compact"));
            }
            admin.createTopics(topics).all().get();
        }
        long buildStart = System.nanoTime();
        try (PulsePublisher publisher = PulsePublisher.builder()
                        .bootstrapServers(broker.bootstrapServers())
                        .observer("10.0.0.1:7946")
                        .topicPrefix("storm")
                        .outboxDir(outbox)
                        .property(PublisherConfig.TOPIC_PARTITIONS, 3)
                        .build();
                KafkaProducer<byte[], byte[]> bare = new KafkaProducer<>(
                        Map.of(
                                "bootstrap.servers",
                                broker.bootstrapServers(),
                                "acks",
                                "all",
                                "enable.idempotence",
                                true,
                                "linger.ms",
                                1,
                                "compression.type",
                                "lz4"),
                        new ByteArraySerializer(),
                        new ByteArraySerializer())) {
            long built = System.nanoTime();
            List<Double> outboxMs = new ArrayList<>();
            List<Double> publishMs = new ArrayList<>();
            List<Double> bareMs = new ArrayList<>();
            EventMapper mapper = new EventMapper("10.0.0.1:7946", null);
            for (int round = -1; round < rounds; round++) { // round -1 is the cold start
                List<NodeFailure> failures = failures(events, round);
                long start = System.nanoTime();
                for (NodeFailure failure : failures) {
                    if (!publisher.publish(failure)) {
                        throw new IllegalStateException("outbox refused an event: " + publisher.stats());
                    }
                }
                long published = System.nanoTime();
                if (!publisher.awaitDelivery(Duration.ofSeconds(60))) {
                    throw new IllegalStateException("not delivered in 60 s: " + publisher.stats());
                }
                long acknowledged = System.nanoTime();

                CountDownLatch acks = new CountDownLatch(events);
                long bareStart = System.nanoTime();
                for (NodeFailure failure : failures) {
                    FailureMessage message = mapper.failure(failure);
                    bare.send(
                            new ProducerRecord<>(
                                    "storm.bare",
                                    message.getNodeId().getBytes(StandardCharsets.UTF_8),
                                    EventCodec.encode(message)),
                            (metadata, e) -> {
                                if (e != null) {
                                    throw new IllegalStateException("bare producer failed", e);
                                }
                                acks.countDown();
                            });
                }
                if (!acks.await(60, TimeUnit.SECONDS)) {
                    throw new IllegalStateException("bare producer: not acknowledged in 60 s");
                }
                long bareDone = System.nanoTime();
                if (round < 0) {
                    System.out.printf(
                            "cold start: publisher built in %.0f ms (producer, topics, outbox); the first "
                                    + "storm acknowledged %.0f ms after its first publish call, %.0f ms after "
                                    + "the build began (target <= 2000 ms)%n",
                            (built - buildStart) / 1e6,
                            (acknowledged - start) / 1e6,
                            (acknowledged - buildStart) / 1e6);
                }
                if (round >= 0) {
                    publishMs.add((published - start) / 1e6);
                    outboxMs.add((acknowledged - start) / 1e6);
                    bareMs.add((bareDone - bareStart) / 1e6);
                }
                System.out.printf(
                        "round %2d: %,d FailureMessages acknowledged in %.0f ms with the outbox "
                                + "(publish calls took %.0f ms); bare producer %.0f ms%n",
                        round,
                        events,
                        (acknowledged - start) / 1e6,
                        (published - start) / 1e6,
                        (bareDone - bareStart) / 1e6);
            }
            if (rounds == 0) {
                return;
            }
            System.out.printf(
                    "storm of %,d FailureMessages, %d rounds: outbox on, all acknowledged in median %.0f ms "
                            + "(min %.0f, max %.0f; target <= 2000 ms); publish calls median %.0f ms "
                            + "(%.1f us per event); bare producer median %.0f ms; outbox/bare %.2f%n",
                    events,
                    rounds,
                    median(outboxMs),
                    Collections.min(outboxMs),
                    Collections.max(outboxMs),
                    median(publishMs),
                    median(publishMs) * 1000 / events,
                    median(bareMs),
                    median(outboxMs) / median(bareMs));
            System.out.println("stats: " + publisher.stats());
        } finally {
            broker.destroy();
        }
    }

    private static NewTopic topic(String name, int partitions, String cleanupPolicy) {
        return new NewTopic(name, partitions, (short) 1).configs(Map.of("cleanup.policy", cleanupPolicy));
    }

    /** A rack of {@code count} nodes, all dead at once; distinct per round so event ids differ. */
    static List<NodeFailure> failures(int count, int round) {
        List<NodeFailure> failures = new ArrayList<>(count);
        Instant at = T0.plusSeconds(round + 1);
        for (int i = 0; i < count; i++) {
            NodeId node = NodeId.of("10." + (i >> 16 & 0xff) + "." + (i >> 8 & 0xff) + "." + (i & 0xff), 7946);
            failures.add(new NodeFailure(
                    node,
                    Liveness.DEAD,
                    1_714_560_000_000L + i,
                    3,
                    List.of(
                            NodeId.parse("10.255.0.1:7946"),
                            NodeId.parse("10.255.0.2:7946"),
                            NodeId.parse("10.255.0.3:7946")),
                    at.minusSeconds(3_600),
                    at.minusSeconds(6),
                    at,
                    Duration.ofNanos(1_000L * (400 + i % 100)),
                    Duration.ofNanos(1_000L * (-35)),
                    3_600,
                    4));
        }
        return failures;
    }

    static double median(List<Double> values) {
        List<Double> sorted = new ArrayList<>(values);
        Collections.sort(sorted);
        return sorted.get(sorted.size() / 2);
    }
}
