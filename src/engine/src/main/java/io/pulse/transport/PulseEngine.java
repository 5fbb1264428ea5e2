package io.pulse.transport;

import io.netty.bootstrap.Bootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoop;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.FixedRecvByteBufAllocator;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.socket.DatagramChannel;
import io.netty.util.concurrent.ScheduledFuture;
import io.pulse.core.Clock;
import io.pulse.core.ClusterConfig;
import io.pulse.core.ClusterStats;
import io.pulse.core.DetectorConfig;
import io.pulse.core.MemberStatus;
import io.pulse.core.Message;
import io.pulse.core.NodeFailure;
import io.pulse.core.NodeId;
import io.pulse.core.NodeStatus;
import io.pulse.core.ProbeResult;
import io.pulse.core.PulseCore;
import io.pulse.core.RelayPolicy;
import io.pulse.core.RttSample;
import io.pulse.core.TargetOptions;
import io.pulse.core.Transition;
import io.pulse.core.WarningLimiter;
import io.pulse.protocol.DatagramAuth;
import io.pulse.protocol.DatagramCodec;
import io.pulse.protocol.Envelope;
import io.pulse.protocol.Keyring;
import io.pulse.protocol.RejectCounters;
import io.pulse.transport.probe.ExternalProber;
import io.pulse.transport.probe.HttpProbeSpec;
import io.pulse.transport.probe.ProbeCounters;
import io.pulse.transport.probe.TcpProbeSpec;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
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
 */
public final class PulseEngine implements AutoCloseable {
    /**
     * The coarsest tick: timers are coalesced to it, so thousands of targets cost at most 200
     * wake-ups a second and their PINGs leave in batches (one {@code sendmmsg} each). At 10,000
     * targets, 5 ms instead of 1 ms took the monitor from 30.4-38.9 % to 27.0-27.9 % of a core
     * (UdpLoadHarness, 3 runs each), and the responders' JVM down with it: fewer, larger bursts
     * wake both sides less often. 10 ms gave no further gain (monitor/responders 0.87-0.88 against
     * 0.85-0.90) and doubled the harness's SRTT p50, as bursts of 100 PINGs queue at the responder.
     */
    static final long MAX_TICK_NANOS = TimeUnit.MILLISECONDS.toNanos(5);

    static final long MIN_TICK_NANOS = TimeUnit.MILLISECONDS.toNanos(1);
    /** Big enough that an oversize datagram arrives whole enough to be counted as oversize. */
    static final int RECEIVE_BUFFER_BYTES = 2048;
    /**
     * Datagrams read per wake-up before the loop turns to its other work: Netty's default for
     * datagram channels, which a {@link FixedRecvByteBufAllocator} of its own would otherwise
     * lower to 1. With 1, every ACK cost a loop iteration of its own (a task, an {@code epoll_wait},
     * a flush and a look at the timers); with 16, a burst of ACKs costs one. At 10,000 targets it
     * took the monitor from 0.95-0.98 to 0.91-0.93 of the responders' CPU (UdpLoadHarness, 3 runs each).
     */
    static final int DATAGRAMS_PER_READ = 16;
    /** How often a cluster seed whose host name did not resolve is looked up again. */
    static final Duration SEED_RESOLVE_RETRY = Duration.ofSeconds(5);

    private static final System.Logger LOG = System.getLogger(PulseEngine.class.getName());

    private final Clock clock;
    private final EventLoopGroup group;
    private final boolean ownsGroup;
    private final RejectCounters rejects = new RejectCounters();
    /** Signs and checks every datagram; null without a keyring. */
    private final DatagramAuth auth;

