package io.pulse.transport;

import io.pulse.core.Clock;
import io.pulse.core.ClusterConfig;
import io.pulse.core.ClusterStats;
import io.pulse.core.ConfigRef;
import io.pulse.core.Configurations;
import io.pulse.core.Labels;
import io.pulse.core.MemberStatus;
import io.pulse.core.NodeFailure;
import io.pulse.core.NodeId;
import io.pulse.core.NodeStatus;
import io.pulse.core.PulseCore;
import io.pulse.core.RelayPolicy;
import io.pulse.core.RttSample;
import io.pulse.core.TargetOptions;
import io.pulse.core.Transition;
import io.pulse.protocol.DatagramAuth;
import io.pulse.protocol.RejectCounters;
import io.pulse.transport.probe.ExternalProber;
import io.pulse.transport.probe.HttpProbeSpec;
import io.pulse.transport.probe.ProbeCounters;
import io.pulse.transport.probe.TcpProbeSpec;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;

/**
 * The running pulse engine: a UDP socket that answers (and relays) probes at its bound address,
 * and, in static mode, a second one on an OS-chosen port that its own PINGs and PING_REQs leave
 * from, so that their answers never queue behind a flood aimed at the first; both driven by a
 * {@link PulseCore} on one Netty event loop. No thread per node. Services that do not speak Pulse
 * are probed over HTTP(S) or TCP on the same loop, through the same state machine.
 *
 * <pre>{@code
 * try (PulseEngine engine = PulseEngine.builder()
 *         .bind(new InetSocketAddress("0.0.0.0", 7946))
 *         .start()) {
 *     engine.onFailure(f -> System.out.println(f.node() + " is dead"));
 *     engine.addTarget("10.0.0.7:7946");
 *     engine.addHttpTarget(HttpProbeSpec.of("http://10.0.0.8:8080/health"), TargetOptions.defaults());
 *     engine.addTcpTarget(TcpProbeSpec.of("10.0.0.9:5432"), TargetOptions.defaults());
 *     ...
 * }
 * }</pre>
 *
 * <p>Every method is thread-safe. Listeners run on the event loop: they must not block.
 *
 * <p>This class is the API; the parts behind it each have a class of their own: the builder
 * ({@link PulseEngineBuilder}), the sockets and their pipelines ({@code EngineSockets}), the
 * hand-off of every call to the event loop and the core's timers ({@code EngineLoop}), what the
 * core asks of the engine ({@code EngineOutput}), the listeners of each kind of event
 * ({@code Listeners}) and the look-ups of cluster seeds given by name ({@code SeedResolver}).
 */
public final class PulseEngine implements AutoCloseable {
    private static final System.Logger LOG = System.getLogger(PulseEngine.class.getName());

    // Parts
    private final PulseCore core;
    /** Signs and checks every datagram; null without a keyring. */
    private final DatagramAuth auth;

    private final EngineLoop handOff;
    private final EngineOutput output;

    private final AtomicLong listenerErrors = new AtomicLong();

    // Disposables, set by start
    private EngineSockets sockets;
    /** HTTP and TCP probes, on the engine's loop. */
    private ExternalProber external;
    /** Targets given by name, looked up again. */
    private TargetLookups lookups;

    private PulseEngine(EngineSettings settings) {
        Clock clock = settings.clock();
        this.output = new EngineOutput(LOG, clock, listenerErrors);
        long incarnation = settings.incarnation() > 0 ? settings.incarnation() : PulseCore.defaultIncarnation(clock);
        this.core = new PulseCore(settings.config(), clock, incarnation, output);
        List<Cidr> strangers = settings.relayFrom();
        core.relayPolicy(
                from -> strangers.stream().anyMatch(cidr -> cidr.contains(from.getAddress())),
                RelayPolicy.targets(settings.bind().getAddress().isLoopbackAddress()));
        core.answerLimits(settings.answersPerSource(), settings.answersInAll());
        this.auth = settings.keyring() == null
                ? null
                : DatagramAuth.create(
                        settings.keyring(), settings.authMode(), Addresses.identity(settings.bind()), incarnation);
        core.signs(auth != null);
        this.handOff = new EngineLoop(core, clock, EngineLoop.tickNanos(settings.config()), settings.group());
    }

    public static PulseEngineBuilder builder() {
        return new PulseEngineBuilder();
    }

