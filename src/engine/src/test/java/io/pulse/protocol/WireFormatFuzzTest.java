package io.pulse.protocol;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.code_intelligence.jazzer.junit.FuzzTest;
import io.netty.buffer.ByteBufUtil;
import io.pulse.core.Message;

/**
 * The datagram decoder on arbitrary bytes. {@code mvn verify} runs each method once per committed
 * seed under {@code src/test/resources/io/pulse/protocol/WireFormatFuzzTestInputs/<method>/}
 * (valid datagrams written by {@link WireFormatFuzzSeeds}, and findings once fixed); fuzzing:
 *
 * <pre>{@code
 * JAZZER_FUZZ=1 mvn -B test -Dtest='WireFormatFuzzTest#decode' -Djazzer.max_duration=10m
 * }</pre>
 */
class WireFormatFuzzTest {

    /** Seeds: {@link WireFormatFuzzSeeds#staticMessages()} encoded (PING, ACK, PING_REQ, NACK). */
    @FuzzTest(maxDuration = "30s")
    void decode(byte[] datagram) {
        decodesOrRejects(datagram);
    }

    /** Seeds: {@link ClusterWireFormatTest#clusterMessages()} encoded (ALERT to PUBLISHED). */
    @FuzzTest(maxDuration = "30s")
    void decodeMembership(byte[] datagram) {
        decodesOrRejects(datagram);
    }

    /**
     * Seeds: the static and cluster datagrams signed with {@link #KEYRING} by {@link #SENDER}, boot 1. The MAC check, the replay check and the decoder behind them, with a fresh receiver for
     * each input: an input is accepted, or rejected with {@link MalformedDatagramException}, nothing else.
     */
    @FuzzTest(maxDuration = "30s")
    void decodeSigned(byte[] datagram) {
        DatagramAuth auth = DatagramAuth.create(
                KEYRING, DatagramAuth.Mode.REQUIRED, new java.net.InetSocketAddress("10.0.0.1", 7946), 1);
        io.netty.buffer.ByteBuf buf = io.netty.buffer.Unpooled.wrappedBuffer(datagram);
        try {
            int trailer = auth.verify(buf, SENDER);
            Message message = WireFormat.decode(buf, trailer);
            if (trailer == 0) {
                throw new AssertionError("accepted unsigned in REQUIRED mode: " + message);
            }
        } catch (MalformedDatagramException rejected) {
            // the one other outcome
        } catch (RuntimeException | Error e) {
            throw new AssertionError(
                    "verify or decode threw " + e + " (expected: a Message or MalformedDatagramException); " + "bytes: "
                            + ByteBufUtil.hexDump(datagram),
                    e);
        } finally {
            buf.release();
        }
    }

    /** The key of the signed seeds: 32 bytes of 7, label "fuzz". */
    static final Keyring KEYRING = Keyring.of(new java.util.TreeMap<>(java.util.Map.of(1, filled(7))), 1, "fuzz");

    static final java.net.InetSocketAddress SENDER = new java.net.InetSocketAddress("10.0.0.7", 7946);

    private static byte[] filled(int value) {
        byte[] key = new byte[32];
        java.util.Arrays.fill(key, (byte) value);
        return key;
    }

    /**
     * {@code datagram} decodes to a message or is rejected with {@link MalformedDatagramException},
     * nothing else; what decodes encodes to a datagram that decodes to an equal message.
     */
    private static void decodesOrRejects(byte[] datagram) {
        Message message;
        try {
            message = Datagrams.decode(datagram);
        } catch (MalformedDatagramException rejected) {
            return;
        } catch (RuntimeException | Error e) {
            throw new AssertionError(
                    "decode threw " + e + " (expected: a Message or MalformedDatagramException); bytes: "
                            + ByteBufUtil.hexDump(datagram),
                    e);
        }
        byte[] again = Datagrams.encode(message);
        try {
            assertEquals(
                    message,
                    Datagrams.decode(again),
                    () -> "bytes " + ByteBufUtil.hexDump(datagram) + " re-encoded as " + ByteBufUtil.hexDump(again));
        } catch (MalformedDatagramException e) {
            throw new AssertionError(
                    message + " from " + ByteBufUtil.hexDump(datagram) + " re-encoded as " + ByteBufUtil.hexDump(again)
                            + ", which is rejected: " + e.getMessage(),
                    e);
        }
    }
}
