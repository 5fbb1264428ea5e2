package io.pulse.transport;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.group.ChannelGroup;
import io.netty.channel.group.DefaultChannelGroup;
import io.netty.channel.nio.NioEventLoopGroup;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.ssl.SslContext;
import io.netty.util.ReferenceCountUtil;
import io.netty.util.concurrent.GlobalEventExecutor;
import io.pulse.transport.health.HealthHandler;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;

/**
 * A real server on 127.0.0.1 (port 0) that behaves as a test needs, and counts the connections it
 * accepted and holds open, so that a test can see that the prober leaks none.
 *
 * <pre>{@code
 * try (TestServer server = TestServer.http(() -> TestServer.response(500, "text/plain", "down"))) { ... }
 * }</pre>
 */
final class TestServer implements AutoCloseable {
    private final EventLoopGroup group = new NioEventLoopGroup(1);
    private final ChannelGroup open = new DefaultChannelGroup(GlobalEventExecutor.INSTANCE);
    private final AtomicInteger accepted = new AtomicInteger();
    private final AtomicInteger requests = new AtomicInteger();
    private final Channel server;
    /** What each HTTP request gets; {@code null} from the supplier: no answer at all. */
    volatile Supplier<FullHttpResponse> answer;

    private TestServer(SslContext tls, ChannelHandler behaviour) {
        this(tls, Duration.ZERO, behaviour);
    }

    private TestServer(SslContext tls, Duration handshakeDelay, ChannelHandler behaviour) {
        server = new ServerBootstrap()
                .group(group)
                .channel(NioServerSocketChannel.class)
                .childHandler(new ChannelInitializer<Channel>() {
                    @Override
                    protected void initChannel(Channel ch) {
                        accepted.incrementAndGet();
                        open.add(ch);
                        ch.pipeline().addLast(behaviour);
                        if (tls != null && handshakeDelay.isZero()) {
                            ch.pipeline().addFirst(tls.newHandler(ch.alloc()));
                        } else if (tls != null) {
                            // Read nothing, not even the ClientHello, until the delay is over.
                            ch.config().setAutoRead(false);
                            ch.eventLoop()
                                    .schedule(
                                            () -> {
                                                ch.pipeline().addFirst(tls.newHandler(ch.alloc()));
                                                ch.config().setAutoRead(true);
                                            },
                                            handshakeDelay.toNanos(),
                                            java.util.concurrent.TimeUnit.NANOSECONDS);
                        }
                    }
                })
                .bind(new InetSocketAddress("127.0.0.1", 0))
                .syncUninterruptibly()
                .channel();
    }

    /** Serves the real {@link HealthHandler}, over TLS when {@code tls} is not null. */
    static TestServer health(SslContext tls) {
        return new TestServer(tls, HealthHandler.server(HealthHandler.create()));
    }

    /** Answers every request with what {@code answer} gives (a new response each time), or never. */
    static TestServer http(Supplier<FullHttpResponse> answer) {
        TestServer[] self = new TestServer[1];
        self[0] = new TestServer(null, new ChannelInitializer<Channel>() {
            @Override
            protected void initChannel(Channel ch) {
                ch.pipeline().addLast(new HttpServerCodec(), new HttpObjectAggregator(8192), new Answerer(self));
            }
        });
        self[0].answer = answer;
        return self[0];
    }

    /**
     * Answers the first request of each connection, keeping it alive, and closes the connection
     * without an answer when a second request comes: a kept-alive connection gone stale under the
     * client, every time.
     */
    static TestServer answeringOncePerConnection(Supplier<FullHttpResponse> answer) {
        TestServer[] self = new TestServer[1];
        self[0] = new TestServer(null, new ChannelInitializer<Channel>() {
            @Override
            protected void initChannel(Channel ch) {
                ch.pipeline().addLast(new HttpServerCodec(), new HttpObjectAggregator(8192), new OnceThenClose(self));
            }
        });
        self[0].answer = answer;
        return self[0];
    }

    /**
     * Like {@link #http} over TLS, with a TLS handshake that starts only {@code handshakeDelay} after
     * the connection is accepted: a slow connect phase, before the client can write its request.
     */
    static TestServer https(SslContext tls, Duration handshakeDelay, Supplier<FullHttpResponse> answer) {
        TestServer[] self = new TestServer[1];
        self[0] = new TestServer(tls, handshakeDelay, new ChannelInitializer<Channel>() {
            @Override
            protected void initChannel(Channel ch) {
                ch.pipeline().addLast(new HttpServerCodec(), new HttpObjectAggregator(8192), new Answerer(self));
            }
        });
        self[0].answer = answer;
        return self[0];
    }

