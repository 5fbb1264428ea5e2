package io.pulse.transport.probe;

import io.netty.bootstrap.Bootstrap;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoop;
import io.netty.channel.socket.SocketChannel;
import io.pulse.core.Clock;
import io.pulse.core.DuplicateNodeException;
import io.pulse.core.NodeId;
import io.pulse.core.ProbeResult;
import io.pulse.core.PulseCore;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Consumer;

/**
 * Performs the HTTP and TCP probes a {@link PulseCore} asks for through
 * {@link PulseCore.Output#probe}, on the event loop the core runs on, and hands each result to
 * {@code results} on that loop. {@link io.pulse.transport.PulseEngine} owns one; another driver of
 * the core can own one the same way.
 *
 * <pre>{@code
 * ExternalProber prober = new ExternalProber(loop, NioSocketChannel.class, clock,
 *         result -> { core.onProbeResult(result); afterCoreCall(); });
 * ExternalProber.Registration r = prober.prepare(id, HttpProbeSpec.of("http://10.0.0.7:8080/health"));
 * loop.execute(() -> { core.addExternalTarget(id, options); prober.add(r); });
 * // in Output.probe(node, sequence, timeout):   prober.probe(node, sequence, timeout);
 * // in Output.removed(node):                    prober.forget(node);
 * }</pre>
 *
 * <p>{@link #prepare} may be called from any thread (it resolves host names, blocking); every other
 * method only on the event loop. Each attempt is started from a task of its own, never inside the
 * core's call to {@code probe}, so a result never re-enters the core.
 */
public final class ExternalProber {

    /**
     * A target whose host names are resolved, ready for {@link #add} on the event loop.
     *
     * <pre>{@code
     * ExternalProber.Registration r = prober.prepare(id, TcpProbeSpec.of("db-1.internal:5432")); // any thread
     * loop.execute(() -> prober.add(r));
     * }</pre>
     */
    public static final class Registration {
        private final NodeId id;
        private final ProbeTarget target;

        private Registration(NodeId id, ProbeTarget target) {
            this.id = id;
            this.target = target;
        }

        public NodeId id() {
            return id;
        }

        /** Where its probes go, resolved. */
        public List<InetSocketAddress> addresses() {
            return target.addresses();
        }
    }

    private final ProbeContext ctx;
    private final TlsContexts tls = new TlsContexts();
    private final Map<NodeId, ProbeTarget> targets = new HashMap<>();
    private boolean closed;

    /**
     * @param socketChannel the TCP channel type that matches {@code loop} (epoll or NIO)
     * @param clock         the clock the core runs on: RTTs on its monotonic clock
     * @param results       receives every result, on {@code loop}
     */
    public ExternalProber(
            EventLoop loop, Class<? extends SocketChannel> socketChannel, Clock clock, Consumer<ProbeResult> results) {
        Objects.requireNonNull(loop, "loop");
        Bootstrap bootstrap = new Bootstrap()
                .group(loop)
                .channel(Objects.requireNonNull(socketChannel, "socketChannel"))
                .option(ChannelOption.TCP_NODELAY, true)
                .option(ChannelOption.SO_KEEPALIVE, true);
        this.ctx = new ProbeContext(
                loop, Objects.requireNonNull(clock, "clock"), bootstrap, Objects.requireNonNull(results, "results"));
    }

    /**
     * Resolves the spec's hosts and builds its TLS context; any thread.
     *
     * @throws IllegalArgumentException if a host cannot be resolved or the trusted certificates cannot be read
     */
    public Registration prepare(NodeId id, HttpProbeSpec spec) {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(spec, "spec");
        List<HttpEndpoint> endpoints = new ArrayList<>(spec.endpoints().size());
        for (URI url : spec.endpoints()) {
            endpoints.add(HttpEndpoint.resolve(url, tls, spec.trustedCertificates()));
        }
        return new Registration(id, new HttpProbeTarget(ctx, spec, endpoints));
    }

    /** @throws IllegalArgumentException if the host cannot be resolved */
    public Registration prepare(NodeId id, TcpProbeSpec spec) {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(spec, "spec");
        InetSocketAddress address;
        try {
            address = new InetSocketAddress(InetAddress.getByName(spec.host()), spec.port());
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException(
                    "cannot resolve host of TCP target " + spec.defaultNodeId() + ": " + e.getMessage(), e);
        }
        return new Registration(id, new TcpProbeTarget(ctx, spec, address));
    }

    /** Starts serving the core's probes of {@code registration.id()}. @throws DuplicateNodeException */
    public void add(Registration registration) {
        requireLoop();
        if (closed) {
            throw new IllegalStateException("prober is closed");
        }
        if (targets.containsKey(registration.id)) {
            throw new DuplicateNodeException(registration.id, "is already probed");
        }
        targets.put(registration.id, registration.target);
        registration.target.attach();
    }

    /**
     * Starts one probe of {@code node}, reported later through {@code results}.
     *
     * @return false if {@code node} is none of this prober's targets
     */
    public boolean probe(NodeId node, long sequence, Duration timeout) {
        requireLoop();
        ProbeTarget target = targets.get(node);
        if (target == null || closed) {
            return false;
        }
        long askedNanos = ctx.clock.monotonicNanos();
        long timeoutNanos = Math.max(1, timeout.toNanos());
        ctx.loop.execute(() -> {
            if (!closed && targets.get(node) == target) {
                target.start(sequence, askedNanos, timeoutNanos);
            }
        });
        return true;
    }

    /** Stops probing {@code node}: attempts in flight are dropped without a result. @return false if unknown */
    public boolean forget(NodeId node) {
        requireLoop();
        ProbeTarget target = targets.remove(node);
        if (target == null) {
            return false;
        }
        target.forget();
        return true;
    }

    /**
     * Probes {@code registration.id()} as {@code registration} says from now on, if its addresses
     * differ from the current ones (its host names resolve elsewhere now): attempts in flight are
     * dropped without a result (the core times them out) and the old connections released.
     *
     * @return the addresses it had, or null if they are the same or the target is unknown
     */
    public List<InetSocketAddress> readdress(Registration registration) {
        requireLoop();
        ProbeTarget before = targets.get(registration.id);
        if (before == null || closed || before.addresses().equals(registration.target.addresses())) {
            return null;
        }
        registration.target.attach(); // first: endpoints that stay keep their pooled connections
        before.forget();
        targets.put(registration.id, registration.target);
        return before.addresses();
    }

    /** Forgets every target and closes every connection. */
    public void close() {
        requireLoop();
        for (ProbeTarget target : targets.values()) {
            target.forget();
        }
        targets.clear();
        ctx.pool.close();
        closed = true;
    }

    public ProbeCounters counters() {
        requireLoop();
        return ctx.tally.snapshot();
    }

    private void requireLoop() {
        if (!ctx.loop.inEventLoop()) {
            throw new IllegalStateException("call on the prober's event loop");
        }
    }
}
