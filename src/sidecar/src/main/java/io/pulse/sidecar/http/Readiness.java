package io.pulse.sidecar.http;

import io.pulse.core.ClusterStats;
import io.pulse.kafka.PublisherStats;
import io.pulse.transport.PulseEngine;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.LongSupplier;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What {@code GET /ready} answers: whether this sidecar does its job now. Ready when it is in its
 * cluster with a majority (cluster mode), Kafka has acknowledged events within {@link #KAFKA_STALL}
 * of when they waited (or none wait), and the outbox is below {@link #OUTBOX_FULL} of its bound.
 * {@code /health} says the process answers; this says whether an orchestrator should count on it.
 * Each change of the answer is logged once, with its reasons.
 *
 * <pre>{@code
 * HealthHandler ready = HealthHandler.builder().path("/ready").ok(new Readiness(engine, publisher::stats, System::nanoTime)::ready).build();
 * }</pre>
 */
final class Readiness {
    static final String PATH = "/ready";
    /** Events waiting this long with no acknowledgement from Kafka: it is unreachable, or refuses them. */
    static final Duration KAFKA_STALL = Duration.ofSeconds(30);
    /** The share of {@code outbox.max.bytes} past which the outbox counts as full. */
    static final double OUTBOX_FULL = 0.9;

    private static final Logger LOG = LoggerFactory.getLogger(Readiness.class);

    private final PulseEngine engine;
    private final Supplier<PublisherStats> publisher;
    private final LongSupplier nanoTime;
    private long acknowledged = -1;
    private long progressNanos;
    private List<String> lastReasons = List.of();

    /** @param publisher the publisher's counters, or a supplier of null without one */
    Readiness(PulseEngine engine, Supplier<PublisherStats> publisher, LongSupplier nanoTime) {
        this.engine = engine;
        this.publisher = publisher;
        this.nanoTime = nanoTime;
        this.progressNanos = nanoTime.getAsLong();
    }

    /** True when ready; called by the API's event loop, once per request. */
    synchronized boolean ready() {
        List<String> reasons = reasons();
        if (!reasons.equals(lastReasons)) {
            if (reasons.isEmpty()) {
                LOG.info("ready");
            } else {
                LOG.warn("not ready: {}", String.join("; ", reasons));
            }
            lastReasons = reasons;
        }
        return reasons.isEmpty();
    }

    /** Why this sidecar is not ready; empty when it is. */
    synchronized List<String> reasons() {
        List<String> reasons = new ArrayList<>();
        if (engine.clustered()) {
            ClusterStats cluster = engine.clusterStats();
            if (!cluster.joined()) {
                reasons.add("not in the cluster (" + cluster.phase() + ")");
            } else if (!cluster.quorum()) {
                reasons.add("no majority of the configuration for " + cluster.undecidedMillis() + " ms");
            }
        }
        PublisherStats stats = publisher.get();
        if (stats != null) {
            long now = nanoTime.getAsLong();
            if (stats.pendingEvents() == 0 || stats.acknowledged() != acknowledged) {
                acknowledged = stats.acknowledged();
                progressNanos = now;
            } else if (now - progressNanos >= KAFKA_STALL.toNanos()) {
                reasons.add("Kafka has acknowledged none of " + stats.pendingEvents() + " waiting events for "
                        + Duration.ofNanos(now - progressNanos).toSeconds() + " s");
            }
            if (stats.maxBytes() > 0 && stats.pendingBytes() >= OUTBOX_FULL * stats.maxBytes()) {
                reasons.add("the outbox holds " + stats.pendingBytes() + " of " + stats.maxBytes() + " bytes");
            }
        }
        return reasons;
    }
}
