package io.pulse.sidecar;

import io.pulse.core.ClusterStats;
import io.pulse.core.DuplicateNodeException;
import io.pulse.core.NodeId;
import io.pulse.core.TargetOptions;
import io.pulse.kafka.OutboxNotWritableException;
import io.pulse.kafka.PublisherConfig;
import io.pulse.kafka.PublisherStats;
import io.pulse.kafka.PulsePublisher;
import io.pulse.protocol.DatagramAuth;
import io.pulse.protocol.Keyring;
import io.pulse.sidecar.config.ClusterSettings;
import io.pulse.sidecar.config.ConfigurationException;
import io.pulse.sidecar.config.SecuritySettings;
import io.pulse.sidecar.config.SidecarConfig;
import io.pulse.sidecar.config.SidecarSettings;
import io.pulse.sidecar.config.TargetSpec;
import io.pulse.sidecar.http.ApiServer;
import io.pulse.sidecar.http.PulseMetrics;
import io.pulse.transport.PulseEngine;
import io.pulse.transport.PulseEngineBuilder;
import io.pulse.transport.probe.HttpProbeSpec;
import io.pulse.transport.probe.TcpProbeSpec;
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
 * A target whose host name does not resolve yet is tried again every {@link #RESOLVE_RETRY}.
 * In cluster mode ({@code cluster.enabled}) the engine joins the group once the targets are in,
 * and {@link #close()} first announces LEFT (bounded by {@code cluster.leave.timeout}), so that
 * peers publish {@code ALIVE -> LEFT}, not a failure. {@link #close()} then stops probing, closes the engine, then flushes the outbox to Kafka (bounded by
 * {@code kafka.close.timeout}) and closes the publisher.
 */
public final class Sidecar implements AutoCloseable {
    static final Duration RESOLVE_RETRY = Duration.ofSeconds(5);
    static final Duration JOIN_WARNING = Duration.ofSeconds(5);
    /** How often the keys file is checked for a change. */
    static final Duration KEYS_CHECK = Duration.ofSeconds(2);

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
     * last: for tests and benchmarks that need an engine option no setting exposes (a
     * {@link io.pulse.transport.DatagramFilter}).
     */
    static Sidecar start(SidecarConfig config, UnaryOperator<PulseEngineBuilder> engineOptions) {
        InetSocketAddress nodeBind = resolved(SidecarSettings.NODE_BIND, config.nodeBind());
        InetSocketAddress httpBind = resolved(SidecarSettings.HTTP_BIND, config.httpBind());
        List<AutoCloseable> started = new ArrayList<>();
        try {
            PulseEngine engine = engineOptions
                    .apply(config.security()
                            .applyTo(PulseEngine.builder())
                            .bind(nodeBind)
                            .config(config.detector())
                            .responding(config.respond())
                            .probing(false))
                    .start();
            started.add(engine);
            NodeId observer = config.nodeId().orElseGet(() -> observerOf(engine));
            engine.onStatusChange(new StateChangeLog(observer));
            PulsePublisher publisher = null;
            if (config.kafkaEnabled()) {
                Map<String, Object> kafka = new HashMap<>(config.kafka());
                kafka.put(PublisherConfig.OBSERVER, observer.toString());
                try {
                    publisher = PulsePublisher.builder().properties(kafka).build();
                } catch (OutboxNotWritableException e) {
                    throw new ConfigurationException(SidecarSettings.OUTBOX_DIR + ": " + e.getMessage(), e);
                }
                started.add(publisher);
                engine.onStatusChange(publisher::publish);
                engine.onFailure(publisher::publish);
                engine.onRemoved(publisher::publishRemoval);
            }
            PulsePublisher published = publisher;
            ApiServer api = null;
            if (config.httpEnabled()) {
                api = ApiServer.start(
                        httpBind,
                        engine,
                        published == null ? () -> null : published::stats,
                        PulseMetrics.create(),
                        config.httpLimits());
                if (config.httpLimits().token().isEmpty()
                        && !httpBind.getAddress().isLoopbackAddress()) {
                    LOG.warn(
                            "the HTTP API on {} answers anyone who reaches it: set {} to require a token, or bind it "
                                    + "to loopback",
                            api.localAddress(),
                            SidecarSettings.HTTP_TOKEN_FILE);
                }
                started.add(api);
            }
            ScheduledExecutorService retries = Executors.newSingleThreadScheduledExecutor(runnable -> {
                Thread thread = new Thread(runnable, "pulse-target-resolver");
                thread.setDaemon(true);
                return thread;
            });
            started.add(retries::shutdownNow);
            Sidecar sidecar = new Sidecar(engine, publisher, api, observer, retries);
            sidecar.watchKeys(config.security());
            for (TargetSpec target : config.targets()) {
                sidecar.addOrRetry(target);
            }
            engine.startProbing();
            if (config.cluster().enabled()) {
                sidecar.startCluster(config.cluster());
            }
            LOG.info(
                    "Pulse {} listening on udp {}{}, watching {} target(s){}{}",
                    observer,
                    engine.localAddress(),
                    api == null ? "" : ", HTTP API on " + api.localAddress(),
                    config.targets().size(),
                    config.cluster().enabled()
                            ? (config.cluster().join().isEmpty()
                                    ? ", founding a cluster"
                                    : ", joining the cluster through "
                                            + String.join(", ", config.cluster().join()))
                            : "",
                    publisher == null
                            ? ", Kafka publishing off"
                            : ", publishing to " + config.kafka().get("bootstrap.servers"));
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

    /**
     * Says how datagrams are authenticated, and re-reads the keys file every {@link #KEYS_CHECK}
     * once it changed: a rotation step is an edit of the file on every node, no restart. A file
     * that no longer parses keeps the keys in use, and says why.
     */
    private void watchKeys(SecuritySettings security) {
        if (!security.authenticating()) {
            LOG.info(
                    "datagrams are not authenticated (no {}): any host that reaches udp {} can talk to this node",
                    SidecarSettings.SECURITY_KEYS_FILE,
                    engine.localAddress());
            return;
        }
        Keyring keyring = engine.authentication().keyring();
        LOG.info(
                "datagrams are signed with key {} of {} (label \"{}\"), unsigned ones {}",
                keyring.primary(),
                keyring.ids(),
                keyring.label(),
                security.mode() == DatagramAuth.Mode.REQUIRED
                        ? "dropped"
                        : "accepted (permissive: set " + SidecarSettings.SECURITY_AUTH_MODE
                                + ": required once every node has the keys)");
        if (security.keysFile().isEmpty()) {
            return;
        }
        java.nio.file.Path file = security.keysFile().get();
        long[] seen = {lastModified(file)};
        retries.scheduleWithFixedDelay(
                () -> {
                    long modified = lastModified(file);
                    if (modified == seen[0]) {
                        return;
                    }
                    seen[0] = modified;
                    reloadKeys(security);
                },
                KEYS_CHECK.toMillis(),
                KEYS_CHECK.toMillis(),
                TimeUnit.MILLISECONDS);
    }

    /** Installs the keys the file holds now; true if it could. */
    boolean reloadKeys(SecuritySettings security) {
        try {
            Keyring next = security.readKeyring().orElseThrow();
            Keyring before = engine.authentication().keyring();
            engine.authentication().keyring(next);
            LOG.info("keys reloaded: {} -> {}, signing with {}", before.ids(), next.ids(), next.primary());
            return true;
        } catch (ConfigurationException e) {
            LOG.error("keys not reloaded, the keys in use stay: {}", e.getMessage());
            return false;
        }
    }

    private static long lastModified(java.nio.file.Path file) {
        try {
            return java.nio.file.Files.getLastModifiedTime(file).toMillis() ^ java.nio.file.Files.size(file);
        } catch (java.io.IOException e) {
            return -1;
        }
    }

    private void startCluster(ClusterSettings cluster) {
        InetSocketAddress advertise = cluster.advertise()
                .map(a -> resolved(SidecarSettings.CLUSTER_ADVERTISE, a))
                .orElse(null);
        try {
            engine.startCluster(cluster.config(), advertise, cluster.join());
        } catch (IllegalArgumentException e) {
            throw new ConfigurationException(SidecarSettings.CLUSTER_ADVERTISE + ": " + e.getMessage());
        }
        this.leaveTimeout = cluster.leaveTimeout();
        if (!cluster.join().isEmpty()) {
            // A member that reaches no seed keeps trying (the core does) and says so, every JOIN_WARNING.
            retries.scheduleWithFixedDelay(
                    () -> {
                        ClusterStats stats = engine.clusterStats();
                        if (!stats.joined()) {
                            LOG.warn(
                                    "not in the cluster yet: none of {} answered in {} attempt(s); still trying",
                                    cluster.join(),
                                    stats.joinAttempts());
                        }
                    },
                    JOIN_WARNING.toMillis(),
                    JOIN_WARNING.toMillis(),
                    TimeUnit.MILLISECONDS);
        }
    }

    private void addOrRetry(TargetSpec target) {
        try {
            add(target);
        } catch (DuplicateNodeException e) {
            LOG.warn(
                    "target {} is configured twice (or is this node itself); watched once: {}", target, e.getMessage());
        } catch (IllegalArgumentException e) {
            if (!(e.getCause() instanceof UnknownHostException)) {
                throw e;
            }
            LOG.warn(
                    "target {} cannot be added yet ({}); trying again every {} s",
                    target,
                    e.getMessage(),
                    RESOLVE_RETRY.toSeconds());
            retries.schedule(
                    () -> {
                        try {
                            addOrRetry(target);
                        } catch (RuntimeException unexpected) {
                            LOG.error("target {} cannot be added: {}", target, unexpected.getMessage());
                        }
                    },
                    RESOLVE_RETRY.toMillis(),
                    TimeUnit.MILLISECONDS);
        }
    }

    private void add(TargetSpec target) {
        switch (target.kind()) {
            case UDP -> engine.addTarget(target.nodeId(), TargetOptions.defaults());
            case HTTP -> engine.addHttpTarget(HttpProbeSpec.of(target.text()), TargetOptions.defaults());
            case TCP -> engine.addTcpTarget(TcpProbeSpec.of(target.text()), TargetOptions.defaults());
        }
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