    private final List<Consumer<Transition>> statusListeners = new CopyOnWriteArrayList<>();
    private final List<Consumer<NodeFailure>> failureListeners = new CopyOnWriteArrayList<>();
    private final List<Consumer<NodeId>> removalListeners = new CopyOnWriteArrayList<>();
    private final List<Consumer<RttSample>> rttListeners = new CopyOnWriteArrayList<>();
    private final AtomicLong pipelineErrors = new AtomicLong();
    private final AtomicLong decoded = new AtomicLong();
    private final AtomicLong listenerErrors = new AtomicLong();
    /** One per kind of listener, so that an RTT listener failing on every ACK hides no other failure. On the loop. */
    private final WarningLimiter statusWarnings = new WarningLimiter(WarningLimiter.DEFAULT_INTERVAL_NANOS);

    private final WarningLimiter failureWarnings = new WarningLimiter(WarningLimiter.DEFAULT_INTERVAL_NANOS);
    private final WarningLimiter removalWarnings = new WarningLimiter(WarningLimiter.DEFAULT_INTERVAL_NANOS);
    private final WarningLimiter rttWarnings = new WarningLimiter(WarningLimiter.DEFAULT_INTERVAL_NANOS);
    private final PulseCore core;
    /** Timers fire at most this late: a tenth of the shortest probe timeout, within 1..5 ms. */
    private final long tickNanos;

    private Channel channel;
    /**
     * The socket this engine's own PINGs and PING_REQs leave from, so that their answers arrive
     * where no stranger aims: a flood at the engine's port fills that socket's buffer, never this
     * one's. Static mode only (a member's probes go from its advertised address, which members
     * know it by), and only for an engine built probing; null otherwise.
     */
    private Channel probeChannel;

    private EventLoop loop;
    /** HTTP and TCP probes, on {@link #loop}; created with it. */
    private ExternalProber external;

    private ScheduledFuture<?> tickTimer;
    private long tickDeadlineNanos = Long.MAX_VALUE;
    private boolean flushPending;

    private PulseEngine(Builder builder) {
        this.clock = builder.clock;
        this.ownsGroup = builder.group == null;
        this.group = ownsGroup ? Transports.newGroup(1, "pulse-udp") : builder.group;
        long incarnation = builder.incarnation > 0 ? builder.incarnation : PulseCore.defaultIncarnation(clock);
        this.core = new PulseCore(builder.config, clock, incarnation, new CoreOutput());
        List<Cidr> strangers = builder.relayFrom;
        core.relayPolicy(
                from -> strangers.stream().anyMatch(cidr -> cidr.contains(from.getAddress())),
                RelayPolicy.targets(builder.bind.getAddress().isLoopbackAddress()));
        core.answerLimits(builder.answersPerSource, builder.answersInAll);
        this.auth = builder.keyring == null
                ? null
                : DatagramAuth.create(builder.keyring, builder.authMode, clock, builder.replayWindow);
        this.tickNanos = tickNanos(builder.config);
    }

    static long tickNanos(DetectorConfig config) {
        return Math.max(
                MIN_TICK_NANOS,
                Math.min(MAX_TICK_NANOS, config.probeTimeoutMin().toNanos() / 10));
    }

    public static Builder builder() {
        return new Builder();
    }

    private PulseEngine bind(Builder builder) {
        Bootstrap bootstrap = datagramBootstrap(builder).group(group);
        try {
            channel = bootstrap.bind(builder.bind).syncUninterruptibly().channel();
        } catch (RuntimeException e) {
            shutdownGroup();
            throw new IllegalStateException("cannot bind UDP " + builder.bind + ": " + e.getMessage(), e);
        }
        loop = channel.eventLoop();
        if (builder.probing) {
            try {
                probeChannel = datagramBootstrap(builder)
                        .group(loop) // the core is confined to this one loop
                        .bind(new InetSocketAddress(builder.bind.getAddress(), 0))
                        .syncUninterruptibly()
                        .channel();
            } catch (RuntimeException e) {
                channel.close().syncUninterruptibly();
                shutdownGroup();
                throw new IllegalStateException(
                        "cannot bind the UDP probe socket on " + builder.bind.getAddress() + ": " + e.getMessage(), e);
            }
        }
        external = new ExternalProber(loop, Transports.socketChannelFor(channel), clock, this::onProbeResult);
        run(() -> {
            if (builder.responding) {
                core.startResponding();
            }
            if (builder.probing) {
                core.startProbing();
            }
        });
        return this;
    }