    /** Accepts and closes at once, before reading anything. */
    static TestServer closingAtOnce() {
        return new TestServer(null, new Closer());
    }

    /** A plain TCP server: answers the bytes it gets with {@code reply} (none: it says nothing). */
    static TestServer tcp(byte[] reply) {
        return new TestServer(null, new TcpReplier(reply));
    }

    static FullHttpResponse response(int status, String contentType, String body) {
        FullHttpResponse response = new DefaultFullHttpResponse(
                HttpVersion.HTTP_1_1,
                HttpResponseStatus.valueOf(status),
                Unpooled.copiedBuffer(body, StandardCharsets.UTF_8));
        response.headers()
                .set(HttpHeaderNames.CONTENT_TYPE, contentType)
                .setInt(HttpHeaderNames.CONTENT_LENGTH, response.content().readableBytes());
        return response;
    }

    /** A port on 127.0.0.1 that nothing listens on (bound by the OS, then released). */
    static int closedPort() throws Exception {
        try (ServerSocket socket = new ServerSocket(0, 1, java.net.InetAddress.getByName("127.0.0.1"))) {
            return socket.getLocalPort();
        }
    }

    int port() {
        return ((InetSocketAddress) server.localAddress()).getPort();
    }

    String url(String scheme, String path) {
        return scheme + "://127.0.0.1:" + port() + path;
    }

    /** Connections accepted so far. */
    int accepted() {
        return accepted.get();
    }

    /** Connections open now. */
    int open() {
        return open.size();
    }

    int requests() {
        return requests.get();
    }

    @Override
    public void close() {
        server.close().syncUninterruptibly();
        open.close().syncUninterruptibly();
        group.shutdownGracefully(0, 1, java.util.concurrent.TimeUnit.SECONDS).syncUninterruptibly();
    }

    @ChannelHandler.Sharable
    private static final class Answerer extends ChannelInboundHandlerAdapter {
        private final TestServer[] server;

        Answerer(TestServer[] server) {
            this.server = server;
        }

        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            FullHttpRequest request = (FullHttpRequest) msg;
            try {
                server[0].requests.incrementAndGet();
                FullHttpResponse response = server[0].answer.get();
                if (response == null) {
                    return;
                }
                if (!HttpUtil.isKeepAlive(request)) {
                    HttpUtil.setKeepAlive(response, false);
                }
                if (HttpUtil.isKeepAlive(response)) {
                    ctx.writeAndFlush(response);
                } else {
                    ctx.writeAndFlush(response).addListener(io.netty.channel.ChannelFutureListener.CLOSE);
                }
            } finally {
                ReferenceCountUtil.release(request);
            }
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            ctx.close(); // e.g. a client that gave up mid-handshake (its timeout): not the test's concern
        }
    }

    /** One per connection: answers its first request, closes on the second. */
    private static final class OnceThenClose extends ChannelInboundHandlerAdapter {
        private final TestServer[] server;
        private boolean answered;

        OnceThenClose(TestServer[] server) {
            this.server = server;
        }

        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            ReferenceCountUtil.release(msg);
            server[0].requests.incrementAndGet();
            if (answered) {
                ctx.close();
                return;
            }
            answered = true;
            ctx.writeAndFlush(server[0].answer.get());
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            ctx.close();
        }
    }

    @ChannelHandler.Sharable
    private static final class Closer extends ChannelInboundHandlerAdapter {
        @Override
        public void channelActive(ChannelHandlerContext ctx) {
            ctx.close();
        }
    }

    @ChannelHandler.Sharable
    private static final class TcpReplier extends ChannelInboundHandlerAdapter {
        private final byte[] reply;

        TcpReplier(byte[] reply) {
            this.reply = reply;
        }

        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            ReferenceCountUtil.release(msg);
            if (reply.length > 0) {
                ctx.writeAndFlush(Unpooled.wrappedBuffer(reply));
            }
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            ctx.close(); // e.g. reset by the prober closing at once
        }
    }
}
