package io.pulse.events.serde;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.pulse.events.EventCodec;
import io.pulse.events.NewerSchemas;
import io.pulse.events.NodeState;
import io.pulse.events.SchemaTopic;
import io.pulse.events.StatusChange;
import io.pulse.events.Topics;
import io.pulse.testkit.KafkaBrokerExtension;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.TopologyTestDriver;
import org.apache.kafka.streams.kstream.Consumed;
import org.apache.kafka.streams.kstream.Produced;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The Kafka Streams example of docs/consuming.md as it is written there, run in {@link TopologyTestDriver}:
 * {@code Consumed.with} and Pulse's serde, which looks a newer Pulse's schema up in the real
 * broker's {@code <prefix>.schemas}.
 */
class KafkaStreamsSerdeIT {
    @RegisterExtension
    static final KafkaBrokerExtension KAFKA = KafkaBrokerExtension.inJvm();

    @Test
    void consumedWithThePulseSerdeReadsTodaysAndANewerPulsesEvents() throws Exception {
        try (Admin admin = Admin.create(Map.of("bootstrap.servers", KAFKA.bootstrapServers()))) {
            admin.createTopics(List.of(new NewTopic(Topics.schemas("streams"), 1, (short) 1)))
                    .all()
                    .get();
        }
        try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(
                Map.of("bootstrap.servers", KAFKA.bootstrapServers()),
                new StringSerializer(),
                new ByteArraySerializer())) {
            producer.send(new ProducerRecord<>(
                            Topics.schemas("streams"),
                            SchemaTopic.key(NewerSchemas.STATUS_CHANGE),
                            SchemaTopic.value(NewerSchemas.STATUS_CHANGE)))
                    .get();
        }

        // As in docs/consuming.md, with this broker and the prefix "streams":
        StatusChangeSerde statusSerde = new StatusChangeSerde();
        statusSerde.configure(
                Map.of("bootstrap.servers", KAFKA.bootstrapServers(), "pulse.topic.prefix", "streams"), false);
        StreamsBuilder builder = new StreamsBuilder();
        builder.stream("streams.status", Consumed.with(Serdes.String(), statusSerde))
                .filter((nodeId, change) -> change != null && change.getCurrent() != NodeState.ALIVE)
                .mapValues(change -> change.getPrevious() + " -> " + change.getCurrent())
                .to("not-alive", Produced.with(Serdes.String(), Serdes.String()));

        Properties props = new Properties();
        props.put("application.id", "pulse-streams-it");
        props.put("bootstrap.servers", "unused:9092");
        try (TopologyTestDriver driver = new TopologyTestDriver(builder.build(), props)) {
            TestInputTopic<String, byte[]> status =
                    driver.createInputTopic("streams.status", new StringSerializer(), new ByteArraySerializer());
            TestOutputTopic<String, String> out =
                    driver.createOutputTopic("not-alive", new StringDeserializer(), new StringDeserializer());
            status.pipeInput(
                    "10.0.0.8:7946",
                    EventCodec.encode(StatusChange.newBuilder()
                            .setEventId(UUID.randomUUID())
                            .setObserver("10.0.0.1:7946")
                            .setCluster(null)
                            .setNodeId("10.0.0.8:7946")
                            .setPrevious(NodeState.SUSPECT)
                            .setCurrent(NodeState.DEAD)
                            .setAt(Instant.ofEpochMilli(1))
                            .setSrttMicros(null)
                            .setClockOffsetMicros(null)
                            .setDeclaredBy(null)
                            .build()));
            status.pipeInput("10.0.0.8:7946", (byte[]) null);
            status.pipeInput("10.0.0.7:7946", NewerSchemas.statusChange("10.0.0.7:7946"));

            assertEquals(
                    Map.of("10.0.0.8:7946", "SUSPECT -> DEAD", "10.0.0.7:7946", "ALIVE -> UNKNOWN"),
                    out.readKeyValuesToMap());
        }
        statusSerde.close();
    }
}