    /** A socket of this engine: its options, and the filter, codec and handler in its pipeline. */
    private Bootstrap datagramBootstrap(Builder builder) {
        return new Bootstrap()
                .channel(Transports.datagramChannel())
                .option(ChannelOption.SO_RCVBUF, builder.socketBufferBytes)
                .option(ChannelOption.SO_SNDBUF, builder.socketBufferBytes)
                .option(
                        ChannelOption.RCVBUF_ALLOCATOR,
                        new FixedRecvByteBufAllocator(RECEIVE_BUFFER_BYTES).maxMessagesPerRead(DATAGRAMS_PER_READ))
                .handler(new ChannelInitializer<DatagramChannel>() {
                    @Override
                    protected void initChannel(DatagramChannel ch) {
                        if (builder.filter != null) {
                            ch.pipeline().addLast(new DatagramFilterHandler(builder.filter));
                        }
                        ch.pipeline().addLast(new DatagramCodec(rejects, auth), new InboundHandler());
                    }
                });
    }

    /** The bound UDP address (with the port the OS chose if port 0 was asked for). */
    public InetSocketAddress localAddress() {
        return (InetSocketAddress) channel.localAddress();
    }

    /** The node id peers use for this engine: its bound address as {@code host:port}. */
    public NodeId localId() {
        InetSocketAddress local = localAddress();
        return NodeId.of(local.getAddress().getHostAddress(), local.getPort());
    }

    /** Watches {@code host:port} with the default options. The name is resolved now, once. */
    public NodeId addTarget(String hostPort) {
        return addTarget(NodeId.parse(hostPort), TargetOptions.defaults());
    }

    public NodeId addTarget(String hostPort, TargetOptions options) {
        return addTarget(NodeId.parse(hostPort), options);
    }

    /**
     * Watches a node. Its host is resolved now (a DNS name once, at add time).
     *
     * @throws IllegalArgumentException if the host cannot be resolved
     * @throws io.pulse.core.DuplicateNodeException if the id or its address is watched already
     */
    public NodeId addTarget(NodeId id, TargetOptions options) {
        InetSocketAddress address = resolve(id);
        run(() -> core.addTarget(id, address, options));
        return id;
    }

    /**
     * Watches a service over HTTP(S), under the host:port of its first endpoint. Host names are
     * resolved now, once.
     *
     * @throws IllegalArgumentException if a host cannot be resolved or the trusted certificates cannot be read
     * @throws io.pulse.core.DuplicateNodeException if the id is watched already
     */
    public NodeId addHttpTarget(HttpProbeSpec spec, TargetOptions options) {
        return addHttpTarget(spec.defaultNodeId(), spec, options);
    }

    /** {@link #addHttpTarget(HttpProbeSpec, TargetOptions)} under the node id {@code id}. */
    public NodeId addHttpTarget(NodeId id, HttpProbeSpec spec, TargetOptions options) {
        return addExternal(external.prepare(id, spec), options);
    }

    /**
     * Watches a service over TCP, under its host:port. The host is resolved now, once.
     *
     * @throws IllegalArgumentException if the host cannot be resolved
     * @throws io.pulse.core.DuplicateNodeException if the id is watched already
     */
    public NodeId addTcpTarget(TcpProbeSpec spec, TargetOptions options) {
        return addTcpTarget(spec.defaultNodeId(), spec, options);
    }

    /** {@link #addTcpTarget(TcpProbeSpec, TargetOptions)} under the node id {@code id}. */
    public NodeId addTcpTarget(NodeId id, TcpProbeSpec spec, TargetOptions options) {
        return addExternal(external.prepare(id, spec), options);
    }

