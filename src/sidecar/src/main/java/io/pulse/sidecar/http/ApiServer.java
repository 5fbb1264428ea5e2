package io.pulse.sidecar.http;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.EventLoopGroup;
import io.pulse.kafka.PublisherStats;
import io.pulse.transport.PulseEngine;
import io.pulse.transport.Transports;
import io.pulse.transport.health.HealthHandler;
import java.net.InetSocketAddress;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * The sidecar's HTTP/1.1 API, on an event loop of its own:
 * <ul>
 * <li>{@code GET /health}: {@code {"ok": true, "now": "..."}} ({@link HealthHandler})</li>
 * <li>{@code GET /ready}: the same, or {@code 503 {"ok": false, ...}} while this sidecar is not in its
 *     cluster with a majority, Kafka acknowledges nothing, or the outbox is nearly full ({@link Readiness})</li>
 * <li>{@code GET /status}: {@code {"node": "<this engine>", "nodes": [...]}}, every watched node by id</li>
 * <li>{@code GET /status/{host:port}}: one node (URL-encoded IPv6 brackets are fine); 404 if it is not
 *     watched, 400 if the id does not parse, each with {@code {"error": "..."}}</li>
 * <li>{@code GET /metrics}: Prometheus text format ({@link PulseMetrics})</li>
 * </ul>
 * HEAD works wherever GET does; other methods get 405, other paths 404. Keep-alive follows the request.
 * {@link ApiLimits} closes idle connections and requests that arrive too slowly, caps open
 * connections, and may require a bearer token (not for {@code /health} and {@code /ready}); every response says
 * {@code X-Content-Type-Options: nosniff}.
 *
 * <pre>{@code
 * try (ApiServer api = ApiServer.start(new InetSocketAddress("127.0.0.1", 7947), engine,
 *         () -> publisher == null ? null : publisher.stats(), PulseMetrics.create())) {
 *     System.out.println("API on http://" + api.localAddress());
 *     ...
 * }
 * }</pre>
 *
 * <p>Status and metrics requests wait for the engine's event loop; they run on the API's loop, so
 * a slow API request never delays the engine. Closing the server leaves the engine running.
 */
public final class ApiServer implements AutoCloseable {
    /** Requests carry no body; the aggregator answers 413 to a larger one. */
    static final int MAX_REQUEST_BYTES = 8 * 1024;

    private final EventLoopGroup group;
    private final Channel channel;
    private final PulseMetrics metrics;

    private ApiServer(EventLoopGroup group, Channel channel, PulseMetrics metrics) {
        this.group = group;
        this.channel = channel;
        this.metrics = metrics;
    }

    /**
     * Binds {@code bind} (port 0 asks the OS for a free one) and serves {@code engine}.
     *
     * @param publisherStats the publisher's counters for {@code /metrics}; it may return null, when
     *                       there is no publisher (its metrics are then left out). Called once per scrape.
     * @param metrics        registers its meters on {@code engine} now; one {@link PulseMetrics} per server
     * @throws IllegalStateException if the address cannot be bound (then {@code metrics} stays bound to
     *                               {@code engine}: create a new one to try again), or {@code metrics}
     *                               serves another server
     */
    public static ApiServer start(
            InetSocketAddress bind, PulseEngine engine, Supplier<PublisherStats> publisherStats, PulseMetrics metrics) {
        return start(bind, engine, publisherStats, metrics, ApiLimits.defaults());
    }

    /** {@link #start(InetSocketAddress, PulseEngine, Supplier, PulseMetrics)} with its timeouts, cap and token. */
    public static ApiServer start(
            InetSocketAddress bind,
            PulseEngine engine,
            Supplier<PublisherStats> publisherStats,
            PulseMetrics metrics,
            ApiLimits limits) {
        if (bind == null || bind.isUnresolved()) {
            throw new IllegalArgumentException("bind must be a resolved address, got " + bind);
        }
        Objects.requireNonNull(engine, "engine");
        Objects.requireNonNull(publisherStats, "publisherStats");
        Objects.requireNonNull(metrics, "metrics");
        Objects.requireNonNull(limits, "limits");
        metrics.bind(engine, publisherStats);

        HealthHandler health = HealthHandler.create();
        Readiness readiness = new Readiness(engine, publisherStats, System::nanoTime);
        HealthHandler ready = HealthHandler.builder()
                .path(Readiness.PATH)
                .ok(readiness::ready)
                .build();
        ApiHandler api = new ApiHandler(engine, metrics);
        ConnectionGuard guard = new ConnectionGuard(limits);
        BearerToken token = limits.token().map(BearerToken::new).orElse(null);
        metrics.bindApi(guard, token);
        EventLoopGroup group = Transports.newGroup(1, "pulse-api");
        ServerBootstrap bootstrap = new ServerBootstrap()
                .group(group)
                .channel(Transports.serverChannelFor(group))
                .childHandler(new ChannelInitializer<Channel>() {
                    @Override
                    protected void initChannel(Channel ch) {
                        guard.addTo(ch, MAX_REQUEST_BYTES);
                        if (token != null) {
                            ch.pipeline().addLast(token);
                        }
                        ch.pipeline().addLast(health, ready, api);
                    }
                });
        try {
            return new ApiServer(
                    group, bootstrap.bind(bind).syncUninterruptibly().channel(), metrics);
        } catch (RuntimeException e) {
            group.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
            metrics.close();
            throw new IllegalStateException("cannot bind HTTP " + bind + ": " + e.getMessage(), e);
        }
    }

    /** The bound address (with the port the OS chose if port 0 was asked for). */
    public InetSocketAddress localAddress() {
        return (InetSocketAddress) channel.localAddress();
    }

    /** Closes the listening socket and every connection, stops the API's event loop and the metrics' GC listener. */
    @Override
    public void close() {
        channel.close().syncUninterruptibly();
        group.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
        metrics.close();
    }
}
