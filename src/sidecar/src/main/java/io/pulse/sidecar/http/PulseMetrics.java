package io.pulse.sidecar.http;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.MultiGauge;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.binder.jvm.ClassLoaderMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.core.instrument.binder.system.UptimeMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.pulse.core.ClusterStats;
import io.pulse.core.Liveness;
import io.pulse.core.NodeStatus;
import io.pulse.core.PulseCore;
import io.pulse.core.RttSample;
import io.pulse.kafka.PublisherStats;
import io.pulse.protocol.RejectReason;
import io.pulse.transport.PulseEngine;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Consumer;
import java.util.function.Supplier;
import java.util.function.ToDoubleFunction;

/**
 * The engine's and the publisher's figures as Prometheus metrics, served by {@link ApiServer} on
 * {@code GET /metrics}.
 *
 * <pre>{@code
 * PulseMetrics metrics = PulseMetrics.create();
 * Counter.builder("my.requests").register(metrics.registry());   // optional: meters of your own on the same page
 * ApiServer api = ApiServer.start(bind, engine, publisher::stats, metrics);
 * }</pre>
 *
 * <p>Besides Pulse's own meters: {@code pulse_build_info{version}} (always 1) and Micrometer's JVM and
 * process meters ({@code jvm_memory_*}, {@code jvm_gc_*}, {@code jvm_threads_*}, {@code jvm_classes_*},
 * {@code process_cpu_usage}, {@code system_cpu_*}, {@code process_uptime_seconds}, ...).
 *
 * <p>Each scrape reads one snapshot of every node ({@link PulseEngine#statusAll()}) and one of the
 * publisher's counters, then renders every meter from them. Probe counts are counters that only
 * grow, though the per-node counts behind them fall when a node is removed or reset (see
 * {@code ProbeTotals}). Publisher meters are there only while the publisher stats supplier gives
 * stats. RTT samples go to a histogram as they happen, on the engine's loop.
 *
 * <p>Over 400 lines because every meter is declared here (name, help text, unit, the figure it
 * reads), a few lines each next to the others of its kind; there is little logic besides.
 */
public final class PulseMetrics {
    /** What {@link PrometheusMeterRegistry#scrape()} writes: the Prometheus text format 0.0.4. */
    public static final String CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8";
    /** RTT histogram buckets, LAN (0.1 ms) to far WAN (2 s), about 2.5x apart. */
    static final List<Duration> RTT_BUCKETS = List.of(
            Duration.ofNanos(100_000),
            Duration.ofNanos(250_000),
            Duration.ofNanos(500_000),
            Duration.ofMillis(1),
            Duration.ofNanos(2_500_000),
            Duration.ofMillis(5),
            Duration.ofMillis(10),
            Duration.ofMillis(25),
            Duration.ofMillis(50),
            Duration.ofMillis(100),
            Duration.ofMillis(250),
            Duration.ofMillis(500),
            Duration.ofSeconds(1),
            Duration.ofSeconds(2));

    /** Publish latency buckets: an event acknowledged at once (5 ms) to one held through an outage (5 min). */
    static final List<Duration> PUBLISH_BUCKETS = List.of(
            Duration.ofMillis(5),
            Duration.ofMillis(10),
            Duration.ofMillis(25),
            Duration.ofMillis(50),
            Duration.ofMillis(100),
            Duration.ofMillis(250),
            Duration.ofMillis(500),
            Duration.ofSeconds(1),
            Duration.ofNanos(2_500_000_000L),
            Duration.ofSeconds(5),
            Duration.ofSeconds(10),
            Duration.ofSeconds(30),
            Duration.ofMinutes(1),
            Duration.ofMinutes(5));

    /** What one scrape reads; {@code publisher} is null when there is no publisher. */
    private record Snapshot(
            Map<Liveness, Integer> byState,
            long probesSent,
            long probesLost,
            List<NodeStatus> external,
            PublisherStats publisher,
            ClusterStats cluster,
            PulseCore.Counters counters) {}

    private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    /**
     * Per HTTP or TCP target (tag {@code node}), as blackbox_exporter's {@code probe_success} and
     * {@code probe_duration_seconds}: such targets are few and named by operators, so a series
     * each is affordable; Pulse peers, possibly thousands, are only counted.
     */
    private final MultiGauge targetUp = MultiGauge.builder("pulse.target.up")
            .description("1 while an HTTP or TCP target is ALIVE, else 0")
            .register(registry);