    /** Binds and starts as {@code settings} say; nothing is left running if binding fails. */
    static PulseEngine start(EngineSettings settings) {
        PulseEngine engine = new PulseEngine(settings);
        try {
            engine.sockets =
                    EngineSockets.bind(settings, engine.handOff.group(), engine.auth, engine.core, engine.handOff);
        } catch (RuntimeException e) {
            engine.handOff.shutdown();
            throw e;
        }
        engine.handOff.attach(engine.sockets);
        InetSocketAddress bound = engine.sockets.localAddress();
        if (engine.auth != null && !bound.getAddress().isAnyLocalAddress()) {
            engine.auth.identity(bound); // bound to a specific address: its peers know it by it
        }
        engine.external = new ExternalProber(
                engine.sockets.loop(),
                Transports.socketChannelFor(engine.sockets.channel()),
                settings.clock(),
                engine.handOff::onProbeResult);
        engine.output.attach(engine.core, engine.sockets, engine.external, engine.handOff);
        engine.lookups = new TargetLookups(
                engine.handOff, engine.core, engine.external, engine.sockets, settings.targetLookupInterval());
        engine.handOff.run(() -> {
            if (settings.responding()) {
                engine.core.startResponding();
            }
            if (settings.probing()) {
                engine.core.startProbing();
            }
        });
        return engine;
    }

    /** The bound UDP address (with the port the OS chose if port 0 was asked for). */
    public InetSocketAddress localAddress() {
        return sockets.localAddress();
    }

    /** The node id peers use for this engine: its bound address as {@code host:port}. */
    public NodeId localId() {
        InetSocketAddress local = localAddress();
        return NodeId.of(local.getAddress().getHostAddress(), local.getPort());
    }

    /** Watches {@code host:port} with the default options. A name is resolved now, and looked up again later. */
    public NodeId addTarget(String hostPort) {
        return addTarget(NodeId.parse(hostPort), TargetOptions.defaults());
    }

    public NodeId addTarget(String hostPort, TargetOptions options) {
        return addTarget(NodeId.parse(hostPort), options);
    }

    /**
     * Watches a node. Its host is resolved now; a name is looked up again every
     * {@link PulseEngineBuilder#targetLookupInterval}, and the node probed where it resolves.
     *
     * @throws IllegalArgumentException if the host cannot be resolved
     * @throws io.pulse.core.DuplicateNodeException if the id or its address is watched already
     */
    public NodeId addTarget(NodeId id, TargetOptions options) {
        InetSocketAddress address = Addresses.resolve(id);
        handOff.run(() -> core.addTarget(id, address, options));
        lookups.udp(id, address);
        return id;
    }

    /**
     * Watches a service over HTTP(S), under the host:port of its first endpoint. Host names are
     * resolved now, and looked up again as {@link #addTarget(NodeId, TargetOptions)} says.
     *
     * @throws IllegalArgumentException if a host cannot be resolved or the trusted certificates cannot be read
     * @throws io.pulse.core.DuplicateNodeException if the id is watched already
     */
    public NodeId addHttpTarget(HttpProbeSpec spec, TargetOptions options) {
        return addHttpTarget(spec.defaultNodeId(), spec, options);
    }

    /** {@link #addHttpTarget(HttpProbeSpec, TargetOptions)} under the node id {@code id}. */
    public NodeId addHttpTarget(NodeId id, HttpProbeSpec spec, TargetOptions options) {
        ExternalProber.Registration registration = external.prepare(id, spec);
        NodeId added = addExternal(registration, options);
        lookups.http(id, spec, registration.addresses());
        return added;
    }

    /**
     * Watches a service over TCP, under its host:port. The host is resolved now, and looked up
     * again as {@link #addTarget(NodeId, TargetOptions)} says.
     *
     * @throws IllegalArgumentException if the host cannot be resolved
     * @throws io.pulse.core.DuplicateNodeException if the id is watched already
     */
    public NodeId addTcpTarget(TcpProbeSpec spec, TargetOptions options) {
        return addTcpTarget(spec.defaultNodeId(), spec, options);
    }

    /** {@link #addTcpTarget(TcpProbeSpec, TargetOptions)} under the node id {@code id}. */
    public NodeId addTcpTarget(NodeId id, TcpProbeSpec spec, TargetOptions options) {
        ExternalProber.Registration registration = external.prepare(id, spec);
        NodeId added = addExternal(registration, options);
        lookups.tcp(id, spec, registration.addresses());
        return added;
    }

