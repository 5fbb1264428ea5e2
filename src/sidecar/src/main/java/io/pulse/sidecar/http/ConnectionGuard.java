package io.pulse.sidecar.http;

import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelDuplexHandler;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelPipeline;
import io.netty.channel.ChannelPromise;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.timeout.IdleStateEvent;
import io.netty.handler.timeout.IdleStateHandler;
import io.netty.util.AttributeKey;
import io.netty.util.concurrent.ScheduledFuture;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The defences per connection of Pulse's HTTP servers (the API, the dashboard), as handlers around the HTTP codec: caps on open
 * connections (in all and per source address), an idle timeout, a deadline for each request to arrive whole (its TLS
 * handshake included), TLS when configured, and {@code X-Content-Type-Options: nosniff} on every response. Counts what it
 * closed.
 *
 * <pre>{@code
 * ConnectionGuard guard = new ConnectionGuard(limits);
 * guard.addTo(channel, maxRequestBytes);      // in the child ChannelInitializer
 * channel.pipeline().addLast(token, api);     // FullHttpRequests from here on
 * }</pre>
 *
 * <p>The caps are the first handler: a connection past them is closed before a TLS handshake, a
 * byte of HTTP or a token check costs anything.
 */
public final class ConnectionGuard {
    private static final AttributeKey<ScheduledFuture<?>> DEADLINE = AttributeKey.valueOf("pulse.request.deadline");
    static final String NOSNIFF_HEADER = "X-Content-Type-Options";

    private final ApiLimits limits;
    private final AtomicInteger open = new AtomicInteger();
    private final ConcurrentHashMap<InetAddress, Integer> openBySource = new ConcurrentHashMap<>();
    private final AtomicLong rejected = new AtomicLong();
    private final AtomicLong sourceRejected = new AtomicLong();
    private final AtomicLong idleClosed = new AtomicLong();
    private final AtomicLong slowClosed = new AtomicLong();
    private final Admission admission = new Admission();
    private final RequestStart requestStart = new RequestStart();
    private final RequestEnd requestEnd = new RequestEnd();
    private final ResponseHeaders responseHeaders = new ResponseHeaders();

    public ConnectionGuard(ApiLimits limits) {
        this.limits = limits;
    }

    /**
     * The whole pipeline up to the first handler of {@code FullHttpRequest}s: the caps, the timeouts, TLS
     * when {@link ApiLimits#tls()} says so, the codec, nosniff, and an aggregator that answers 413 past
     * {@code maxRequestBytes}.
     */
    public void addTo(Channel channel, int maxRequestBytes) {
        ChannelPipeline pipeline = channel.pipeline();
        pipeline.addLast(admission, idle(), requestStart);
        limits.tls().ifPresent(tls -> pipeline.addLast(tls.newHandler(channel.alloc())));
        pipeline.addLast(new HttpServerCodec(), responseHeaders, new HttpObjectAggregator(maxRequestBytes), requestEnd);
    }

    /** One per connection (IdleStateHandler keeps per-connection timers). */
    private ChannelHandler idle() {
        return new IdleStateHandler(0, 0, limits.idleTimeout().toMillis(), TimeUnit.MILLISECONDS);
    }

    int open() {
        return open.get();
    }

    long rejected() {
        return rejected.get();
    }

    long sourceRejected() {
        return sourceRejected.get();
    }

    long idleClosed() {
        return idleClosed.get();
    }

    long slowClosed() {
        return slowClosed.get();
    }

    /**
     * Counts connections, in all and by source address; one past either cap is closed at once (and
     * counted until it is closed), counted as past the total cap if it is past both. The map holds only the addresses with a connection open.
     */
    @ChannelHandler.Sharable
    private final class Admission extends ChannelInboundHandlerAdapter {
        @Override
        public void channelActive(ChannelHandlerContext ctx) throws Exception {
            int fromSource = openBySource.merge(source(ctx), 1, Integer::sum);
            int total = open.incrementAndGet();
            if (total > limits.maxConnections()) {
                rejected.incrementAndGet();
                ctx.close();
                return;
            }
            if (fromSource > limits.maxConnectionsPerSource()) {
                sourceRejected.incrementAndGet();
                ctx.close();
                return;
            }
            super.channelActive(ctx);
        }

        @Override
        public void channelInactive(ChannelHandlerContext ctx) throws Exception {
            open.decrementAndGet();
            openBySource.computeIfPresent(source(ctx), (address, count) -> count == 1 ? null : count - 1);
            super.channelInactive(ctx);
        }

        private InetAddress source(ChannelHandlerContext ctx) {
            return ((InetSocketAddress) ctx.channel().remoteAddress()).getAddress();
        }
    }

    /** After the idle handler, before the codec: closes idle connections; the first bytes of a request start its deadline. */
    @ChannelHandler.Sharable
    private final class RequestStart extends ChannelInboundHandlerAdapter {
        @Override
        public void userEventTriggered(ChannelHandlerContext ctx, Object event) throws Exception {
            if (event instanceof IdleStateEvent) {
                idleClosed.incrementAndGet();
                ctx.close();
                return;
            }
            super.userEventTriggered(ctx, event);
        }

        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) throws Exception {
            if (msg instanceof ByteBuf && ctx.channel().attr(DEADLINE).get() == null) {
                ctx.channel()
                        .attr(DEADLINE)
                        .set(ctx.executor()
                                .schedule(
                                        () -> {
                                            slowClosed.incrementAndGet();
                                            ctx.close();
                                        },
                                        limits.requestTimeout().toMillis(),
                                        TimeUnit.MILLISECONDS));
            }
            super.channelRead(ctx, msg);
        }

        @Override
        public void channelInactive(ChannelHandlerContext ctx) throws Exception {
            cancelDeadline(ctx);
            super.channelInactive(ctx);
        }
    }

    /** Ends the deadline of the request in progress, if there is one: it arrived whole, or its connection closed. */
    private static void cancelDeadline(ChannelHandlerContext ctx) {
        ScheduledFuture<?> deadline = ctx.channel().attr(DEADLINE).getAndSet(null);
        if (deadline != null) {
            deadline.cancel(false);
        }
    }

    /** After the aggregator: the request arrived whole, in time. */
    @ChannelHandler.Sharable
    private static final class RequestEnd extends ChannelInboundHandlerAdapter {
        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) throws Exception {
            if (msg instanceof FullHttpRequest) {
                cancelDeadline(ctx);
            }
            super.channelRead(ctx, msg);
        }
    }

    /** Between the codec and the handlers: every response says its content type is to be believed. */
    @ChannelHandler.Sharable
    private static final class ResponseHeaders extends ChannelDuplexHandler {
        @Override
        public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise) throws Exception {
            if (msg instanceof HttpResponse response) {
                response.headers().set(NOSNIFF_HEADER, "nosniff");
            }
            super.write(ctx, msg, promise);
        }
    }
}
