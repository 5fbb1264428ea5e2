package io.pulse.transport.probe;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelOption;
import io.netty.util.ReferenceCountUtil;
import io.pulse.core.ProbeResult;

/**
 * One TCP probe on its own connection: connect (the RTT), then optionally write the spec's bytes
 * and match the reply against its prefix; exactly one {@link ProbeResult}, and the connection
 * closed at the end. Its {@link Reply} is the connection's only handler, and releases every
 * buffer it reads.
 */
final class TcpAttempt extends ProbeAttempt {
    private static final long CONNECT_TIMEOUT_SLACK_MILLIS = 1_000;

    private final TcpProbeTarget target;
    private final byte[] expect;

    private Channel channel;
    private long startNanos;
    private long connectNanos = -1;
    private int matched;

    TcpAttempt(ProbeContext ctx, TcpProbeTarget target, long sequence, long timeoutNanos) {
        super(ctx, sequence, timeoutNanos);
        this.target = target;
        this.expect = target.spec.expectPrefixUnsafe();
    }

    void start() {
        ctx.tally.tcpProbes++;
        startTimer();
        startNanos = ctx.clock.monotonicNanos();
        ChannelFuture connect = ctx.bootstrap
                .clone()
                .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, (int)
                        Math.min(Integer.MAX_VALUE, ProbeContext.millis(timeoutNanos) + CONNECT_TIMEOUT_SLACK_MILLIS))
                .handler(new Reply())
                .connect(target.address);
        channel = connect.channel();
        ctx.tally.connectionsOpened++;
        ctx.tally.openConnections++;
        channel.closeFuture().addListener(f -> ctx.tally.openConnections--);
        connect.addListener(this::connected);
    }

    private void connected(io.netty.util.concurrent.Future<? super Void> f) {
        if (done()) {
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
            if (done()) {
                return;
            }
            if (!w.isSuccess()) {
                fail(ProbeFailures.connectionBroke(w.cause(), false));
            } else if (expect.length == 0) {
                succeed();
            }
        });
    }

    private void succeed() {
        complete(ProbeResult.success(sequence, connectNanos), true);
    }

    @Override
    String subject() {
        return target.spec.defaultNodeId().toString();
    }

    @Override
    void finished(boolean successful) {
        target.finished(this);
    }

    @Override
    void release() {
        channel.close();
    }

    /** The connection's handler: the reply matched against the expected prefix, the connection's end. */
    private final class Reply extends ChannelInboundHandlerAdapter {
        @Override
        public void channelRead(ChannelHandlerContext c, Object msg) {
            try {
                if (done() || !(msg instanceof ByteBuf reply)) {
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
            if (!done() && connectNanos >= 0) {
                fail("connection closed before the expected reply (" + matched + " of " + expect.length + " bytes)");
            }
            c.fireChannelInactive();
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext c, Throwable cause) {
            if (!done() && connectNanos >= 0) {
                fail(ProbeFailures.connectionBroke(cause, matched > 0));
            }
            c.close();
        }
    }
}
