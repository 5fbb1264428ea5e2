package io.pulse.sidecar;

import io.pulse.core.ClusterStats;
import io.pulse.core.NodeId;
import io.pulse.kafka.OutboxNotWritableException;
import io.pulse.kafka.PublisherConfig;
import io.pulse.kafka.PublisherStats;
import io.pulse.kafka.PulsePublisher;
import io.pulse.kafka.Watching;
import io.pulse.sidecar.config.ClusterSettings;
import io.pulse.sidecar.config.ConfigurationException;
import io.pulse.sidecar.config.SidecarConfig;
import io.pulse.sidecar.config.SidecarSettings;
import io.pulse.sidecar.http.ApiServer;
import io.pulse.sidecar.http.BuildInfo;
import io.pulse.sidecar.http.PulseMetrics;
import io.pulse.transport.PulseEngine;
import io.pulse.transport.PulseEngineBuilder;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.UnaryOperator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One running Pulse sidecar: the engine (probing and answering), the publisher and the HTTP API,
 * wired from a {@link SidecarConfig}.
 *
 * <pre>{@code
 * try (Sidecar sidecar = Sidecar.start(config)) {
 *     sidecar.awaitStop();
 * }
 * }</pre>
 *
 * Start order keeps every event: the engine binds without probing, the publisher starts (an
 * unreachable Kafka delays nothing past {@code pulse.startup.timeout.ms} and loses nothing: the
 * outbox keeps events), the listeners are wired, then the targets are added and probing starts.
 * A target whose host name does not resolve yet is tried again ({@code TargetRetries}), and
 * a keys file is watched for rotations ({@code KeyFileWatcher}).
 * In cluster mode ({@code cluster.enabled}) the engine joins the group once the targets are in,
 * and {@link #close()} first announces LEFT (bounded by {@code cluster.leave.timeout}), so that
 * peers publish {@code ALIVE -> LEFT}, not a failure. {@link #close()} then stops probing, closes the engine, then flushes the outbox to Kafka (bounded by
 * {@code kafka.close.timeout}) and closes the publisher.
 */
public final class Sidecar implements AutoCloseable {
    static final Duration JOIN_WARNING = Duration.ofSeconds(5);

    private static final Logger LOG = LoggerFactory.getLogger(Sidecar.class);

    private final PulseEngine engine;
    private final PulsePublisher publisher;
    private final ApiServer api;
    private final NodeId observer;
    private final ScheduledExecutorService retries;
    private boolean closed;
    /** Set in cluster mode: close() announces LEFT first and waits this long at most. */
    private Duration leaveTimeout;

    private Sidecar(
            PulseEngine engine,
            PulsePublisher publisher,
            ApiServer api,
            NodeId observer,
            ScheduledExecutorService retries) {
        this.engine = engine;
        this.publisher = publisher;
        this.api = api;
        this.observer = observer;
        this.retries = retries;
    }

    /** Starts every part; a part that fails to start closes the ones started before it. */
    public static Sidecar start(SidecarConfig config) {
        return start(config, UnaryOperator.identity());
    }

    /**
     * {@link #start(SidecarConfig)}, with {@code engineOptions} applied to the engine's builder
     * last: for the demo, tests and benchmarks that need an engine option no setting exposes (a
     * {@link io.pulse.transport.DatagramFilter}).
     */
    public static Sidecar start(SidecarConfig config, UnaryOperator<PulseEngineBuilder> engineOptions) {
        config.requireKeysOrChoice();
        InetSocketAddress nodeBind = resolved(SidecarSettings.NODE_BIND, config.nodeBind());
        InetSocketAddress httpBind = resolved(SidecarSettings.HTTP_BIND, config.httpBind());
        List<AutoCloseable> started = new ArrayList<>();
        try {
            PulseEngine engine = engineOptions
                    .apply(config.security()
                            .applyTo(PulseEngine.builder())
                            .bind(nodeBind)
                            .targetLookupInterval(config.targetsLookupInterval())
                            .config(config.detector())
                            .responding(config.respond())
                            .probing(false))
                    .start();
            started.add(engine);
            NodeId observer = config.nodeId().orElseGet(() -> observerOf(engine));
            engine.onStatusChange(new StateChangeLog(observer));
            PulsePublisher publisher = config.kafkaEnabled() ? startPublisher(config, observer, engine) : null;
            if (publisher != null) {
                started.add(publisher);
            }
            ApiServer api = config.httpEnabled() ? startApi(config, httpBind, engine, publisher) : null;
            if (api != null) {
                started.add(api);
            }
            ScheduledExecutorService retries = Executors.newSingleThreadScheduledExecutor(runnable -> {
                Thread thread = new Thread(runnable, "pulse-target-resolver");
                thread.setDaemon(true);
                return thread;
            });
            started.add(retries::shutdownNow);
            Sidecar sidecar = new Sidecar(engine, publisher, api, observer, retries);
            KeyFileWatcher.start(engine, config.security(), retries);
            TargetRetries targets = new TargetRetries(engine, retries);
            config.targets().forEach(targets::addOrRetry);
            engine.startProbing();
            if (config.cluster().enabled()) {
                sidecar.startCluster(config.cluster());
            }
            logStarted(config, sidecar);
            return sidecar;
        } catch (RuntimeException | Error e) {
            for (int i = started.size() - 1; i >= 0; i--) {
                try {
                    started.get(i).close();
                } catch (Exception suppressed) {
                    e.addSuppressed(suppressed);
                }
            }
            throw e;
        }
    }

    /** A publisher whose events name {@code observer}, fed by every status change, failure and removal. */
    private static PulsePublisher startPublisher(SidecarConfig config, NodeId observer, PulseEngine engine) {
        Map<String, Object> kafka = new HashMap<>(config.kafka());
        kafka.put(PublisherConfig.OBSERVER, observer.toString());
        PulsePublisher publisher;
        try {
            publisher = PulsePublisher.builder()
                    .properties(kafka)
                    .watching(() -> watching(engine))
                    .version(BuildInfo.current().version())
                    .build();
        } catch (OutboxNotWritableException e) {
            throw new ConfigurationException(SidecarSettings.OUTBOX_DIR + ": " + e.getMessage(), e);
        }
        engine.onStatusChange(publisher::publish);
        engine.onFailure(publisher::publish);
        engine.onRemoved(publisher::publishRemoval);
        // Cluster mode: a change's backup stands down only once Kafka has the publisher's events.
        engine.confirmPublications(true);
        engine.onChangeRaised(change -> publisher.whenDelivered(() -> engine.published(change)));
        return publisher;
    }

    /** What the heartbeat says this sidecar watches: its targets, or in cluster mode the agreed configuration. */
    private static Watching watching(PulseEngine engine) {
        if (engine.clustered()) {
            ClusterStats stats = engine.clusterStats();
            long epoch = stats.configuration().epoch();
            return new Watching(stats.members(), epoch == 0 ? null : epoch);
        }
        return new Watching(engine.statusAll().size(), null);
    }

    /** The HTTP API; says so when it answers anyone who reaches it. */
    private static ApiServer startApi(
            SidecarConfig config, InetSocketAddress httpBind, PulseEngine engine, PulsePublisher publisher) {
        PulseMetrics metrics = PulseMetrics.create();
        if (publisher != null) {
            publisher.onDelivery(metrics.publishLatency());
        }
        ApiServer api = ApiServer.start(
                httpBind, engine, publisher == null ? () -> null : publisher::stats, metrics, config.httpLimits());
        if (config.httpLimits().token().isEmpty() && !httpBind.getAddress().isLoopbackAddress()) {
            LOG.warn(
                    "the HTTP API on {} answers anyone who reaches it: set {} to require a token, or bind it "
                            + "to loopback",
                    api.localAddress(),
                    SidecarSettings.HTTP_TOKEN_FILE);
        }
        return api;
    }

    private static void logStarted(SidecarConfig config, Sidecar sidecar) {
        LOG.info(
                "Pulse {} listening on udp {}{}, watching {} target(s){}{}",
                sidecar.observer,
                sidecar.engine.localAddress(),
                sidecar.api == null ? "" : ", HTTP API on " + sidecar.api.localAddress(),
                config.targets().size(),
                config.cluster().enabled()
                        ? (config.cluster().join().isEmpty()
                                ? ", founding a cluster"
                                : ", joining the cluster through "
                                        + String.join(", ", config.cluster().join()))
                        : "",
                sidecar.publisher == null
                        ? ", Kafka publishing off"
                        : ", publishing to " + config.kafka().get("bootstrap.servers"));
    }

    private void startCluster(ClusterSettings cluster) {
        InetSocketAddress advertise = cluster.advertise()
                .map(a -> resolved(SidecarSettings.CLUSTER_ADVERTISE, a))
                .orElse(null);
        try {
            engine.startCluster(cluster.config(), advertise, cluster.join(), cluster.labels());
        } catch (IllegalArgumentException e) {
            throw new ConfigurationException(SidecarSettings.CLUSTER_ADVERTISE + ": " + e.getMessage());
        }
        this.leaveTimeout = cluster.leaveTimeout();
        boolean[] withoutMajority = {false};
        // A member that is not in yet says so every JOIN_WARNING; a side without a majority says so once
        // when it loses it (it decides nothing then), and once when it has one again.
        retries.scheduleWithFixedDelay(
                () -> {
                    ClusterStats stats = engine.clusterStats();
                    if (!stats.joined() && stats.joinAttempts() > 0) {
                        LOG.warn(
                                "not in the cluster yet: {} attempt(s) through {}; still trying",
                                stats.joinAttempts(),
                                cluster.join());
                    }
                    if (!stats.quorum() && !withoutMajority[0]) {
                        withoutMajority[0] = true;
                        LOG.warn(
                                "no majority: a change of configuration {} has waited {} ms; this member's side of the "
                                        + "cluster decides nothing (and publishes no verdict) until it reaches a "
                                        + "majority of the {} members",
                                stats.configuration(),
                                stats.undecidedMillis(),
                                stats.members());
                    } else if (stats.quorum() && withoutMajority[0]) {
                        withoutMajority[0] = false;
                        LOG.info(
                                "a majority again: configuration {} of {} members",
                                stats.configuration(),
                                stats.members());
                    }
                },
                JOIN_WARNING.toMillis(),
                JOIN_WARNING.toMillis(),
                TimeUnit.MILLISECONDS);
    }

    /** The bound address, or the host name and port when bound to a wildcard address. */
    private static NodeId observerOf(PulseEngine engine) {
        InetSocketAddress local = engine.localAddress();
        if (!local.getAddress().isAnyLocalAddress()) {
            return engine.localId();
        }
        try {
            return NodeId.of(InetAddress.getLocalHost().getHostName(), local.getPort());
        } catch (UnknownHostException e) {
            return engine.localId();
        }
    }

    /** A bind address from the configuration, its host resolved; a host that does not resolve is a configuration error. */
    static InetSocketAddress resolved(String key, InetSocketAddress unresolved) {
        InetSocketAddress address = new InetSocketAddress(unresolved.getHostString(), unresolved.getPort());
        if (address.isUnresolved()) {
            throw new ConfigurationException(key + ": cannot resolve host " + unresolved.getHostString()
                    + " (expected: an address of this machine, e.g. 0.0.0.0 or 127.0.0.1)");
        }
        return address;
    }

    public PulseEngine engine() {
        return engine;
    }

    /** The publisher's counters, or null when Kafka publishing is off. */
    public PublisherStats publisherStats() {
        return publisher == null ? null : publisher.stats();
    }

    /** The HTTP API's address, or null when it is off. */
    public InetSocketAddress apiAddress() {
        return api == null ? null : api.localAddress();
    }

    /** The id written into this node's events. */
    public NodeId observer() {
        return observer;
    }

    /**
     * Stops as a crash looks to the other cluster members: no LEFT announcement, so they declare
     * this node DEAD. For demos and tests; otherwise as {@link #close()}.
     */
    public synchronized void kill() {
        leaveTimeout = null;
        close();
    }

    /**
     * Stops probing, closes the API and the engine (so that no event comes after the publisher
     * closed), then the publisher, which waits for Kafka to acknowledge what the outbox holds.
     * A second call does nothing.
     */
    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        retries.shutdownNow();
        if (leaveTimeout != null) {
            boolean told = engine.leave(leaveTimeout);
            LOG.info(
                    "Pulse {} left the cluster{}",
                    observer,
                    told
                            ? ""
                            : " (the LEFT announcement may not have reached every member within " + leaveTimeout + ")");
        }
        engine.stopProbing();
        RuntimeException failure = null;
        for (AutoCloseable part : new AutoCloseable[] {api, engine, publisher}) {
            if (part == null) {
                continue;
            }
            try {
                part.close();
            } catch (Exception e) {
                if (failure == null) {
                    failure = new IllegalStateException("closing the sidecar failed", e);
                } else {
                    failure.addSuppressed(e);
                }
            }
        }
        if (publisher != null) {
            PublisherStats stats = publisher.stats();
            LOG.info(
                    "Pulse {} stopped; {} event(s) published, {} left in the outbox for the next start",
                    observer,
                    stats.published(),
                    stats.pendingEvents());
        }
        if (failure != null) {
            throw failure;
        }
    }
}
