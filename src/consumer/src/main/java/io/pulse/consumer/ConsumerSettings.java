package io.pulse.consumer;

import io.pulse.events.FailureMessage;
import io.pulse.events.KafkaWriterSchemas;
import io.pulse.events.StatusChange;
import io.pulse.events.Topics;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.consumer.ConsumerConfig;

/**
 * What a {@link PulseConsumer.Builder} resolved at {@code build()}: immutable, so that a builder
 * changed or reused afterwards never reaches a consumer it built.
 *
 * @param properties the Kafka client properties as given (an unmodifiable copy)
 * @param topics which of the prefix's topics to subscribe to (an unmodifiable copy)
 */
record ConsumerSettings(
        Map<String, Object> properties,
        String groupId,
        String topicPrefix,
        Set<PulseConsumer.Topic> topics,
        PulseConsumer.OffsetReset offsetReset,
        Handler<FailureMessage> onFailure,
        Handler<StatusChange> onStatusChange,
        Handler<String> onRemoved,
        int maxAttempts,
        Duration retryBackoff,
        Duration maxRetryBackoff,
        int dedupCapacity,
        Duration schemaLookupTimeout) {

    ConsumerSettings {
        properties = Map.copyOf(properties);
        topics = Set.copyOf(topics);
    }

    String failuresTopic() {
        return Topics.failures(topicPrefix);
    }

    String statusTopic() {
        return Topics.status(topicPrefix);
    }

    /** The reader of {@code <prefix>.schemas}, for a writer schema this version does not ship. */
    KafkaWriterSchemas writerSchemas() {
        return new KafkaWriterSchemas(properties, Topics.schemas(topicPrefix), schemaLookupTimeout);
    }

    /** The topics subscribed to, failures first. */
    List<String> subscription() {
        List<String> names = new ArrayList<>();
        if (topics.contains(PulseConsumer.Topic.FAILURES)) {
            names.add(failuresTopic());
        }
        if (topics.contains(PulseConsumer.Topic.STATUS)) {
            names.add(statusTopic());
        }
        return List.copyOf(names);
    }

    Properties adminProperties() {
        Properties props = new Properties();
        props.putAll(properties);
        props.keySet().removeIf(key -> !AdminClientConfig.configNames().contains(String.valueOf(key)));
        return props;
    }

    /** An {@code auto.offset.reset} given as a property wins over {@link #offsetReset()}. */
    Properties consumerProperties() {
        Properties props = new Properties();
        props.putAll(properties);
        props.keySet().removeIf(key -> !ConsumerConfig.configNames().contains(String.valueOf(key)));
        props.put(ConsumerConfig.GROUP_ID_CONFIG, groupId);
        props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        props.putIfAbsent(ConsumerConfig.ALLOW_AUTO_CREATE_TOPICS_CONFIG, "false");
        props.putIfAbsent(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, offsetReset.kafkaName());
        return props;
    }
}
