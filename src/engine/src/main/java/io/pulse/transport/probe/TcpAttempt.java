package io.pulse.transport.probe;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelOption;
import io.netty.util.ReferenceCountUtil;
import io.netty.util.concurrent.ScheduledFuture;
import io.pulse.core.ProbeResult;
import java.util.concurrent.TimeUnit;

/**
 * One TCP probe on its own connection: connect (the RTT), then optionally write the spec's bytes
 * and match the reply against its prefix; exactly one {@link ProbeResult}, and the connection
 * closed at the end. It is the connection's only handler, and releases every buffer it reads.
 */
final class TcpAttempt extends ChannelInboundHandlerAdapter {
    private static final long CONNECT_TIMEOUT_SLACK_MILLIS = 1_000;

    private final ProbeContext ctx;
    private final TcpProbeTarget target;
    private final long sequence;
    private final long timeoutNanos;
    private final byte[] expect;

    private ScheduledFuture<?> timer;
    private Channel channel;
    private long startNanos;
    private long connectNanos = -1;
    private int matched;
    private boolean done;

    TcpAttempt(ProbeContext ctx, TcpProbeTarget target, long sequence, long timeoutNanos) {
        this.ctx = ctx;
        this.target = target;
        this.sequence = sequence;
        this.timeoutNanos = timeoutNanos;
        this.expect = target.spec.expectPrefixUnsafe();
    }

    void start() {
        ctx.tally.tcpProbes++;
        ctx.tally.probesInFlight++;
        timer = ctx.loop.schedule(this::timedOut, timeoutNanos, TimeUnit.NANOSECONDS);
        startNanos = ctx.clock.monotonicNanos();
        ChannelFuture connect = ctx.bootstrap
                .clone()
                .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, (int)
                        Math.min(Integer.MAX_VALUE, ProbeContext.millis(timeoutNanos) + CONNECT_TIMEOUT_SLACK_MILLIS))
                .handler(this)
                .connect(target.address);
        channel = connect.channel();
        ctx.tally.connectionsOpened++;
        ctx.tally.openConnections++;
        channel.closeFuture().addListener(f -> ctx.tally.openConnections--);
        connect.addListener(this::connected);
    }

    private void connected(io.netty.util.concurrent.Future<? super Void> f) {
        if (done) {
            return;
        }
        if (!f.isSuccess()) {
            fail(ProbeFailures.connectFailed(f.cause()));
            return;
        }
        connectNanos = ctx.clock.monotonicNanos() - startNanos;
        byte[] send = target.spec.sendUnsafe();
        if (send.length == 0) {
            if (expect.length == 0) {
                succeed();
            }
            return;
        }
        channel.writeAndFlush(Unpooled.wrappedBuffer(send)).addListener(w -> {
            if (done) {
                return;
            }
            if (!w.isSuccess()) {
                fail(ProbeFailures.connectionBroke(w.cause(), false));
            } else if (expect.length == 0) {
                succeed();
            }
        });
    }

    @Override
    public void channelRead(ChannelHandlerContext c, Object msg) {
        try {
            if (done || !(msg instanceof ByteBuf reply)) {
                return;
            }
            int n = Math.min(reply.readableBytes(), expect.length - matched);
            for (int i = 0; i < n; i++) {
                if (reply.getByte(reply.readerIndex() + i) != expect[matched + i]) {
                    fail("reply does not start with the expected " + expect.length + " bytes (differs at byte "
                            + (matched + i) + ")");
                    return;
                }
            }
            matched += n;
            if (matched == expect.length) {
                succeed();
            }
        } finally {
            ReferenceCountUtil.release(msg);
        }
    }

    @Override
    public void channelInactive(ChannelHandlerContext c) {
        if (!done && connectNanos >= 0) {
            fail("connection closed before the expected reply (" + matched + " of " + expect.length + " bytes)");
        }
        c.fireChannelInactive();
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext c, Throwable cause) {
        if (!done && connectNanos >= 0) {
            fail(ProbeFailures.connectionBroke(cause, matched > 0));
        }
        c.close();
    }

    private void timedOut() {
        timer = null;
        if (!done) {
            ctx.tally.timeouts++;
            fail("timeout after " + ProbeContext.millis(timeoutNanos) + " ms");
        }
    }

    private void succeed() {
        complete(ProbeResult.success(sequence, connectNanos), true);
    }

    private void fail(String why) {
        complete(ProbeResult.failure(sequence, target.spec.defaultNodeId() + ": " + why), false);
    }

    private void complete(ProbeResult result, boolean successful) {
        if (done) {
            return;
        }
        end();
        if (successful) {
            ctx.tally.succeeded++;
        } else {
            ctx.tally.failed++;
        }
        target.finished(this);
        ctx.results.accept(result);
    }

    /** The target was removed: no result, nothing left open. */
    void abandon() {
        if (!done) {
            end();
        }
    }

    private void end() {
        done = true;
        ctx.tally.probesInFlight--;
        if (timer != null) {
            timer.cancel(false);
            timer = null;
        }
        channel.close();
    }
}
