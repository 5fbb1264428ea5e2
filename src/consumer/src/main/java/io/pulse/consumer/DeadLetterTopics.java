package io.pulse.consumer;

import io.pulse.events.AdminCalls;
import io.pulse.events.Topics;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.CreateTopicsOptions;
import org.apache.kafka.clients.admin.ListTopicsOptions;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.errors.TopicExistsException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Creates the missing {@code <topic>-dlt} of each source topic, with the source's partition
 * count and replication factor, so that the first dead letter does not wait for a topic that
 * nobody creates (brokers usually run with {@code auto.create.topics.enable=false}).
 */
final class DeadLetterTopics {
    private static final Logger LOG = LoggerFactory.getLogger(DeadLetterTopics.class);

    private DeadLetterTopics() {}

    /**
     * Returns the dead-letter topics it created. A source topic that does not exist yet is
     * skipped with a warning: its partition count is not known.
     */
    static List<String> ensure(Admin admin, List<String> sources, Duration timeout)
            throws TimeoutException, InterruptedException, ExecutionException {
        long deadline = AdminCalls.deadline(timeout);
        Set<String> existing = AdminCalls.get(
                admin.listTopics(new ListTopicsOptions().timeoutMs(AdminCalls.remainingMs(deadline)))
                        .names(),
                deadline);
        List<String> describe = new ArrayList<>();
        for (String source : sources) {
            if (existing.contains(Topics.deadLetter(source))) {
                continue;
            }
            if (existing.contains(source)) {
                describe.add(source);
            } else {
                LOG.warn(
                        "topic {} does not exist yet, so its dead-letter topic {} is not created either",
                        source,
                        Topics.deadLetter(source));
            }
        }
        if (describe.isEmpty()) {
            return List.of();
        }
        List<NewTopic> missing = new ArrayList<>();
        for (TopicDescription source : AdminCalls.get(
                        admin.describeTopics(describe).allTopicNames(), deadline)
                .values()) {
            short replicas = (short) source.partitions().get(0).replicas().size();
            missing.add(new NewTopic(
                    Topics.deadLetter(source.name()), source.partitions().size(), replicas));
        }
        List<String> names = missing.stream().map(NewTopic::name).toList();
        try {
            AdminCalls.get(
                    admin.createTopics(missing, new CreateTopicsOptions().timeoutMs(AdminCalls.remainingMs(deadline)))
                            .all(),
                    deadline);
            LOG.info("created dead-letter topics {}", names);
        } catch (ExecutionException e) {
            if (!(e.getCause() instanceof TopicExistsException)) {
                throw e;
            }
            // another consumer of the group created it meanwhile
        }
        AdminCalls.awaitServed(
                admin,
                names,
                deadline,
                notYet -> LOG.warn("new dead-letter topics {} not served yet: {}", names, notYet.toString()));
        return names;
    }
}
