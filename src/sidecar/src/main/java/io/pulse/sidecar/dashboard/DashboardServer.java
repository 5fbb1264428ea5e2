package io.pulse.sidecar.dashboard;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.WriteBufferWaterMark;
import io.pulse.sidecar.http.AccessToken;
import io.pulse.sidecar.http.ApiLimits;
import io.pulse.sidecar.http.ConnectionGuard;
import io.pulse.transport.Transports;
import java.net.InetSocketAddress;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * The dashboard's HTTP server on an event loop of its own, with the API's defences
 * ({@link ConnectionGuard}: connection caps, idle and request timeouts, nosniff, TLS) and its token
 * ({@link DashboardLogin}): it serves the page
 * and pushes the model's batches to every open event stream every {@link #BATCH_INTERVAL}.
 *
 * <pre>{@code
 * try (DashboardServer server = DashboardServer.start(new InetSocketAddress("127.0.0.1", 8080), model,
 *         ApiLimits.defaults(), Clock.systemUTC())) {
 *     System.out.println("http://" + server.localAddress().getHostString() + ":" + server.localAddress().getPort() + "/");
 * }
 * }</pre>
 */
final class DashboardServer implements AutoCloseable {
    /** How often changes go to the browsers: a storm reaches them as a few batches a second, not an event each. */
    static final Duration BATCH_INTERVAL = Duration.ofMillis(200);
    /** A comment on a quiet stream, well within the idle timeout. */
    static final Duration KEEP_ALIVE = Duration.ofSeconds(10);

    static final int MAX_REQUEST_BYTES = 8 * 1024;
    /** A browser more than this behind is disconnected (it reconnects with a snapshot); a 10,000-node snapshot is about 2 MB. */
    static final int HIGH_WATER_BYTES = 16 * 1024 * 1024;

    private static final System.Logger LOG = System.getLogger(DashboardServer.class.getName());

    private final EventLoopGroup group;
    private final Channel channel;

    private DashboardServer(EventLoopGroup group, Channel channel) {
        this.group = group;
        this.channel = channel;
    }

    /**
     * @param limits the connection caps and timeouts; with a token, every request but the login page
     *               needs the session cookie it sets ({@link DashboardLogin}) or the bearer token; with TLS, HTTPS
     * @throws IllegalStateException if {@code bind} cannot be bound
     */
    static DashboardServer start(InetSocketAddress bind, DashboardModel model, ApiLimits limits, Clock clock) {
        ConnectionGuard guard = new ConnectionGuard(limits);
        SseClients clients = new SseClients();
        Assets assets = Assets.load();
        DashboardHandler handler = new DashboardHandler(model, assets, clients);
        DashboardLogin login = limits.token()
                .map(token ->
                        new DashboardLogin(new AccessToken(token), limits.tls().isPresent(), assets.loginPage(), clock))
                .orElse(null);
        EventLoopGroup group = Transports.newGroup(1, "pulse-dashboard");
        ServerBootstrap bootstrap = new ServerBootstrap()
                .group(group)
                .channel(Transports.serverChannelFor(group))
                .childOption(
                        ChannelOption.WRITE_BUFFER_WATER_MARK,
                        new WriteBufferWaterMark(HIGH_WATER_BYTES / 2, HIGH_WATER_BYTES))
                .childHandler(new ChannelInitializer<Channel>() {
                    @Override
                    protected void initChannel(Channel ch) {
                        guard.addTo(ch, MAX_REQUEST_BYTES);
                        if (login != null) {
                            ch.pipeline().addLast(login);
                        }
                        ch.pipeline().addLast(handler);
                    }
                });
        Channel channel;
        try {
            channel = bootstrap.bind(bind).syncUninterruptibly().channel();
        } catch (RuntimeException e) {
            group.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
            throw new IllegalStateException("cannot bind the dashboard to " + bind + ": " + e.getMessage(), e);
        }
        long[] quietSince = {System.nanoTime()};
        channel.eventLoop()
                .scheduleAtFixedRate(
                        () -> {
                            try {
                                byte[] batch = model.drainJson();
                                if (batch != null) {
                                    clients.broadcast(batch);
                                    quietSince[0] = System.nanoTime();
                                } else if (System.nanoTime() - quietSince[0] > KEEP_ALIVE.toNanos()) {
                                    clients.broadcast(null);
                                    quietSince[0] = System.nanoTime();
                                }
                            } catch (RuntimeException e) {
                                LOG.log(
                                        System.Logger.Level.WARNING,
                                        "dashboard batch failed; the next one is tried",
                                        e);
                            }
                        },
                        BATCH_INTERVAL.toMillis(),
                        BATCH_INTERVAL.toMillis(),
                        TimeUnit.MILLISECONDS);
        return new DashboardServer(group, channel);
    }

    InetSocketAddress localAddress() {
        return (InetSocketAddress) channel.localAddress();
    }

    @Override
    public void close() {
        channel.close().syncUninterruptibly();
        group.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
    }
}
