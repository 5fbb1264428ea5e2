package io.pulse.transport;

import io.netty.channel.ChannelDuplexHandler;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPromise;
import io.netty.channel.socket.DatagramPacket;
import io.netty.util.ReferenceCountUtil;

/**
 * The first handler of a filtered engine's pipeline: asks the {@link DatagramFilter} about each
 * raw datagram in and out, and releases the ones it drops. A dropped write succeeds, as a send
 * into a lossy network does.
 */
@ChannelHandler.Sharable
final class DatagramFilterHandler extends ChannelDuplexHandler {
    private final DatagramFilter filter;

    DatagramFilterHandler(DatagramFilter filter) {
        this.filter = filter;
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (msg instanceof DatagramPacket packet && !passes(ctx, DatagramFilter.Direction.INBOUND, packet)) {
            ReferenceCountUtil.release(msg);
            return;
        }
        ctx.fireChannelRead(msg);
    }

    @Override
    public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise) {
        if (msg instanceof DatagramPacket packet && !passes(ctx, DatagramFilter.Direction.OUTBOUND, packet)) {
            ReferenceCountUtil.release(msg);
            promise.trySuccess();
            return;
        }
        ctx.write(msg, promise);
    }

    private boolean passes(ChannelHandlerContext ctx, DatagramFilter.Direction direction, DatagramPacket packet) {
        try {
            return filter.pass(
                    direction, direction == DatagramFilter.Direction.INBOUND ? packet.sender() : packet.recipient());
        } catch (RuntimeException e) {
            ctx.fireExceptionCaught(e); // counted as a pipeline error at the end of the pipeline
            return false;
        }
    }
}
