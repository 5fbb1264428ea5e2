package io.pulse.consumer;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.pulse.events.EventCodec;
import io.pulse.events.EventDecoder;
import io.pulse.events.FailureMessage;
import io.pulse.events.Topics;
import io.pulse.testkit.Eventually;
import java.time.Duration;
import java.util.EnumSet;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;

/** The dispatcher without Kafka: records in, handler calls and counters out. */
class DispatcherTest {
    private static final String FAILURES = Topics.failures(Topics.DEFAULT_PREFIX);

    @Test
    void countersWrittenOnTheConsumerThreadAreSeenFromAnother() throws Exception {
        AtomicLong calls = new AtomicLong();
        ConsumerSettings settings = new ConsumerSettings(
                Map.of(),
                "g",
                Topics.DEFAULT_PREFIX,
                EnumSet.allOf(PulseConsumer.Topic.class),
                PulseConsumer.OffsetReset.LATEST,
                f -> calls.incrementAndGet(),
                c -> {},
                id -> {},
                1,
                Duration.ZERO,
                Duration.ZERO,
                1_000,
                Duration.ofSeconds(1));
        // No dead letters in this test: the dispatcher never needs the producer.
        Dispatcher dispatcher =
                new Dispatcher(settings, null, new CountDownLatch(1), new EventDecoder(fingerprint -> null));
        int events = 5_000;
        Thread consumerThread = new Thread(
                () -> {
                    try {
                        for (int i = 0; i < events; i++) {
                            FailureMessage failure = TestEvents.failure("10.0.0.1:7946", i);
                            byte[] value = EventCodec.encode(failure);
                            dispatcher.dispatch(new ConsumerRecord<>(FAILURES, 0, 2L * i, failure.getNodeId(), value));
                            dispatcher.dispatch(
                                    new ConsumerRecord<>(FAILURES, 0, 2L * i + 1, failure.getNodeId(), value));
                        }
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                },
                "consumer");
        consumerThread.start();
        // Read while the other thread writes: without safe publication this may never see the end.
        Eventually.await("every event handled", dispatcher::handled, n -> n == events, Duration.ofSeconds(30));
        Eventually.await("every second copy dropped", dispatcher::duplicates, n -> n == events, Duration.ofSeconds(30));
        consumerThread.join();
        assertEquals(events, calls.get());
        assertEquals(0, dispatcher.deadLettered());
    }
}
