package io.pulse.events;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.pulse.consumer.PulseConsumer;
import org.apache.kafka.common.internals.Topic;
import org.junit.jupiter.api.Test;

/** One rule for topic prefixes, the same for the consumer library and Kafka itself (PublisherConfigTest: the publisher). */
class TopicsTest {

    @Test
    void theLongestPrefixGivesLegalKafkaTopicsDeadLettersIncluded() {
        String prefix = "p".repeat(Topics.MAX_PREFIX_LENGTH);
        for (String topic : new String[] {
            Topics.failures(prefix),
            Topics.status(prefix),
            Topics.heartbeats(prefix),
            Topics.deadLetter(Topics.failures(prefix)),
            Topics.deadLetter(Topics.status(prefix))
        }) {
            Topic.validate(topic); // Kafka's own check: throws on an illegal name
            assertTrue(topic.length() <= Topics.MAX_TOPIC_LENGTH, topic.length() + " characters");
        }
        assertThrows(IllegalArgumentException.class, () -> Topics.failures(prefix + "p"));
    }

    @Test
    void theConsumerLibraryRefusesWhatTopicsRefuses() {
        String tooLong = "p".repeat(Topics.MAX_PREFIX_LENGTH + 1);
        for (String bad : new String[] {"", "a b", "pulse/prod", tooLong}) {
            IllegalArgumentException topics =
                    assertThrows(IllegalArgumentException.class, () -> Topics.requirePrefix(bad));
            assertTrue(topics.getMessage().contains(Topics.PREFIX_RULE), topics.getMessage());
            assertThrows(
                    IllegalArgumentException.class,
                    () -> PulseConsumer.builder().topicPrefix(bad));
        }
    }
}