    private final MultiGauge targetRtt = MultiGauge.builder("pulse.target.rtt")
            .description("Smoothed RTT of an HTTP or TCP target's probes, once one was answered")
            .baseUnit("seconds")
            .register(registry);
    private final ProbeTotals probes = new ProbeTotals();
    private final Map<NodeStatus.ProbeKind, Timer> rtt = new EnumMap<>(NodeStatus.ProbeKind.class);
    private final List<Meter> publisherMeters = new ArrayList<>();
    /** Listens to the JVM's GC notifications until {@link #close()}. */
    private final JvmGcMetrics gc = new JvmGcMetrics();

    private PulseEngine engine;
    private Supplier<PublisherStats> publisherStats;
    /** Registered by the first {@link #publishLatency()}. */
    private Timer publishLatency;
    /** The snapshot of the scrape in progress, or null outside {@link #scrape()}. */
    private volatile Snapshot current;

    private PulseMetrics() {}

    public static PulseMetrics create() {
        return new PulseMetrics();
    }

    /** The registry behind {@code /metrics}, to add meters of your own (the JVM's and the process's are there already). */
    public MeterRegistry registry() {
        return registry;
    }

    /**
     * Records, in {@code pulse_publish_latency_seconds}, how long each event took from its publish
     * call (the decision) to Kafka's acknowledgement: hand it to
     * {@link io.pulse.kafka.PulsePublisher#onDelivery}. The histogram appears with the first call.
     */
    public synchronized Consumer<Duration> publishLatency() {
        if (publishLatency == null) {
            publishLatency = Timer.builder("pulse.publish.latency")
                    .description("From an event's publish call (the decision) to Kafka's acknowledgement")
                    .serviceLevelObjectives(PUBLISH_BUCKETS.toArray(Duration[]::new))
                    .register(registry);
        }
        return publishLatency::record;
    }

    /** Registers the meters of {@code engine} and of the publisher; once, by {@link ApiServer#start}. */
    synchronized void bind(PulseEngine engine, Supplier<PublisherStats> publisherStats) {
        Objects.requireNonNull(engine, "engine");
        Objects.requireNonNull(publisherStats, "publisherStats");
        if (this.engine != null) {
            throw new IllegalStateException(
                    "these metrics are bound to an engine already (one PulseMetrics per ApiServer)");
        }
        this.engine = engine;
        this.publisherStats = publisherStats;
        processMeters();

        counter(
                "pulse.probes.sent",
                "Direct probes sent (PING, or HTTP/TCP probe), retries included",
                m -> m.snapshot().probesSent());
        counter(
                "pulse.probes.lost",
                "Direct probes whose round ended unanswered",
                m -> m.snapshot().probesLost());
        counter(
                "pulse.probes.answered",
                "Direct probes answered: one RTT sample each",
                m -> m.rtt.values().stream().mapToLong(Timer::count).sum());
        for (Liveness state : Liveness.values()) {
            Gauge.builder("pulse.nodes", this, m -> m.snapshot().byState().get(state))
                    .description("Watched nodes by state")
                    .tag("state", state.name())
                    .strongReference(true)
                    .register(registry);
        }
        for (NodeStatus.ProbeKind kind : NodeStatus.ProbeKind.values()) {
            rtt.put(
                    kind,
                    Timer.builder("pulse.rtt")
                            .description("Round-trip time of answered direct probes")
                            .tag("kind", kind.name())
                            .serviceLevelObjectives(RTT_BUCKETS.toArray(Duration[]::new))
                            .register(registry));
        }
        for (RejectReason reason : RejectReason.values()) {
            FunctionCounter.builder(
                            "pulse.datagrams.rejected",
                            this,
                            m -> m.engine.rejects().count(reason))
                    .description("Datagrams dropped as malformed, unauthenticated or replayed")
                    .tag("reason", reason.name())
                    .register(registry);
        }
        datagramMeters();
        Gauge.builder("pulse.local.health.multiplier", this, m -> m.engine.localHealthMultiplier())
                .description("Factor on probe timeouts and intervals: 1 when healthy, more while indirect probes "
                        + "go unanswered")
                .strongReference(true)
                .register(registry);
        clusterMeters();
        counter("pulse.listener.errors", "Exceptions thrown by engine listeners", m -> m.engine.listenerErrors());
        counter("pulse.pipeline.errors", "Exceptions at the end of the UDP pipeline", m -> m.engine.pipelineErrors());
        // The listener holds this object, so the engine keeps it (and its weakly held meters) alive.
        engine.onRttSample(this::record);
    }

