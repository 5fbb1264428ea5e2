package io.pulse.kafka;

import io.pulse.events.AdminCalls;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.Config;
import org.apache.kafka.clients.admin.CreateTopicsOptions;
import org.apache.kafka.clients.admin.DescribeConfigsOptions;
import org.apache.kafka.clients.admin.ListTopicsOptions;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.common.errors.TopicExistsException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Creates the topics when missing and checks the cleanup policy of existing ones: the status
 * topic must be compacted (it keeps the latest status of every node), and so must the schemas topic
 * (it keeps every writer schema, one record per fingerprint, for as long as data written with it
 * may be read) and the heartbeats topic (it keeps each observer's latest heartbeat); the failures
 * topic must not be (compaction by node id would drop all but a node's latest failure). The schemas
 * and heartbeats topics get one partition: a handful of small records. The heartbeats topic is
 * checked apart ({@link #ensureHeartbeatsTopic}), by the heartbeat: events never wait for it.
 */
final class TopicAdmin {
    private static final Logger log = LoggerFactory.getLogger(TopicAdmin.class);

    private TopicAdmin() {}

    /**
     * Throws {@link TopicConfigException} for a misconfigured topic, {@link TimeoutException} if
     * Kafka did not answer within {@code timeout}, {@link ExecutionException} for any other
     * failure of the admin client (authorization, for one).
     */
    static void ensureTopics(Admin admin, PublisherConfig config, Duration timeout)
            throws TimeoutException, InterruptedException, ExecutionException {
        ensure(
                admin,
                config,
                Map.of(
                        config.failuresTopic(), TopicConfig.CLEANUP_POLICY_DELETE,
                        config.statusTopic(), TopicConfig.CLEANUP_POLICY_COMPACT,
                        config.schemasTopic(), TopicConfig.CLEANUP_POLICY_COMPACT),
                timeout);
    }

    /** The same for {@code <prefix>.heartbeats} alone: compacted, one partition. */
    static void ensureHeartbeatsTopic(Admin admin, PublisherConfig config, Duration timeout)
            throws TimeoutException, InterruptedException, ExecutionException {
        ensure(admin, config, Map.of(config.heartbeatsTopic(), TopicConfig.CLEANUP_POLICY_COMPACT), timeout);
    }

    private static void ensure(Admin admin, PublisherConfig config, Map<String, String> policies, Duration timeout)
            throws TimeoutException, InterruptedException, ExecutionException {
        long deadline = AdminCalls.deadline(timeout);
        Set<String> existing = get(
                admin.listTopics(new ListTopicsOptions().timeoutMs(AdminCalls.remainingMs(deadline)))
                        .names(),
                deadline);
        List<ConfigResource> present = policies.keySet().stream()
                .filter(existing::contains)
                .map(name -> new ConfigResource(ConfigResource.Type.TOPIC, name))
                .toList();
        checkPolicies(admin, config, present, deadline);
        List<NewTopic> missing = new ArrayList<>();
        for (Map.Entry<String, String> topic : policies.entrySet()) {
            if (!existing.contains(topic.getKey())) {
                boolean small = topic.getKey().equals(config.schemasTopic())
                        || topic.getKey().equals(config.heartbeatsTopic());
                missing.add(new NewTopic(
                                topic.getKey(),
                                small ? Optional.of(1) : optional(config.topicPartitions()),
                                optional(config.topicReplicationFactor()))
                        .configs(Map.of(TopicConfig.CLEANUP_POLICY_CONFIG, topic.getValue())));
            }
        }
        if (missing.isEmpty()) {
            return;
        }
        try {
            get(
                    admin.createTopics(missing, new CreateTopicsOptions().timeoutMs(AdminCalls.remainingMs(deadline)))
                            .all(),
                    deadline);
            log.info("created topics {}", missing.stream().map(NewTopic::name).toList());
            List<String> created = missing.stream().map(NewTopic::name).toList();
            AdminCalls.awaitServed(
                    admin,
                    created,
                    deadline,
                    notYet -> log.warn("new topics {} not served yet: {}", created, notYet.toString()));
        } catch (ExecutionException e) {
            if (!(e.getCause() instanceof TopicExistsException)) {
                throw e;
            }
            // another publisher created one meanwhile: check them like existing topics
            checkPolicies(
                    admin,
                    config,
                    missing.stream()
                            .map(topic -> new ConfigResource(ConfigResource.Type.TOPIC, topic.name()))
                            .toList(),
                    deadline);
        }
    }

    private static void checkPolicies(Admin admin, PublisherConfig config, List<ConfigResource> topics, long deadline)
            throws TimeoutException, InterruptedException, ExecutionException {
        if (topics.isEmpty()) {
            return;
        }
        Map<ConfigResource, Config> configs = get(
                admin.describeConfigs(topics, new DescribeConfigsOptions().timeoutMs(AdminCalls.remainingMs(deadline)))
                        .all(),
                deadline);
        for (Map.Entry<ConfigResource, Config> topic : configs.entrySet()) {
            String name = topic.getKey().name();
            String policy =
                    topic.getValue().get(TopicConfig.CLEANUP_POLICY_CONFIG).value();
            if (name.equals(config.schemasTopic())) {
                check(name, policy, "every writer schema, one per fingerprint");
            } else if (name.equals(config.heartbeatsTopic())) {
                check(name, policy, "the latest heartbeat of every observer");
            } else {
                check(name, policy, name.equals(config.statusTopic()) ? "the latest status of every node" : null);
            }
        }
    }

    /** {@code compactedToKeep}: what compaction keeps, for a topic that must be compacted; null for one that must not be. */
    static void check(String topic, String policy, String compactedToKeep) {
        boolean compacted = compactedToKeep != null;
        List<String> policies = List.of(policy.replace(" ", "").split(","));
        boolean compacts = policies.contains(TopicConfig.CLEANUP_POLICY_COMPACT);
        if (compacted && !compacts) {
            throw new TopicConfigException("topic " + topic + " has cleanup.policy=" + policy
                    + " (expected: compact): it must be compacted to keep " + compactedToKeep + ";"
                    + " fix it with kafka-configs.sh --alter --entity-type topics --entity-name " + topic
                    + " --add-config cleanup.policy=compact");
        }
        if (!compacted && compacts) {
            throw new TopicConfigException("topic " + topic + " has cleanup.policy=" + policy
                    + " (expected: delete): compaction by node id would drop all but each node's latest failure;"
                    + " fix it with kafka-configs.sh --alter --entity-type topics --entity-name " + topic
                    + " --add-config cleanup.policy=delete");
        }
        if (compacted && policies.contains(TopicConfig.CLEANUP_POLICY_DELETE)) {
            log.warn(
                    "topic {} has cleanup.policy={}: a record not superseded for retention.ms will be deleted (of {}); "
                            + "compact alone keeps it",
                    topic,
                    policy,
                    compactedToKeep);
        }
    }

    private static <T> Optional<T> optional(T value) {
        return ((Number) value).intValue() == PublisherConfig.BROKER_DEFAULT ? Optional.empty() : Optional.of(value);
    }

    /**
     * Waits for an admin call until the deadline. The call's own {@code timeoutMs} is the same
     * deadline, so whichever clock fires first decides how a silent Kafka fails: both ways are
     * reported as {@link TimeoutException}.
     */
    private static <T> T get(org.apache.kafka.common.KafkaFuture<T> future, long deadlineNanos)
            throws TimeoutException, InterruptedException, ExecutionException {
        try {
            return AdminCalls.get(future, deadlineNanos);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof org.apache.kafka.common.errors.TimeoutException kafkaTimeout) {
                TimeoutException timeout = new TimeoutException(kafkaTimeout.getMessage());
                timeout.initCause(kafkaTimeout);
                throw timeout;
            }
            throw e;
        }
    }
}
