package io.pulse.sidecar.tail;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.pulse.consumer.TestEvents;
import io.pulse.events.EventType;
import io.pulse.events.FailureMessage;
import io.pulse.events.NewerSchemas;
import io.pulse.events.NodeState;
import io.pulse.events.StatusChange;
import io.pulse.testkit.KafkaBrokerExtension;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * pulse tail and the dashboard read through TopicTail: what a newer Pulse writes, its writer schemas
 * found in the schemas topic, as the consumer library does ({@code io.pulse.consumer.SchemaTopicIT}).
 */
class TopicTailSchemasIT {
    @RegisterExtension
    static final KafkaBrokerExtension KAFKA = KafkaBrokerExtension.inJvm();

    private static final String NODE = "10.0.0.7:7946";

    @Test
    void tailReadsANewerPublishersEvents() throws Exception {
        try (TestEvents events = new TestEvents(KAFKA.bootstrapServers(), "tail.newer", 2)) {
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

            List<Object> tailed = new CopyOnWriteArrayList<>();
            List<String> skipped = new CopyOnWriteArrayList<>();
            Properties properties = new Properties();
            properties.put("bootstrap.servers", KAFKA.bootstrapServers());
            try (TopicTail tail = new TopicTail(
                    properties,
                    events.prefix,
                    List.of(events.failures, events.status),
                    TopicTail.Start.BEGINNING,
                    null,
                    Set.of(),
                    new TopicTail.Sink() {
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
            StatusChange newer = tailed.stream()
                    .filter(StatusChange.class::isInstance)
                    .map(StatusChange.class::cast)
                    .filter(c -> c.getNodeId().equals(NODE))
                    .findFirst()
                    .orElseThrow();
            assertEquals(NodeState.UNKNOWN, newer.getCurrent(), "DRAINING, a symbol today's reader does not know");
        }
    }
}
