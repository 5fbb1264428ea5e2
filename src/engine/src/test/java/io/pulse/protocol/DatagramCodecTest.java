package io.pulse.protocol;

import static io.pulse.protocol.Datagrams.address;
import static io.pulse.protocol.Datagrams.encode;
import static io.pulse.protocol.Datagrams.resized;
import static io.pulse.protocol.Datagrams.with;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.buffer.UnpooledByteBufAllocator;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelOutboundHandlerAdapter;
import io.netty.channel.ChannelPromise;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.channel.socket.DatagramPacket;
import io.pulse.core.Message;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class DatagramCodecTest {
    private static final InetSocketAddress LOCAL = address("127.0.0.1", 7946);
    private static final InetSocketAddress PEER = address("10.0.0.7", 40123);
    private static final Message.Ping PING = new Message.Ping(42, 1_700_000_000_123_456_789L);

    /**
     * For the tests that look at the chunk behind a datagram: Netty's leak detector wraps about one
     * allocation in 128, and the slices of a wrapped chunk each in a wrapper of their own, which
     * would hide the chunk from {@code unwrap()} in that one run.
     */
    private static final UnpooledByteBufAllocator NO_LEAK_SAMPLING = new UnpooledByteBufAllocator(true, true);

    private final RejectCounters rejects = new RejectCounters();
    private final DatagramCodec codec = new DatagramCodec(rejects);
    private final EmbeddedChannel channel = new EmbeddedChannel(codec);

    @AfterEach
    void noLeftoversOrErrors() {
        channel.checkException();
        assertFalse(channel.finishAndReleaseAll(), "messages left in the channel");
    }

    @Test
    void validDatagramBecomesAnEnvelopeFromItsSender() {
        DatagramPacket packet = inbound(encode(PING));

        assertTrue(channel.writeInbound(packet));

        assertEquals(new Envelope(PEER, PING), channel.readInbound());
        assertEquals(0, packet.refCnt());
        assertEquals(0, rejects.total());
    }

    /** The reasons of a codec with a keyring: {@link DatagramAuthTest}. */
    @ParameterizedTest
    @EnumSource(
            value = RejectReason.class,
            mode = EnumSource.Mode.EXCLUDE,
            names = {"UNAUTHENTICATED", "UNKNOWN_KEY", "BAD_MAC", "STALE", "REPLAYED"})
    void malformedDatagramIsCountedAndDroppedAndTheChannelStaysOpen(RejectReason reason) {
        DatagramPacket packet = inbound(malformed(reason));

        assertFalse(channel.writeInbound(packet));

        assertNull(channel.readInbound());
        assertEquals(1, rejects.count(reason));
        assertEquals(1, rejects.total());
        assertEquals(0, packet.refCnt());
        assertTrue(channel.isOpen());
    }

    @Test
    void datagramsAfterARejectedOneStillDecode() {
        channel.writeInbound(inbound(malformed(RejectReason.BAD_MAGIC)));
        channel.writeInbound(inbound(encode(PING)));

        assertEquals(new Envelope(PEER, PING), channel.readInbound());
        assertEquals(1, rejects.total());
    }

    @Test
    void envelopeBecomesADatagramToItsPeer() {
        Message.PingReq request = new Message.PingReq(43, address("2001:db8::7", 7946), Duration.ofMillis(500));

        assertTrue(channel.writeOutbound(new Envelope(PEER, request)));

        DatagramPacket packet = channel.readOutbound();
        try {
            assertEquals(PEER, packet.recipient());
            assertArrayEquals(encode(request), ByteBufUtil.getBytes(packet.content()));
        } finally {
            packet.release();
        }
    }

    @Test
    void codecsOfManyChannelsCountIntoOneRejectCounters() {
        EmbeddedChannel other = new EmbeddedChannel(new DatagramCodec(rejects));
        try {
            other.writeInbound(inbound(malformed(RejectReason.TRUNCATED)));
            channel.writeInbound(inbound(malformed(RejectReason.TRUNCATED)));
            assertEquals(2, rejects.count(RejectReason.TRUNCATED));
        } finally {
            assertFalse(other.finishAndReleaseAll());
        }
    }

    @Test
    void datagramsOfOneFlushShareABufferThatTheLastOneToBeSentReleases() {
        channel.config().setAllocator(NO_LEAK_SAMPLING);
        Message.Ack ack = new Message.Ack(7, 1L, 2L, 3L, 4L);
        channel.write(new Envelope(PEER, PING));
        channel.write(new Envelope(LOCAL, ack));
        channel.flush();
        channel.writeAndFlush(new Envelope(PEER, PING)); // after the flush: a new chunk

        DatagramPacket first = channel.readOutbound();
        DatagramPacket second = channel.readOutbound();
        DatagramPacket third = channel.readOutbound();
        ByteBuf shared = first.content().unwrap();
        assertSame(shared, second.content().unwrap());
        assertNotSame(shared, third.content().unwrap());
        assertArrayEquals(encode(PING), ByteBufUtil.getBytes(first.content()));
        assertArrayEquals(encode(ack), ByteBufUtil.getBytes(second.content()));
        assertEquals(LOCAL, second.recipient());
        assertArrayEquals(encode(PING), ByteBufUtil.getBytes(third.content()));

        first.release();
        assertEquals(1, shared.refCnt(), "still held by the second datagram");
        second.release();
        assertEquals(0, shared.refCnt());
        ByteBuf alone = third.content().unwrap();
        third.release();
        assertEquals(0, alone.refCnt());
    }

    @Test
    void aChunkWrittenButNeverFlushedIsReleasedWithTheChannel() {
        List<ByteBuf> chunks = new ArrayList<>();
        ChannelOutboundHandlerAdapter spy = new ChannelOutboundHandlerAdapter() {
            @Override
            public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise) {
                chunks.add(((DatagramPacket) msg).content().unwrap());
                ctx.write(msg, promise);
            }
        };
        EmbeddedChannel unflushed = new EmbeddedChannel(spy, new DatagramCodec(rejects));
        unflushed.config().setAllocator(NO_LEAK_SAMPLING);
        unflushed.write(new Envelope(PEER, PING));
        assertEquals(2, chunks.get(0).refCnt(), "the codec's and the pending datagram's");

        assertFalse(unflushed.finishAndReleaseAll());
        assertEquals(0, chunks.get(0).refCnt());
    }

    @Test
    void aBurstOfThreeChunksGoesOutWholeAndFreesThemAll() {
        channel.config().setAllocator(NO_LEAK_SAMPLING);
        int count = DatagramCodec.CHUNK_BYTES / WireFormat.encodedSize(PING) * 3;
        for (int i = 0; i < count; i++) {
            channel.write(new Envelope(PEER, new Message.Ping(i, i)));
        }
        channel.flush();
        Set<ByteBuf> chunks = Collections.newSetFromMap(new IdentityHashMap<>());
        for (int i = 0; i < count; i++) {
            DatagramPacket packet = channel.readOutbound();
            chunks.add(packet.content().unwrap());
            try {
                assertArrayEquals(encode(new Message.Ping(i, i)), ByteBufUtil.getBytes(packet.content()));
            } finally {
                packet.release();
            }
        }
        assertEquals(3, chunks.size());
        chunks.forEach(chunk -> assertEquals(0, chunk.refCnt()));
    }

    private static DatagramPacket inbound(byte[] datagram) {
        return new DatagramPacket(Unpooled.wrappedBuffer(datagram), LOCAL, PEER);
    }

    /** A datagram rejected for {@code reason}; a new reason does not compile until it has one. */
    private static byte[] malformed(RejectReason reason) {
        byte[] ping = encode(PING);
        return switch (reason) {
            case OVERSIZE -> resized(ping, WireFormat.MAX_DATAGRAM_BYTES + 1);
            case TRUNCATED -> resized(ping, ping.length - 1);
            case TRAILING_BYTES -> resized(ping, ping.length + 1);
            case BAD_MAGIC -> with(ping, 0, 0);
            case UNSUPPORTED_VERSION -> with(ping, 2, 1);
            case UNKNOWN_TYPE -> with(ping, 3, 17);
            case UNSUPPORTED_AUTH -> with(ping, 4, 1);
            case BAD_FIELD -> with(encode(new Message.Nack(42, PEER)), 16, 5); // address family 5
            case UNAUTHENTICATED, UNKNOWN_KEY, BAD_MAC, STALE, REPLAYED ->
                throw new IllegalArgumentException(reason + " needs a keyring");
        };
    }
}