    private NodeId addExternal(ExternalProber.Registration registration, TargetOptions options) {
        Objects.requireNonNull(options, "options");
        handOff.run(() -> {
            core.addExternalTarget(registration.id(), options);
            external.add(registration);
        });
        return registration.id();
    }

    // ---- cluster mode ----

    /**
     * Makes this engine a cluster member (see {@link ClusterConfig}): it joins through
     * {@code seeds} (host:port of any members; none founds a new cluster), observes its subjects,
     * takes part in agreeing on every change of the membership, and raises the status and failure
     * events of the changes it publishes (or backs up, when their publisher does not confirm them),
     * so that each change is published once in the whole cluster. Join attempts repeat every
     * {@link ClusterConfig#joinRetryInterval()} until it is in a configuration
     * ({@link #clusterStats()}{@code .joined()}). A seed whose host name does not resolve
     * yet (its container is not up, say) is tried again every 5 s until it does, off the event
     * loop; it never makes this member found a cluster of its own.
     *
     * @param advertise the address other members reach this one at; null: the bound address, or
     *                  this host's address with the bound port when bound to a wildcard address
     *
     * @throws IllegalArgumentException if a seed is not host:port, or {@code advertise} does not resolve
     * @throws IllegalStateException if cluster mode was started already
     */
    public void startCluster(ClusterConfig config, InetSocketAddress advertise, List<String> seeds) {
        startCluster(config, advertise, seeds, Labels.NONE);
    }

    /**
     * {@link #startCluster(ClusterConfig, InetSocketAddress, List)} with this member's {@code labels}
     * (service, namespace, zone, ...), which every configuration holding it carries and its events name.
     */
    public void startCluster(ClusterConfig config, InetSocketAddress advertise, List<String> seeds, Labels labels) {
        Objects.requireNonNull(config, "config");
        Objects.requireNonNull(labels, "labels");
        InetSocketAddress member = Addresses.advertised(advertise, localAddress());
        List<NodeId> seedIds = seeds.stream().map(NodeId::parse).toList();
        SeedResolver.Split split = SeedResolver.split(seedIds);
        if (auth != null) {
            auth.identity(member); // its peers know it by its member address from now on
        }
        handOff.run(() -> core.startCluster(
                config, member, labels, split.resolved(), !seedIds.isEmpty(), null, new Configurations()));
        new SeedResolver(handOff, core, sockets).lookUpWhileJoining(seedIds, split.unresolved());
    }

    /**
     * Cluster mode: whether the owner of this engine says, with {@link #published(ConfigRef)}, when the
     * events of a change it raised are safely published (the sidecar: acknowledged by Kafka). Until
     * the publisher of a change confirms it, the change's backup stands ready to publish the same
     * events. Default false: events count as published once the listeners have them. Call it before
     * {@link #startCluster}.
     */
    public void confirmPublications(boolean manual) {
        handOff.run(() -> core.confirmPublications(manual));
    }

    /** The events of the change that made configuration {@code change} ({@link Transition#change()}) are published. */
    public void published(ConfigRef change) {
        Objects.requireNonNull(change, "change");
        handOff.run(() -> {
            if (core.clustered()) {
                core.published(change);
            }
        });
    }

    /**
     * A clean stop: asks the coordinators to remove this member and waits, at most {@code timeout},
     * until a configuration without it is decided. Peers then publish {@code ALIVE -> LEFT}, never a
     * failure. Probing stops; answering goes on until {@link #close()}.
     *
     * @return false if {@code timeout} passed first (the members may still decide it)
     */
    public boolean leave(Duration timeout) {
        handOff.run(core::leaveCluster);
        return handOff.await(core::leaveDisseminated, timeout);
    }

    /** True once {@link #startCluster} was called. */
    public boolean clustered() {
        return handOff.call(core::clustered);
    }

    /** Every member as this one sees it, itself included. @throws IllegalStateException if not in cluster mode */
    public List<MemberStatus> members() {
        return handOff.call(core::members);
    }

    /** @throws IllegalStateException if not in cluster mode */
    public ClusterStats clusterStats() {
        return handOff.call(core::clusterStats);
    }

    /** @throws io.pulse.core.UnknownNodeException if the node is not watched */
    public void remove(NodeId id) {
        handOff.run(() -> core.remove(id));
        lookups.forget(id);
    }

    public void removeAll() {
        handOff.run(() -> core.removeAll());
        lookups.forgetAll();
    }

    /** @throws io.pulse.core.UnknownNodeException if the node is not watched */
    public void resetStatistics(NodeId id) {
        handOff.run(() -> core.resetStatistics(id));
    }

