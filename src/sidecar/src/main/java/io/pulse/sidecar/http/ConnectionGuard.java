package io.pulse.sidecar.http;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelDuplexHandler;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelPromise;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.timeout.IdleStateEvent;
import io.netty.handler.timeout.IdleStateHandler;
import io.netty.util.AttributeKey;
import io.netty.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The defences per connection of Pulse's HTTP servers (the API, the dashboard), as handlers around the HTTP codec: a cap on open
 * connections, an idle timeout, a deadline for each request to arrive whole, and
 * {@code X-Content-Type-Options: nosniff} on every response. Counts what it closed.
 *
 * <pre>{@code
 * ConnectionGuard guard = new ConnectionGuard(limits);
 * pipeline.addLast(guard.admission(), guard.idle(), guard.requestStart(), new HttpServerCodec(),
 *         guard.responseHeaders(), new HttpObjectAggregator(max), guard.requestEnd(), ...);
 * }</pre>
 */
public final class ConnectionGuard {
    private static final AttributeKey<ScheduledFuture<?>> DEADLINE = AttributeKey.valueOf("pulse.request.deadline");
    static final String NOSNIFF_HEADER = "X-Content-Type-Options";

    private final ApiLimits limits;
    private final AtomicInteger open = new AtomicInteger();
    private final AtomicLong rejected = new AtomicLong();
    private final AtomicLong idleClosed = new AtomicLong();
    private final AtomicLong slowClosed = new AtomicLong();
    private final Admission admission = new Admission();
    private final RequestStart requestStart = new RequestStart();
    private final RequestEnd requestEnd = new RequestEnd();
    private final ResponseHeaders responseHeaders = new ResponseHeaders();

    public ConnectionGuard(ApiLimits limits) {
        this.limits = limits;
    }

    public ChannelHandler admission() {
        return admission;
    }

    /** One per connection (IdleStateHandler keeps per-connection timers). */
    public ChannelHandler idle() {
        return new IdleStateHandler(0, 0, limits.idleTimeout().toMillis(), TimeUnit.MILLISECONDS);
    }

    public ChannelHandler requestStart() {
        return requestStart;
    }

    public ChannelHandler requestEnd() {
        return requestEnd;
    }

    public ChannelHandler responseHeaders() {
        return responseHeaders;
    }

    int open() {
        return open.get();
    }

    long rejected() {
        return rejected.get();
    }

    long idleClosed() {
        return idleClosed.get();
    }

    long slowClosed() {
        return slowClosed.get();
    }

    /** Counts connections; one past the cap is closed at once. */
    @ChannelHandler.Sharable
    private final class Admission extends ChannelInboundHandlerAdapter {
        @Override
        public void channelActive(ChannelHandlerContext ctx) throws Exception {
            if (open.incrementAndGet() > limits.maxConnections()) {
                rejected.incrementAndGet();
                ctx.close();
                return;
            }
            super.channelActive(ctx);
        }

        @Override
        public void channelInactive(ChannelHandlerContext ctx) throws Exception {
            open.decrementAndGet();
            super.channelInactive(ctx);
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
