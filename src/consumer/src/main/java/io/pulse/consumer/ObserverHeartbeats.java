package io.pulse.consumer;

import io.pulse.events.EventDecoder;
import io.pulse.events.Heartbeat;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What {@link ClusterView} keeps of {@code <prefix>.heartbeats}: each observer's latest heartbeat,
 * and the {@link SilenceWatch}es told of each one.
 *
 * <pre>{@code
 * ObserverHeartbeats heartbeats = new ObserverHeartbeats(decoder);
 * heartbeats.watch(null, Duration.ofSeconds(30), listener);
 * heartbeats.start(now);
 * heartbeats.apply(record, now);   // throws EventDecodingException for a value that is no heartbeat
 * heartbeats.check(now);
 * }</pre>
 *
 * Reads are thread-safe; the rest runs on the view's thread.
 */
final class ObserverHeartbeats {
    private static final Logger LOG = LoggerFactory.getLogger(ObserverHeartbeats.class);

    private final EventDecoder decoder;
    private final Map<String, Heartbeat> latest = new ConcurrentHashMap<>();
    private final List<SilenceWatch> watches = new CopyOnWriteArrayList<>();

    ObserverHeartbeats(EventDecoder decoder) {
        this.decoder = decoder;
    }

    /** @param observer null: any observer */
    void watch(String observer, Duration threshold, SilenceListener listener) {
        Objects.requireNonNull(threshold, "threshold");
        Objects.requireNonNull(listener, "listener");
        if (threshold.isNegative() || threshold.isZero()) {
            throw new IllegalArgumentException("threshold must be > 0 ms, got " + threshold.toMillis() + " ms");
        }
        watches.add(new SilenceWatch(observer, threshold, new Guarded(listener)));
    }

    void start(Instant now) {
        watches.forEach(watch -> watch.start(now));
    }

    /**
     * A record of the heartbeats topic: a heartbeat, or a tombstone (the observer stopped cleanly,
     * and is forgotten). Throws {@code EventDecodingException} for a value that is no heartbeat.
     */
    void apply(ConsumerRecord<String, byte[]> record, Instant now) {
        if (record.value() == null) {
            latest.remove(record.key());
            return;
        }
        Heartbeat heartbeat = decoder.decodeHeartbeat(record.value());
        latest.put(record.key(), heartbeat);
        watches.forEach(watch -> watch.heard(heartbeat, now));
    }

    void check(Instant now) {
        watches.forEach(watch -> watch.check(now));
    }

    Map<String, Heartbeat> latest() {
        return Map.copyOf(latest);
    }

    Heartbeat latest(String observer) {
        return latest.get(observer);
    }

    /** A listener that throws is logged, never stops the view. */
    private record Guarded(SilenceListener listener) implements SilenceListener {
        @Override
        public void silent(Heartbeat last) {
            try {
                listener.silent(last);
            } catch (RuntimeException e) {
                LOG.warn("silence listener failed", e);
            }
        }

        @Override
        public void resumed(Heartbeat heartbeat) {
            try {
                listener.resumed(heartbeat);
            } catch (RuntimeException e) {
                LOG.warn("silence listener failed on resume", e);
            }
        }
    }
}