    /** This build's version, and the JVM's and the process's meters. */
    private void processMeters() {
        Gauge.builder("pulse.build.info", () -> 1)
                .description("Always 1; the version of Pulse in its label")
                .tag("version", BuildInfo.current().version())
                .strongReference(true)
                .register(registry);
        new JvmMemoryMetrics().bindTo(registry);
        gc.bindTo(registry);
        new JvmThreadMetrics().bindTo(registry);
        new ClassLoaderMetrics().bindTo(registry);
        new ProcessorMetrics().bindTo(registry);
        new UptimeMetrics().bindTo(registry);
    }

    /** Stops listening to GC notifications; by {@link ApiServer#close()}. */
    void close() {
        gc.close();
    }

    /** What arrived, what was answered, and what was set aside: the meters to alert on under attack. */
    private void datagramMeters() {
        counter(
                "pulse.datagrams.received",
                "Datagrams that reached the UDP socket, rejected ones included",
                m -> m.engine.datagramsReceived());
        counter(
                "pulse.pings.answered",
                "PINGs answered with an ACK",
                m -> m.snapshot().counters().pingsAnswered());
        counter(
                "pulse.answers.limited",
                "PINGs and PING_REQs left unanswered by the per-source and total rate limits",
                m -> m.snapshot().counters().answersLimited());
        counter(
                "pulse.relays.started",
                "PING_REQs relayed",
                m -> m.snapshot().counters().relaysStarted());
        counter(
                "pulse.relays.dropped",
                "PING_REQs dropped: relay table or the requester's share of it full",
                m -> m.snapshot().counters().relaysDropped());
        counter(
                "pulse.relays.refused",
                "PING_REQs refused: a stranger outside relay.from, or a forbidden target",
                m -> m.snapshot().counters().relaysRefused());
        counter(
                "pulse.acks.unmatched",
                "ACKs that answer nothing this node sent (late, or forged)",
                m -> m.snapshot().counters().unmatchedAcks());
        counter(
                "pulse.acks.misaddressed",
                "ACKs with a probe's sequence from another address than it went to",
                m -> m.snapshot().counters().misaddressedAcks());
        counter(
                "pulse.acks.implausible",
                "ACKs carrying an incarnation far beyond the wall clock, not believed",
                m -> m.snapshot().counters().implausibleAcks());
        Gauge.builder("pulse.security.authenticated", this, m -> m.engine.authenticating() ? 1 : 0)
                .description("1 when datagrams are signed and checked with keys, 0 when this node believes any "
                        + "datagram (security.auth.mode: none, or no keys on loopback)")
                .strongReference(true)
                .register(registry);
        if (engine.authenticating()) {
            counter(
                    "pulse.datagrams.authenticated",
                    "Signed datagrams whose MAC, time and freshness checked out",
                    m -> m.engine.authentication().authenticated());
            counter(
                    "pulse.datagrams.unauthenticated.accepted",
                    "Unsigned datagrams let through while authentication is permissive (rollout)",
                    m -> m.engine.authentication().unauthenticatedAccepted());
        }
    }

    /** The API's own connection meters; by {@link ApiServer#start}, once the engine's are bound. */
    synchronized void bindApi(ConnectionGuard guard, BearerToken token) {
        Gauge.builder("pulse.http.connections", guard, ConnectionGuard::open)
                .description("HTTP API connections open now")
                .strongReference(true)
                .register(registry);
        FunctionCounter.builder("pulse.http.connections.rejected", guard, ConnectionGuard::rejected)
                .description("HTTP API connections closed at once: http.max.connections were open")
                .register(registry);
        FunctionCounter.builder("pulse.http.connections.source.rejected", guard, ConnectionGuard::sourceRejected)
                .description("HTTP API connections closed at once: their source address had "
                        + "http.max.connections.per.source open")
                .register(registry);
        FunctionCounter.builder("pulse.http.connections.idle.closed", guard, ConnectionGuard::idleClosed)
                .description("HTTP API connections closed after http.idle.timeout without a request")
                .register(registry);
        FunctionCounter.builder("pulse.http.requests.slow.closed", guard, ConnectionGuard::slowClosed)
                .description("HTTP API connections closed because a request took longer than http.request.timeout "
                        + "to arrive")
                .register(registry);
        if (token != null) {
            FunctionCounter.builder("pulse.http.requests.unauthorized", token, BearerToken::refused)
                    .description("HTTP API requests refused with 401: no token or a wrong one")
                    .register(registry);
        }
    }