    private NodeId addExternal(ExternalProber.Registration registration, TargetOptions options) {
        java.util.Objects.requireNonNull(options, "options");
        run(() -> {
            core.addExternalTarget(registration.id(), options);
            external.add(registration);
        });
        return registration.id();
    }

    // ---- cluster mode ----

    /**
     * Makes this engine a cluster member (see {@link ClusterConfig}): it joins through
     * {@code seeds} (host:port of any members; none founds a new cluster), watches its ring
     * predecessors, gossips, and raises status and failure events only for the members whose
     * reporter it is (and for its own join), so that each change is published once in the whole
     * cluster. Join attempts
     * repeat every {@link ClusterConfig#joinRetryInterval()} until a seed answers
     * ({@link #clusterStats()}{@code .joined()}).
     *
     * @param advertise the address other members reach this one at; null: the bound address, or
     *                  this host's address with the bound port when bound to a wildcard address
     * A seed whose host name does not resolve yet (its container is not up, say) is tried again
     * every {@link #SEED_RESOLVE_RETRY} until it does, off the event loop; it never makes this
     * member found a cluster of its own.
     *
     * @throws IllegalArgumentException if a seed is not host:port, or {@code advertise} does not resolve
     * @throws IllegalStateException if cluster mode was started already
     */
    public void startCluster(ClusterConfig config, InetSocketAddress advertise, List<String> seeds) {
        java.util.Objects.requireNonNull(config, "config");
        InetSocketAddress self = advertise != null ? advertise : defaultAdvertise();
        if (self.isUnresolved()) {
            self = resolve(NodeId.of(self.getHostString(), self.getPort()));
        }
        List<NodeId> seedIds = seeds.stream().map(NodeId::parse).toList();
        List<InetSocketAddress> resolved = new java.util.ArrayList<>();
        List<NodeId> unresolved = new java.util.ArrayList<>();
        for (NodeId seed : seedIds) {
            try {
                resolved.add(resolve(seed));
            } catch (IllegalArgumentException e) {
                unresolved.add(seed);
            }
        }
        InetSocketAddress member = self;
        run(() -> core.startCluster(config, member, resolved, !seedIds.isEmpty()));
        if (!unresolved.isEmpty()) {
            LOG.log(
                    System.Logger.Level.WARNING,
                    "cluster seed(s) " + unresolved + " do not resolve yet; trying again every "
                            + SEED_RESOLVE_RETRY.toSeconds() + " s");
            resolveLater(unresolved);
        }
    }

    /** Resolves {@code seeds} off the loop, every {@link #SEED_RESOLVE_RETRY}, handing each to the core as it resolves. */
    private void resolveLater(List<NodeId> seeds) {
        loop.schedule(
                () -> java.util.concurrent.CompletableFuture.runAsync(() -> {
                    List<InetSocketAddress> found = new java.util.ArrayList<>();
                    List<NodeId> still = new java.util.ArrayList<>();
                    for (NodeId seed : seeds) {
                        try {
                            found.add(resolve(seed));
                        } catch (IllegalArgumentException e) {
                            still.add(seed);
                        }
                    }
                    if (!channel.isOpen()) {
                        return;
                    }
                    if (!found.isEmpty()) {
                        run(() -> core.addSeeds(found));
                    }
                    if (!still.isEmpty()) {
                        resolveLater(still);
                    }
                }),
                SEED_RESOLVE_RETRY.toMillis(),
                TimeUnit.MILLISECONDS);
    }

    private InetSocketAddress defaultAdvertise() {
        InetSocketAddress local = localAddress();
        if (!local.getAddress().isAnyLocalAddress()) {
            return local;
        }
        try {
            return new InetSocketAddress(InetAddress.getLocalHost(), local.getPort());
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException(
                    "bound to " + local + " and this host's name does not resolve: " + "give the address to advertise",
                    e);
        }
    }

