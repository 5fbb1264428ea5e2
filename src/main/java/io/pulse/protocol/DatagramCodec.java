package io.pulse.protocol;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.socket.DatagramPacket;
import io.netty.handler.codec.MessageToMessageCodec;
import io.pulse.core.Message;
import java.util.List;
import java.util.Objects;

/**
 * Turns datagrams into {@link Envelope}s and back. Malformed datagrams are counted in
 * {@link RejectCounters} and dropped: nothing is thrown into the pipeline, and the channel stays
 * open.
 *
 * <pre>{@code
 * RejectCounters rejects = new RejectCounters();
 * channel.pipeline().addLast(new DatagramCodec(rejects), engineHandler);
 * }</pre>
 *
 * Stateless and {@link ChannelHandler.Sharable}. The base class releases every inbound packet;
 * an outbound buffer is released here if encoding fails.
 */
@ChannelHandler.Sharable
public final class DatagramCodec extends MessageToMessageCodec<DatagramPacket, Envelope> {
    private final RejectCounters rejects;

    public DatagramCodec(RejectCounters rejects) {
        this.rejects = Objects.requireNonNull(rejects, "rejects");
    }

    @Override
    protected void decode(ChannelHandlerContext ctx, DatagramPacket packet, List<Object> out) {
        try {
            Message message = WireFormat.decode(packet.content());
            out.add(new Envelope(packet.sender(), message));
        } catch (MalformedDatagramException e) {
            rejects.increment(e.reason());
        }
    }

    @Override
    protected void encode(ChannelHandlerContext ctx, Envelope envelope, List<Object> out) {
        ByteBuf buf = ctx.alloc().ioBuffer(WireFormat.encodedSize(envelope.message()));
        boolean done = false;
        try {
            WireFormat.encode(envelope.message(), buf);
            out.add(new DatagramPacket(buf, envelope.peer()));
            done = true;
        } finally {
            if (!done) {
                buf.release();
            }
        }
    }
}