    /** Cluster mode's meters; 0 outside it (and pulse_cluster_joined 0). */
    private void clusterMeters() {
        for (Liveness state : List.of(Liveness.ALIVE, Liveness.FLAPPING, Liveness.DEAD, Liveness.LEFT)) {
            Gauge.builder(
                            "pulse.cluster.members",
                            this,
                            m -> clusterValue(m, c -> switch (state) {
                                case ALIVE -> c.alive();
                                case FLAPPING -> c.flapping();
                                case DEAD -> c.dead();
                                default -> c.left();
                            }))
                    .description("Members of the agreed configuration (ALIVE, FLAPPING) and those it remembers "
                            + "away (DEAD, LEFT): the same at every member once a change is decided")
                    .tag("state", state.name())
                    .strongReference(true)
                    .register(registry);
        }
        Gauge.builder("pulse.cluster.enabled", this, m -> clusterValue(m, c -> 1))
                .description("1 in cluster mode, 0 outside it")
                .strongReference(true)
                .register(registry);
        Gauge.builder("pulse.cluster.joined", this, m -> clusterValue(m, c -> c.joined() ? 1 : 0))
                .description("1 while this member is in the agreed configuration")
                .strongReference(true)
                .register(registry);
        Gauge.builder("pulse.cluster.quorum", this, m -> clusterValue(m, c -> c.quorum() ? 1 : 0))
                .description("0 while a change has been undecided here for more than three consensus timeouts: "
                        + "this member's side has no majority and decides nothing")
                .strongReference(true)
                .register(registry);
        Gauge.builder(
                        "pulse.cluster.epoch",
                        this,
                        m -> clusterValue(m, c -> c.configuration().epoch()))
                .description("The epoch of the agreed configuration this member holds (one more per decided change)")
                .strongReference(true)
                .register(registry);
        counter(
                "pulse.cluster.decisions",
                "Configurations this member adopted (decided changes applied, or fetched)",
                m -> clusterValue(m, ClusterStats::decisions));
        counter(
                "pulse.cluster.proposals",
                "Ballots this member started as a coordinator",
                m -> clusterValue(m, ClusterStats::proposals));
        counter(
                "pulse.cluster.alerts.sent",
                "Alert datagrams sent to coordinators (reports, joins, leaves)",
                m -> clusterValue(m, ClusterStats::alertsSent));
        counter(
                "pulse.cluster.alerts.received",
                "Alert datagrams received as a coordinator",
                m -> clusterValue(m, ClusterStats::alertsReceived));
        counter(
                "pulse.cluster.configuration.fetches",
                "Times this member caught up with a newer configuration than its own",
                m -> clusterValue(m, ClusterStats::configFetches));
        counter(
                "pulse.cluster.published",
                "Changes whose events this member published as their publisher",
                m -> clusterValue(m, ClusterStats::published));
        counter(
                "pulse.cluster.published.as.backup",
                "Changes whose events this member published as the backup, their publisher silent",
                m -> clusterValue(m, ClusterStats::publishedAsBackup));
    }

    private static double clusterValue(PulseMetrics metrics, ToDoubleFunction<ClusterStats> value) {
        ClusterStats stats = metrics.snapshot().cluster();
        return stats == null ? 0 : value.applyAsDouble(stats);
    }

    private void counter(String name, String description, ToDoubleFunction<PulseMetrics> value) {
        FunctionCounter.builder(name, this, value).description(description).register(registry);
    }

    private void record(RttSample sample) {
        rtt.get(sample.kind()).record(sample.rtt());
    }

    /** The Prometheus text page, from one snapshot of the engine and of the publisher. Waits for the engine's loop. */
    synchronized String scrape() {
        current = takeSnapshot();
        try {
            showPublisherMeters(current.publisher() != null);
            showTargetMeters(current.external());
            return registry.scrape();
        } finally {
            current = null;
        }
    }

    /** The scrape's snapshot; a fresh one (per meter) when the registry is scraped not through {@link #scrape()}. */
    private Snapshot snapshot() {
        Snapshot snapshot = current;
        return snapshot != null ? snapshot : takeSnapshot();
    }

