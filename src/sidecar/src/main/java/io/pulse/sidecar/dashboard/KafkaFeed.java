package io.pulse.sidecar.dashboard;

import io.pulse.consumer.ClusterView;
import io.pulse.events.FailureMessage;
import io.pulse.events.StatusChange;
import io.pulse.events.Topics;
import io.pulse.sidecar.tail.TopicTail;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;

/**
 * Feeds a {@link DashboardModel} from Kafka, read-only: the status topic through a
 * {@link ClusterView} (started once the topic exists, started again if it fails), the failures
 * topic through a {@link TopicTail} from the start of the history window, the heartbeats topic
 * through the same view (each observer's latest heartbeat, handed to the model every check), and every
 * {@link #CHECK_INTERVAL} a look at both topics' offsets, which tells whether Kafka answers and how
 * far behind the dashboard is. Its own thread; {@link #close()} stops it.
 */
final class KafkaFeed implements AutoCloseable {
    static final Duration CHECK_INTERVAL = Duration.ofSeconds(1);
    /** How long Kafka has to answer the check before the page says it is down. */
    static final Duration CHECK_TIMEOUT = Duration.ofMillis(1500);

    static final Duration POLL = Duration.ofMillis(100);
    private static final System.Logger LOG = System.getLogger(KafkaFeed.class.getName());

    private final Properties properties;
    private final String topicPrefix;
    private final String failuresTopic;
    private final String statusTopic;
    private final DashboardModel model;
    private final TopicTail tail;
    private final Thread thread;
    private volatile boolean closed;
    private ClusterView view;

    KafkaFeed(Properties consumer, String topicPrefix, DashboardModel model, Clock clock) {
        this.properties = new Properties();
        this.properties.putAll(consumer);
        // a broker that does not answer must not hold the feed longer than a few checks
        this.properties.putIfAbsent(ConsumerConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, "3000");
        this.topicPrefix = topicPrefix;
        this.failuresTopic = Topics.failures(topicPrefix);
        this.statusTopic = Topics.status(topicPrefix);
        this.model = model;
        Properties failures = new Properties();
        failures.putAll(properties);
        failures.put(ConsumerConfig.CLIENT_ID_CONFIG, "pulse-dashboard-failures");
        this.tail = new TopicTail(
                failures,
                topicPrefix,
                List.of(failuresTopic),
                TopicTail.Start.SINCE,
                Instant.ofEpochMilli(clock.millis()).minus(model.limits().window()),
                Set.of(),
                new TopicTail.Sink() {
                    @Override
                    public void failure(FailureMessage failure) {
                        model.failure(failure);
                    }

                    @Override
                    public void status(StatusChange change) {
                        model.status(change);
                    }

                    @Override
                    public void removed(String nodeId, Instant at) {
                        model.removed(nodeId);
                    }

                    @Override
                    public void skipped(String warning) {
                        model.undecodableFailure(warning);
                    }
                });
        this.thread = new Thread(this::run, "pulse-dashboard-kafka");
        this.thread.setDaemon(true);
    }

    void start() {
        thread.start();
    }

    private void run() {
        long nextCheck = System.nanoTime();
        try {
            while (!closed) {
                try {
                    tail.poll(POLL);
                } catch (WakeupException e) {
                    break;
                } catch (KafkaException e) {
                    model.kafkaDown(e.toString());
                }
                if (System.nanoTime() - nextCheck >= 0) {
                    check();
                    nextCheck = System.nanoTime() + CHECK_INTERVAL.toNanos();
                }
            }
        } catch (WakeupException e) {
            // close() asked us to stop
        } catch (RuntimeException e) {
            LOG.log(System.Logger.Level.ERROR, "dashboard's Kafka feed stopped", e);
            model.kafkaDown("the dashboard's reader stopped: " + e);
        } finally {
            tail.close();
            closeView();
        }
    }

    /** Asks Kafka for both topics' offsets: up (with the lag) or down; starts the status view when its topic exists. */
    private void check() {
        Map<TopicPartition, TopicTail.Range> ranges;
        Map<TopicPartition, Long> read;
        try {
            ranges = tail.offsets(List.of(failuresTopic, statusTopic), CHECK_TIMEOUT);
            read = tail.positions(CHECK_TIMEOUT);
        } catch (WakeupException e) {
            throw e;
        } catch (KafkaException e) {
            model.kafkaDown(e.getClass().getSimpleName() + ": " + e.getMessage());
            return;
        }
        if (view != null && view.failure().isPresent()) {
            LOG.log(
                    System.Logger.Level.WARNING,
                    "status view failed, starting it again: {0}",
                    view.failure().get());
            closeView();
        }
        boolean statusExists = ranges.keySet().stream().anyMatch(p -> p.topic().equals(statusTopic));
        if (view == null && statusExists) {
            view = startView();
        }
        long lag = 0;
        Map<TopicPartition, Long> viewed = view == null ? Map.of() : view.positions();
        for (Map.Entry<TopicPartition, TopicTail.Range> range : ranges.entrySet()) {
            Map<TopicPartition, Long> positions = range.getKey().topic().equals(statusTopic) ? viewed : read;
            long position = Math.max(
                    range.getValue().begin(),
                    positions.getOrDefault(range.getKey(), range.getValue().begin()));
            lag += Math.max(0, range.getValue().end() - position);
        }
        model.kafkaUp(lag);
        if (view != null) {
            model.undecodableStatus(view.undecodable(), view.lastUndecodable().orElse(null));
            model.heartbeats(view.heartbeats());
        }
    }

    private ClusterView startView() {
        ClusterView.Builder builder = ClusterView.builder();
        properties.forEach((key, value) -> builder.property(String.valueOf(key), value));
        builder.property(ConsumerConfig.CLIENT_ID_CONFIG, "pulse-dashboard-status");
        builder.topicPrefix(topicPrefix);
        ClusterView started = builder.build();
        started.onChange((nodeId, before, after) -> {
            if (after == null) {
                if (before != null) {
                    model.removed(nodeId);
                }
            } else {
                model.status(after);
            }
        });
        started.start();
        return started;
    }

    private void closeView() {
        if (view != null) {
            view.close();
            view = null;
        }
    }

    @Override
    public void close() {
        closed = true;
        if (thread.getState() == Thread.State.NEW) {
            tail.close();
            return;
        }
        tail.wakeup();
        try {
            thread.join(Duration.ofSeconds(10).toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
