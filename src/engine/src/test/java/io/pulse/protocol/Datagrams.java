package io.pulse.protocol;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.fail;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.pulse.core.Message;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.util.Arrays;

/** Byte-array front ends to {@link WireFormat}, for the tests of every package; every buffer is released before they return. */
public final class Datagrams {
    private Datagrams() {}

    public static byte[] encode(Message message) {
        ByteBuf buf = Unpooled.buffer(WireFormat.MAX_DATAGRAM_BYTES);
        try {
            WireFormat.encode(message, buf);
            return ByteBufUtil.getBytes(buf);
        } finally {
            buf.release();
        }
    }

    static Message decode(byte[] datagram) throws MalformedDatagramException {
        ByteBuf buf = Unpooled.wrappedBuffer(datagram);
        try {
            return WireFormat.decode(buf);
        } finally {
            buf.release();
        }
    }

    /** A copy of {@code datagram} with the byte at {@code offset} replaced. */
    static byte[] with(byte[] datagram, int offset, int value) {
        byte[] copy = datagram.clone();
        copy[offset] = (byte) value;
        return copy;
    }

    /** A copy of {@code datagram} cut or zero-padded to {@code length} bytes. */
    static byte[] resized(byte[] datagram, int length) {
        return Arrays.copyOf(datagram, length);
    }

    /** An address from an IP literal; no name lookup happens for a literal. */
    static InetSocketAddress address(String ipLiteral, int port) {
        try {
            return new InetSocketAddress(InetAddress.getByName(ipLiteral), port);
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException("not an IP literal: " + ipLiteral, e);
        }
    }

    /** The reason {@code datagram} was rejected, or null if it decoded to a message that re-encodes exactly. */
    static RejectReason decodeOrReject(byte[] datagram, String input) {
        Message message;
        try {
            message = decode(datagram);
        } catch (MalformedDatagramException e) {
            return e.reason();
        } catch (RuntimeException | Error e) {
            throw new AssertionError(input + " threw " + e + "; bytes: " + ByteBufUtil.hexDump(datagram), e);
        }
        if (!Arrays.equals(datagram, encode(message))) {
            fail(input + " decoded to " + message + ", which encodes differently; bytes: "
                    + ByteBufUtil.hexDump(datagram));
        }
        return null;
    }

    static MalformedDatagramException reject(byte[] datagram) {
        return assertThrows(
                MalformedDatagramException.class,
                () -> decode(datagram),
                () -> "accepted " + ByteBufUtil.hexDump(datagram));
    }

    static void assertRejected(RejectReason reason, String text, byte[] datagram) {
        MalformedDatagramException e = reject(datagram);
        assertEquals(reason, e.reason());
        assertEquals(text, e.getMessage());
    }
}