    private Snapshot takeSnapshot() {
        List<NodeStatus> nodes = engine.statusAll();
        probes.update(nodes);
        Map<Liveness, Integer> byState = new EnumMap<>(Liveness.class);
        for (Liveness state : Liveness.values()) {
            byState.put(state, 0);
        }
        List<NodeStatus> external = new ArrayList<>();
        for (NodeStatus node : nodes) {
            byState.merge(node.state(), 1, Integer::sum);
            if (node.kind() == NodeStatus.ProbeKind.EXTERNAL) {
                external.add(node);
            }
        }
        return new Snapshot(
                byState,
                probes.sent(),
                probes.lost(),
                external,
                publisherStats.get(),
                engine.clustered() ? engine.clusterStats() : null,
                engine.counters());
    }

    /** One row per HTTP or TCP target now; a removed target's rows go. */
    private void showTargetMeters(List<NodeStatus> external) {
        List<MultiGauge.Row<?>> up = new ArrayList<>(external.size());
        List<MultiGauge.Row<?>> rtts = new ArrayList<>(external.size());
        for (NodeStatus node : external) {
            Tags tags = Tags.of("node", node.node().toString());
            up.add(MultiGauge.Row.of(tags, node.state() == Liveness.ALIVE ? 1 : 0));
            if (node.srtt() != null) {
                rtts.add(MultiGauge.Row.of(tags, node.srtt().toNanos() / 1e9));
            }
        }
        targetUp.register(up, true);
        targetRtt.register(rtts, true);
    }

    private void showPublisherMeters(boolean shown) {
        if (!shown) {
            publisherMeters.forEach(registry::remove);
            publisherMeters.clear();
            return;
        }
        if (!publisherMeters.isEmpty()) {
            return;
        }
        publisherGauge(
                "pulse.outbox.pending.events",
                null,
                "Events in the outbox not yet acknowledged by Kafka",
                PublisherStats::pendingEvents);
        publisherGauge(
                "pulse.outbox.pending.bytes",
                "bytes",
                "Size of those events in the outbox",
                PublisherStats::pendingBytes);
        publisherGauge(
                "pulse.outbox.max.bytes",
                "bytes",
                "The outbox bound, pulse.outbox.max.bytes",
                PublisherStats::maxBytes);
        publisherCounter("pulse.events.published", "Events journaled to the outbox", PublisherStats::published);
        publisherCounter(
                "pulse.events.acknowledged",
                "Events acknowledged by Kafka (a resent one may count twice)",
                PublisherStats::acknowledged);
        publisherCounter(
                "pulse.kafka.send.errors",
                "Send attempts that failed (they are sent again)",
                PublisherStats::failedSends);
        publisherCounter(
                "pulse.events.dropped", "Events refused: outbox full or not writable", PublisherStats::dropped);
        publisherCounter(
                "pulse.events.poisoned",
                "Journaled events Kafka refused for good, or unreadable",
                PublisherStats::poisoned);
        publisherCounter(
                "pulse.outbox.corruptions",
                "Damaged outboxes moved aside at start (their events not sent)",
                PublisherStats::outboxCorruptions);
        publisherCounter(
                "pulse.outbox.lost.events",
                "Events missing from a damaged outbox log at start (upper bound)",
                PublisherStats::lostEvents);
        publisherCounter(
                "pulse.heartbeats.sent",
                "Heartbeats Kafka acknowledged on <prefix>.heartbeats",
                PublisherStats::heartbeatsSent);
        publisherCounter(
                "pulse.heartbeats.dropped",
                "Heartbeats not sent: Kafka had not taken the previous one, or refused it",
                PublisherStats::heartbeatsDropped);
    }

    private void publisherGauge(String name, String unit, String description, ToDoubleFunction<PublisherStats> value) {
        publisherMeters.add(Gauge.builder(name, this, m -> publisherValue(m, value))
                .baseUnit(unit)
                .description(description)
                .strongReference(true)
                .register(registry));
    }

    private void publisherCounter(String name, String description, ToDoubleFunction<PublisherStats> value) {
        publisherMeters.add(FunctionCounter.builder(name, this, m -> publisherValue(m, value))
                .description(description)
                .register(registry));
    }

    private static double publisherValue(PulseMetrics metrics, ToDoubleFunction<PublisherStats> value) {
        PublisherStats stats = metrics.snapshot().publisher();
        return stats == null ? Double.NaN : value.applyAsDouble(stats);
    }
}
