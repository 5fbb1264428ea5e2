package io.pulse.events;

import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.common.KafkaFuture;
import org.apache.kafka.common.TopicPartition;

/**
 * Admin client calls bounded by one deadline, and the wait for new topics to be served: shared by
 * the publisher, which creates its topics, and the consumer library, which creates dead-letter
 * topics. Not an API for applications.
 *
 * <pre>{@code
 * long deadline = AdminCalls.deadline(Duration.ofSeconds(30));
 * Set<String> names = AdminCalls.get(admin.listTopics(new ListTopicsOptions()
 *         .timeoutMs(AdminCalls.remainingMs(deadline))).names(), deadline);
 * }</pre>
 */
public final class AdminCalls {
    private AdminCalls() {}

    /** The deadline {@code timeout} from now, on {@link System#nanoTime()}. */
    public static long deadline(Duration timeout) {
        return System.nanoTime() + timeout.toNanos();
    }

    /** Milliseconds left until {@code deadlineNanos}, at least 1: an admin call's own {@code timeoutMs}. */
    public static int remainingMs(long deadlineNanos) {
        return (int) Math.max(
                1, Math.min(Integer.MAX_VALUE, TimeUnit.NANOSECONDS.toMillis(deadlineNanos - System.nanoTime())));
    }

    /** Waits for {@code future} until {@code deadlineNanos} (at least a nanosecond). */
    public static <T> T get(KafkaFuture<T> future, long deadlineNanos)
            throws TimeoutException, InterruptedException, ExecutionException {
        return future.get(Math.max(1, deadlineNanos - System.nanoTime()), TimeUnit.NANOSECONDS);
    }

    /**
     * Waits, until the deadline at most, for the leaders of new topics to serve them. Metadata
     * names a leader a moment before it serves the partition; an idempotent producer that sends
     * in that moment gets NOT_LEADER_OR_FOLLOWER and, on Kafka 4.4, can then stall on
     * OutOfOrderSequence until its delivery timeout. Listing offsets goes to the leader itself.
     * Past the deadline it gives up and tells {@code notServed} the last failure.
     */
    public static void awaitServed(Admin admin, List<String> topics, long deadlineNanos, Consumer<Exception> notServed)
            throws InterruptedException {
        while (true) {
            try {
                Map<TopicPartition, OffsetSpec> latest = new HashMap<>();
                get(admin.describeTopics(topics).allTopicNames(), deadlineNanos)
                        .forEach((name, description) -> description
                                .partitions()
                                .forEach(
                                        p -> latest.put(new TopicPartition(name, p.partition()), OffsetSpec.latest())));
                get(admin.listOffsets(latest).all(), deadlineNanos);
                return;
            } catch (ExecutionException | TimeoutException notYet) {
                if (System.nanoTime() >= deadlineNanos) {
                    notServed.accept(notYet);
                    return;
                }
                Thread.sleep(50);
            }
        }
    }
}
