package io.pulse.transport;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.channel.socket.DatagramPacket;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class DatagramFilterHandlerTest {
    static final InetSocketAddress LOCAL = new InetSocketAddress("127.0.0.1", 7000);
    static final InetSocketAddress PASSED = new InetSocketAddress("127.0.0.1", 7001);
    static final InetSocketAddress DROPPED = new InetSocketAddress("127.0.0.1", 7002);

    final List<String> asked = new ArrayList<>();
    final DatagramFilter filter = (direction, peer) -> {
        asked.add(direction + " " + peer.getPort());
        return !peer.equals(DROPPED);
    };

    static DatagramPacket packet(InetSocketAddress recipient, InetSocketAddress sender) {
        return new DatagramPacket(Unpooled.wrappedBuffer(new byte[] {1, 2, 3}), recipient, sender);
    }

    @Test
    void dropsAndReleasesWhatTheFilterRefusesInBothDirections() {
        EmbeddedChannel channel = new EmbeddedChannel(new DatagramFilterHandler(filter));
        DatagramPacket inPassed = packet(LOCAL, PASSED);
        DatagramPacket inDropped = packet(LOCAL, DROPPED);
        channel.writeInbound(inPassed, inDropped);
        DatagramPacket outPassed = packet(PASSED, LOCAL);
        DatagramPacket outDropped = packet(DROPPED, LOCAL);
        ChannelFuture passedWrite = channel.writeOneOutbound(outPassed);
        ChannelFuture droppedWrite = channel.writeOneOutbound(outDropped);
        channel.flushOutbound();

        assertEquals(List.of("INBOUND 7001", "INBOUND 7002", "OUTBOUND 7001", "OUTBOUND 7002"), asked);
        DatagramPacket read = channel.readInbound();
        assertEquals(inPassed, read);
        assertNull(channel.readInbound());
        DatagramPacket written = channel.readOutbound();
        assertEquals(outPassed, written);
        assertNull(channel.readOutbound());
        assertTrue(passedWrite.isSuccess());
        assertTrue(droppedWrite.isSuccess(), "a datagram lost in the network was still sent");
        assertEquals(0, inDropped.refCnt());
        assertEquals(0, outDropped.refCnt());
        assertTrue(read.release());
        assertTrue(written.release());
        assertFalse(channel.finish());
    }

    @Test
    void aFilterThatThrowsDropsTheDatagramAndReportsTheErrorDownThePipeline() {
        List<Throwable> errors = new ArrayList<>();
        EmbeddedChannel channel = new EmbeddedChannel(
                new DatagramFilterHandler((direction, peer) -> {
                    throw new IllegalStateException("filter bug");
                }),
                new ChannelInboundHandlerAdapter() {
                    @Override
                    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
                        errors.add(cause);
                    }
                });
        DatagramPacket in = packet(LOCAL, PASSED);
        channel.writeInbound(in);
        assertNull(channel.readInbound());
        assertEquals(0, in.refCnt());
        assertEquals(1, errors.size());
        assertEquals("filter bug", errors.get(0).getMessage());
        assertFalse(channel.finish());
    }
}
