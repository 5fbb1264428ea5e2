package io.pulse.protocol;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.code_intelligence.jazzer.junit.FuzzTest;
import io.netty.buffer.ByteBufUtil;
import io.pulse.core.Message;

/**
 * The datagram decoder on arbitrary bytes. {@code mvn verify} runs each method once per committed
 * seed under {@code src/test/resources/io/pulse/protocol/WireFormatFuzzTestInputs/<method>/}
 * (valid datagrams made with {@link WireFormat#encode}, and findings once fixed); fuzzing:
 *
 * <pre>{@code
 * JAZZER_FUZZ=1 mvn -B test -Dtest='WireFormatFuzzTest#decode' -Djazzer.max_duration=10m
 * }</pre>
 */
class WireFormatFuzzTest {

    /** Seeds: {@link ClusterWireFormatTest#staticMessages()} encoded (PING, ACK, PING_REQ, NACK). */
    @FuzzTest(maxDuration = "30s")
    void decode(byte[] datagram) {
        decodesOrRejects(datagram);
    }

    /** Seeds: {@link ClusterWireFormatTest#clusterMessages()} encoded (GOSSIP, SYNC, updates piggybacked on 1..4). */
    @FuzzTest(maxDuration = "30s")
    void decodeMembership(byte[] datagram) {
        decodesOrRejects(datagram);
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
            throw new AssertionError("decode threw " + e + " (expected: a Message or MalformedDatagramException); bytes: "
                    + ByteBufUtil.hexDump(datagram), e);
        }
        byte[] again = Datagrams.encode(message);
        try {
            assertEquals(message, Datagrams.decode(again), () -> "bytes " + ByteBufUtil.hexDump(datagram)
                    + " re-encoded as " + ByteBufUtil.hexDump(again));
        } catch (MalformedDatagramException e) {
            throw new AssertionError(message + " from " + ByteBufUtil.hexDump(datagram) + " re-encoded as "
                    + ByteBufUtil.hexDump(again) + ", which is rejected: " + e.getMessage(), e);
        }
    }
}
