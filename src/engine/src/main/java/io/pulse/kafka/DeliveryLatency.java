package io.pulse.kafka;

import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.function.Consumer;

/**
 * How long Kafka took to acknowledge each event, from its publish call (the moment the engine
 * decided): the journal time of the latest {@value #SLOTS} events is kept by sequence number, and
 * the listener hears the difference when the event is acknowledged. Events journaled before this
 * start, or still pending while {@value #SLOTS} newer ones were journaled (a long Kafka outage),
 * are not reported: their time is not kept.
 *
 * <pre>{@code
 * latency.journaled(seq, System.nanoTime());        // by the publishing thread
 * latency.acknowledged(seq, System.nanoTime());     // by the producer's I/O thread
 * }</pre>
 */
final class DeliveryLatency {
    static final int SLOTS = 1 << 14;

    /** Per slot: the sequence number whose time it holds, written after the time; -1 when empty. */
    private final AtomicLongArray seqs = new AtomicLongArray(SLOTS);

    private final AtomicLongArray nanos = new AtomicLongArray(SLOTS);
    private volatile Consumer<Duration> listener;

    DeliveryLatency() {
        for (int i = 0; i < SLOTS; i++) {
            seqs.set(i, -1);
        }
    }

    /** One listener; a later call replaces it. */
    void listener(Consumer<Duration> value) {
        this.listener = Objects.requireNonNull(value, "listener");
    }

    void journaled(long seq, long nowNanos) {
        int slot = (int) (seq & (SLOTS - 1));
        seqs.set(slot, -1);
        nanos.set(slot, nowNanos);
        seqs.set(slot, seq);
    }

    void acknowledged(long seq, long nowNanos) {
        Consumer<Duration> to = listener;
        if (to == null) {
            return;
        }
        int slot = (int) (seq & (SLOTS - 1));
        if (seqs.get(slot) != seq) {
            return;
        }
        long at = nanos.get(slot);
        if (seqs.get(slot) == seq) { // not overwritten while read
            to.accept(Duration.ofNanos(Math.max(0, nowNanos - at)));
        }
    }
}
