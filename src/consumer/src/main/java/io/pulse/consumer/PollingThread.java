package io.pulse.consumer;

import java.util.List;
import org.apache.kafka.clients.consumer.Consumer;

/**
 * The thread of a Kafka consumer that reads until it is closed, shared by {@link PulseConsumer}
 * and {@link ClusterView}: started once; {@link #close()} wakes the consumer out of its poll and
 * waits for the thread, which closes the consumer and what goes with it on its way out
 * ({@link #closeResources()} in its {@code finally}); never started, they are closed at once.
 *
 * <pre>{@code
 * PollingThread polling = new PollingThread("pulse-cluster-view", true, this::run, consumer, List.of(schemas::close));
 * polling.start("view");
 * ...
 * closed = true;   // the loop's own stop condition first
 * polling.close();
 * }</pre>
 */
final class PollingThread {
    private final Thread thread;
    private final Consumer<?, ?> consumer;
    /** Closed after the consumer, in this order. */
    private final List<Runnable> resources;

    /** @param daemon true: a daemon thread; false: as {@code new Thread} makes it (a daemon if its creator is one) */
    PollingThread(String name, boolean daemon, Runnable loop, Consumer<?, ?> consumer, List<Runnable> resources) {
        this.thread = new Thread(loop, name);
        if (daemon) {
            this.thread.setDaemon(true);
        }
        this.consumer = consumer;
        this.resources = List.copyOf(resources);
    }

    /** @throws IllegalStateException saying "{@code what} was started already" */
    void start(String what) {
        if (thread.getState() != Thread.State.NEW) {
            throw new IllegalStateException(what + " was started already");
        }
        thread.start();
    }

    /** Ends the poll in progress and waits for the thread to end; closes the resources if it never started. */
    void close() {
        consumer.wakeup();
        if (thread.getState() != Thread.State.NEW) {
            try {
                thread.join();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        } else {
            closeResources();
        }
    }

    /** Closes the consumer, then the resources: the loop calls it last, in its {@code finally}. */
    void closeResources() {
        consumer.close();
        resources.forEach(Runnable::run);
    }
}