    /**
     * A clean stop: announces LEFT and waits, at most {@code timeout}, until the news reached as
     * many members as one gossip round does. Peers then publish {@code ALIVE -> LEFT}, never a
     * failure. Probing stops; answering goes on until {@link #close()}.
     *
     * @return false if {@code timeout} passed first (the news may still spread, by gossip already sent)
     */
    public boolean leave(Duration timeout) {
        run(core::leaveCluster);
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!call(core::leaveDisseminated)) {
            if (System.nanoTime() - deadline >= 0) {
                return false;
            }
            try {
                Thread.sleep(5);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return false;
            }
        }
        return true;
    }

    /** True once {@link #startCluster} was called. */
    public boolean clustered() {
        return call(core::clustered);
    }

    /** Every member as this one sees it, itself included. @throws IllegalStateException if not in cluster mode */
    public List<MemberStatus> members() {
        return call(core::members);
    }

    /** @throws IllegalStateException if not in cluster mode */
    public ClusterStats clusterStats() {
        return call(core::clusterStats);
    }

    /** @throws io.pulse.core.UnknownNodeException if the node is not watched */
    public void remove(NodeId id) {
        run(() -> core.remove(id));
    }

    public void removeAll() {
        run(() -> core.removeAll());
    }

    /** @throws io.pulse.core.UnknownNodeException if the node is not watched */
    public void resetStatistics(NodeId id) {
        run(() -> core.resetStatistics(id));
    }

    public void startProbing() {
        run(() -> core.startProbing());
    }

    public void stopProbing() {
        run(() -> core.stopProbing());
    }

    /** Answers PINGs and relays PING_REQs again. */
    public void startResponding() {
        run(() -> core.startResponding());
    }

    /** Goes silent to peers: no ACK, no relay. Probing goes on. */
    public void stopResponding() {
        run(() -> core.stopResponding());
    }

    /** @throws io.pulse.core.UnknownNodeException if the node is not watched */
    public NodeStatus status(NodeId id) {
        return call(() -> core.status(id));
    }

    public List<NodeStatus> statusAll() {
        return call(core::statusAll);
    }

    public PulseCore.Counters counters() {
        return call(core::counters);
    }

    /** 1 when healthy; more while indirect probes go unanswered (see {@link PulseCore#localHealthMultiplier()}). */
    public int localHealthMultiplier() {
        return call(core::localHealthMultiplier);
    }

    /** What the HTTP and TCP probes did: attempts, outcomes, health bodies, connections. */
    public ProbeCounters probeCounters() {
        return call(external::counters);
    }

    /** Datagrams dropped as malformed, unauthenticated or replayed, by reason. */
    public RejectCounters rejects() {
        return rejects;
    }

    /** Datagrams that reached the socket: those decoded and those {@link #rejects() rejected}. */
    public long datagramsReceived() {
        return decoded.get() + rejects.total();
    }

    /** Whether this engine signs and checks datagrams (built with {@link Builder#keyring}). */
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
        return pipelineErrors.get();
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
        return subscribe(statusListeners, listener);
    }

    /** Every target declared DEAD. */
    public Subscription onFailure(Consumer<NodeFailure> listener) {
        return subscribe(failureListeners, listener);
    }

    /** Every target removed (by {@link #remove} or {@link #removeAll}). */
    public Subscription onRemoved(Consumer<NodeId> listener) {
        return subscribe(removalListeners, listener);
    }

    /**
     * Every answered direct probe's round-trip time, as it feeds the node's smoothed RTT: one call
     * per ACK (UDP) or successful HTTP/TCP probe, so the listener must be cheap (e.g. a histogram).
     */
    public Subscription onRttSample(Consumer<RttSample> listener) {
        return subscribe(rttListeners, listener);
    }

    private static <T> Subscription subscribe(List<Consumer<T>> listeners, Consumer<T> listener) {
        java.util.Objects.requireNonNull(listener, "listener");
        // A wrapper of its own, so that closing removes this registration even if the same
        // listener was added twice.
        Consumer<T> registration = listener::accept;
        listeners.add(registration);
        return () -> listeners.remove(registration);
    }

    /** Stops probing and answering, closes the socket, and stops the event loop if this engine made it. */
    @Override
    public void close() {
        if (channel != null && channel.isOpen()) {
            run(() -> {
                core.stopProbing();
                core.stopResponding();
                external.close();
                if (tickTimer != null) {
                    tickTimer.cancel(false);
                }
            });
            channel.close().syncUninterruptibly();
            if (probeChannel != null) {
                probeChannel.close().syncUninterruptibly();
            }
        }
        shutdownGroup();
    }

    private void shutdownGroup() {
        if (ownsGroup) {
            group.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
        }
    }

    // ---- the loop around the core ----

    private static InetSocketAddress resolve(NodeId id) {
        try {
            return new InetSocketAddress(InetAddress.getByName(id.host()), id.port());
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException("cannot resolve host of node " + id + ": " + e.getMessage(), e);
        }
    }

    /** {@link #call} for a task with no result. */
    private void run(Runnable task) {
        call(() -> {
            task.run();
            return null;
        });
    }

    /** Runs {@code task} on the event loop and waits for it; the task's own exceptions come back as they are. */
    private <T> T call(Callable<T> task) {
        if (loop == null) {
            throw new IllegalStateException("engine is not started");
        }
        if (loop.inEventLoop()) {
            return runAndSchedule(task);
        }
        try {
            return loop.submit(() -> runAndSchedule(task)).get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for the event loop", e);
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            if (cause instanceof RuntimeException runtime) {
                throw runtime;
            }
            if (cause instanceof Error error) {
                throw error;
            }
            throw new IllegalStateException(cause);
        }
    }

    private <T> T runAndSchedule(Callable<T> task) {
        try {
            return task.call();
        } catch (RuntimeException e) {
            throw e;
        } catch (Exception e) {
            throw new IllegalStateException(e);
        } finally {
            afterCoreCall();
        }
    }

    private void afterCoreCall() {
        if (flushPending && channel != null) {
            flushPending = false;
            channel.flush();
            if (probeChannel != null) {
                probeChannel.flush();
            }
        }
        long next = core.nextDeadlineNanos();
        if (next == Long.MAX_VALUE || !channel.isOpen()) {
            return;
        }
        // Round up to the tick: a due timer waits at most that long, ticks stay bounded.
        long deadline = (next / tickNanos + 1) * tickNanos;
        if (tickTimer != null && !tickTimer.isDone() && tickDeadlineNanos <= deadline) {
            return;
        }
        if (tickTimer != null) {
            tickTimer.cancel(false);
        }
        tickDeadlineNanos = deadline;
        long delay = Math.max(0, deadline - clock.monotonicNanos());
        tickTimer = loop.schedule(this::tick, delay, TimeUnit.NANOSECONDS);
    }

    private void tick() {
        tickDeadlineNanos = Long.MAX_VALUE;
        try {
            core.tick();
        } finally {
            afterCoreCall(); // whatever happened, the next tick is scheduled
        }
    }

    /** A result of an HTTP or TCP probe, on the loop (the prober reports there). */
    private void onProbeResult(ProbeResult result) {
        if (!loop.inEventLoop()) {
            loop.execute(() -> onProbeResult(result));
            return;
        }
        try {
            core.onProbeResult(result);
        } finally {
            afterCoreCall();
        }
    }

    private final class InboundHandler extends SimpleChannelInboundHandler<Envelope> {
        @Override
        protected void channelRead0(ChannelHandlerContext ctx, Envelope envelope) {
            decoded.incrementAndGet();
            core.onMessage(envelope.peer(), envelope.message(), envelope.authenticated());
        }

        @Override
        public void channelReadComplete(ChannelHandlerContext ctx) {
            afterCoreCall();
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            // A UDP server never closes its channel over one datagram (e.g. ICMP port unreachable).
            pipelineErrors.incrementAndGet();
            LOG.log(System.Logger.Level.DEBUG, "UDP channel error (kept open): {0}", cause.toString());
        }
    }

    private final class CoreOutput implements PulseCore.Output {
        @Override
        public void send(InetSocketAddress to, Message message) {
            Channel out = probeChannel != null
                            && (message instanceof Message.Ping || message instanceof Message.PingReq)
                            && !core.clustered()
                    ? probeChannel
                    : channel;
            out.write(new Envelope(to, message), out.voidPromise());
            flushPending = true;
        }

        @Override
        public void probe(NodeId node, long sequence, Duration timeout) {
            if (!external.probe(node, sequence, timeout)) {
                // Cannot happen: a target and its prober are added in one loop task. Fail it visibly anyway.
                loop.execute(() -> onProbeResult(ProbeResult.failure(sequence, "no HTTP or TCP prober for " + node)));
            }
        }

        @Override
        public void statusChanged(Transition change) {
            notify(statusListeners, statusWarnings, change);
        }

        @Override
        public void failed(NodeFailure failure) {
            notify(failureListeners, failureWarnings, failure);
        }

        @Override
        public void removed(NodeId node) {
            external.forget(node);
            notify(removalListeners, removalWarnings, node);
        }

        @Override
        public void rttSampled(RttSample sample) {
            notify(rttListeners, rttWarnings, sample);
        }

        private <T> void notify(List<Consumer<T>> listeners, WarningLimiter warnings, T event) {
            for (Consumer<T> listener : listeners) {
                try {
                    listener.accept(event);
                } catch (VirtualMachineError fatal) {
                    throw fatal;
                } catch (Throwable e) {
                    // One listener's bug costs a log line now and then, never the engine or the other listeners.
                    listenerErrors.incrementAndGet();
                    long held = warnings.tryAcquire(clock.monotonicNanos());
                    if (held >= 0) {
                        LOG.log(
                                System.Logger.Level.WARNING,
                                "listener failed on " + event
                                        + (held > 0 ? " (and " + held + " more times since the last warning)" : "")
                                        + "; such failures are logged at most every "
                                        + TimeUnit.NANOSECONDS.toSeconds(WarningLimiter.DEFAULT_INTERVAL_NANOS)
                                        + " s, and counted in listenerErrors()",
                                e);
                    }
                }
            }
        }
    }

    /**
     * Configures and starts a {@link PulseEngine}.
     *
     * <pre>{@code
     * PulseEngine engine = PulseEngine.builder().bind(new InetSocketAddress("127.0.0.1", 0)).start();
     * }</pre>
     */
    public static final class Builder {
        public static final int DEFAULT_PORT = 7946;
        public static final int DEFAULT_SOCKET_BUFFER_BYTES = 4 * 1024 * 1024;

        private InetSocketAddress bind = new InetSocketAddress("0.0.0.0", DEFAULT_PORT);
        private DetectorConfig config = DetectorConfig.defaults();
        private Clock clock = Clock.system();
        private long incarnation;
        private boolean responding = true;
        private boolean probing = true;
        private int socketBufferBytes = DEFAULT_SOCKET_BUFFER_BYTES;
        private EventLoopGroup group;
        private DatagramFilter filter;
        private Keyring keyring;
        private DatagramAuth.Mode authMode = DatagramAuth.Mode.REQUIRED;
        private Duration replayWindow = DatagramAuth.DEFAULT_REPLAY_WINDOW;
        private List<Cidr> relayFrom = Cidr.PRIVATE;
        private int answersPerSource = 200;
        private int answersInAll = 50_000;

        private Builder() {}

        /** The UDP address to bind; port 0 asks the OS for a free one. Default 0.0.0.0:7946. */
        public Builder bind(InetSocketAddress address) {
            if (address == null || address.isUnresolved()) {
                throw new IllegalArgumentException("bind must be a resolved address, got " + address);
            }
            this.bind = address;
            return this;
        }

        public Builder config(DetectorConfig value) {
            this.config = java.util.Objects.requireNonNull(value, "config");
            return this;
        }

        public Builder clock(Clock value) {
            this.clock = java.util.Objects.requireNonNull(value, "clock");
            return this;
        }

        /** This node's incarnation; default: the start time in epoch milliseconds, which grows across restarts. */
        public Builder incarnation(long value) {
            if (value <= 0) {
                throw new IllegalArgumentException("incarnation must be > 0, got " + value);
            }
            this.incarnation = value;
            return this;
        }

        /** Whether to answer PINGs from the start. Default true. */
        public Builder responding(boolean value) {
            this.responding = value;
            return this;
        }

        /** Whether to probe targets from the start. Default true. */
        public Builder probing(boolean value) {
            this.probing = value;
            return this;
        }

        /** SO_RCVBUF and SO_SNDBUF. Default 4 MiB, for bursts from thousands of targets. */
        public Builder socketBufferBytes(int value) {
            if (value < 64 * 1024) {
                throw new IllegalArgumentException("socketBufferBytes must be >= 65536, got " + value);
            }
            this.socketBufferBytes = value;
            return this;
        }

        /** Runs on an existing event loop group (not shut down by {@link #close()}). */
        public Builder eventLoopGroup(EventLoopGroup value) {
            this.group = java.util.Objects.requireNonNull(value, "eventLoopGroup");
            return this;
        }

        /**
         * Passes every datagram in and out through {@code value} first, which may drop it: for tests
         * and benchmarks of loss and silent nodes. Default: none, and no handler in the pipeline.
         */
        public Builder datagramFilter(DatagramFilter value) {
            this.filter = java.util.Objects.requireNonNull(value, "datagramFilter");
            return this;
        }

        /**
         * Signs every datagram with {@code value}'s primary key and checks every one received
         * ({@link DatagramAuth}); {@code mode} says whether unsigned ones are still accepted (the
         * rollout step) or dropped. Rotate later with {@code engine.authentication().keyring(next)}.
         * Default: no keyring, nothing signed, and signed datagrams dropped as UNSUPPORTED_AUTH.
         */
        public Builder keyring(Keyring value, DatagramAuth.Mode mode) {
            this.keyring = java.util.Objects.requireNonNull(value, "keyring");
            this.authMode = java.util.Objects.requireNonNull(mode, "mode");
            return this;
        }

        /** How far a signed datagram's send time may be from this node's clock. Default 30 s. */
        public Builder replayWindow(Duration value) {
            if (value == null || value.compareTo(Duration.ofSeconds(1)) < 0) {
                throw new IllegalArgumentException("replayWindow must be at least 1s, got " + value);
            }
            this.replayWindow = value;
            return this;
        }

        /**
         * Strangers (neither watched, nor members, nor authenticated) whose PING_REQs are relayed.
         * Default {@link Cidr#PRIVATE}; an empty list relays only for peers. Targets are never
         * multicast, broadcast or unspecified, and loopback only when bound to loopback.
         */
        public Builder relayFrom(List<Cidr> value) {
            this.relayFrom = List.copyOf(value);
            return this;
        }

        /**
         * Answers (ACKs, relayed PINGs) a second to one address, and to all; the excess is dropped
         * and counted. Defaults 200 and 50,000. ACKs to this node's own probes are never capped.
         */
        public Builder answerLimits(int perSource, int inAll) {
            if (perSource < 1 || inAll < perSource) {
                throw new IllegalArgumentException("answerLimits " + perSource + " per source, " + inAll
                        + " in all (expected: 1 <= per source <= in all)");
            }
            this.answersPerSource = perSource;
            this.answersInAll = inAll;
            return this;
        }

        /** Binds the socket and starts probing and answering as configured. */
        public PulseEngine start() {
            return new PulseEngine(this).bind(this);
        }
    }
}