    public void startProbing() {
        handOff.run(() -> core.startProbing());
    }

    public void stopProbing() {
        handOff.run(() -> core.stopProbing());
    }

    /** Answers PINGs and relays PING_REQs again. */
    public void startResponding() {
        handOff.run(() -> core.startResponding());
    }

    /** Goes silent to peers: no ACK, no relay. Probing goes on. */
    public void stopResponding() {
        handOff.run(() -> core.stopResponding());
    }

    /** @throws io.pulse.core.UnknownNodeException if the node is not watched */
    public NodeStatus status(NodeId id) {
        return handOff.call(() -> core.status(id));
    }

    public List<NodeStatus> statusAll() {
        return handOff.call(core::statusAll);
    }

    public PulseCore.Counters counters() {
        return handOff.call(core::counters);
    }

    /** 1 when healthy; more while indirect probes go unanswered (see {@link PulseCore#localHealthMultiplier()}). */
    public int localHealthMultiplier() {
        return handOff.call(core::localHealthMultiplier);
    }

    /** What the HTTP and TCP probes did: attempts, outcomes, health bodies, connections. */
    public ProbeCounters probeCounters() {
        return handOff.call(external::counters);
    }

    /** Datagrams dropped as malformed, unauthenticated or replayed, by reason. */
    public RejectCounters rejects() {
        return sockets.rejects();
    }

    /** Datagrams that reached the socket: those decoded and those {@link #rejects() rejected}. */
    public long datagramsReceived() {
        return sockets.datagramsReceived();
    }

    /** Whether this engine signs and checks datagrams (built with {@link PulseEngineBuilder#keyring}). */
    public boolean authenticating() {
        return auth != null;
    }

    /**
     * The keyring and counters of authentication.
     *
     * @throws IllegalStateException if the engine was built without a keyring
     */
    public DatagramAuth authentication() {
        if (auth == null) {
            throw new IllegalStateException("built without a keyring: authentication is off");
        }
        return auth;
    }

    /** Exceptions that reached the end of the UDP pipeline (socket errors, a failed send); the channel stays open. */
    public long pipelineErrors() {
        return sockets.pipelineErrors();
    }

    /**
     * Exceptions thrown by status, failure, removal or RTT listeners: ignored, and logged at most
     * once every 10 s per kind of listener, with how many were not.
     */
    public long listenerErrors() {
        return listenerErrors.get();
    }

    public long incarnation() {
        return core.incarnation();
    }

    /**
     * A registered listener; {@link #close()} removes it (once; closing again does nothing). A
     * listener removed while an event is being delivered may still get that one event.
     */
    @FunctionalInterface
    public interface Subscription extends AutoCloseable {
        @Override
        void close();
    }

    /** Every state change of every target. */
    public Subscription onStatusChange(Consumer<Transition> listener) {
        return output.statusListeners.subscribe(listener);
    }

    /** Every target declared DEAD. */
    public Subscription onFailure(Consumer<NodeFailure> listener) {
        return output.failureListeners.subscribe(listener);
    }

    /** Every target removed (by {@link #remove} or {@link #removeAll}). */
    public Subscription onRemoved(Consumer<NodeId> listener) {
        return output.removalListeners.subscribe(listener);
    }

    /**
     * Every answered direct probe's round-trip time, as it feeds the node's smoothed RTT: one call
     * per ACK (UDP) or successful HTTP/TCP probe, so the listener must be cheap (e.g. a histogram).
     */
    public Subscription onRttSample(Consumer<RttSample> listener) {
        return output.rttListeners.subscribe(listener);
    }

    /**
     * Cluster mode: after the events of an agreed change this engine published (or backed up) were
     * delivered to the other listeners, the change's configuration; with {@link #confirmPublications},
     * call {@link #published(ConfigRef)} once they are safe.
     */
    public Subscription onChangeRaised(Consumer<ConfigRef> listener) {
        return output.changeListeners.subscribe(listener);
    }

    /** Stops probing and answering, closes the socket, and stops the event loop if this engine made it. */
    @Override
    public void close() {
        if (lookups != null) {
            lookups.close();
        }
        if (sockets != null && sockets.isOpen()) {
            handOff.run(() -> {
                core.stopProbing();
                core.stopResponding();
                external.close();
                handOff.stopTicking();
            });
            sockets.close();
        }
        handOff.shutdown();
    }
}
