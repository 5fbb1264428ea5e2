package io.pulse.protocol;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.pulse.core.ConfigRef;
import io.pulse.core.Message;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * Writes {@link WireFormatFuzzTest}'s seeds: every message type of the current wire version,
 * encoded, and each of them signed as the fuzz test's receiver expects. Run it from the repository's
 * top directory after a wire format change:
 *
 * <pre>{@code
 * mvn -B -q -pl src/engine -am test-compile dependency:build-classpath -Dmdep.outputFile=/tmp/cp.txt
 * java -cp "src/engine/target/test-classes:src/engine/target/classes:$(cat /tmp/cp.txt)" io.pulse.protocol.WireFormatFuzzSeeds
 * }</pre>
 */
public final class WireFormatFuzzSeeds {
    private static final Path INPUTS =
            Path.of("src/engine/src/test/resources/io/pulse/protocol/WireFormatFuzzTestInputs");
    private static final ConfigRef C = new ConfigRef(7, 0x1234_5678_9abc_def0L);
    private static final InetSocketAddress TARGET = new InetSocketAddress("10.0.0.9", 7946);

    private WireFormatFuzzSeeds() {}

    /** PING, ACK, PING_REQ and NACK, in and out of a cluster. */
    static List<Message> staticMessages() {
        return List.of(
                new Message.Ping(1, 1_700_000_000_000_000_000L, ConfigRef.NONE),
                new Message.Ping(2, 1_700_000_000_000_000_000L, C),
                new Message.Ack(
                        3, 1_700_000_000_000_000_000L, 1_700_000_000_001_000_000L, 1_700_000_000_002_000_000L, 5, C),
                new Message.PingReq(4, TARGET, Duration.ofMillis(500)),
                new Message.Nack(5, TARGET));
    }

    public static void main(String[] args) throws IOException {
        write("decode", "static", staticMessages(), null);
        write("decodeMembership", "cluster", ClusterWireFormatTest.clusterMessages(), null);
        DatagramAuth signer = DatagramAuth.create(
                WireFormatFuzzTest.KEYRING, DatagramAuth.Mode.REQUIRED, WireFormatFuzzTest.SENDER, 1);
        write("decodeSigned", "static", staticMessages(), signer);
        write("decodeSigned", "cluster", ClusterWireFormatTest.clusterMessages(), signer);
    }

    private static void write(String method, String prefix, List<Message> messages, DatagramAuth signer)
            throws IOException {
        Path dir = INPUTS.resolve(method);
        Files.createDirectories(dir);
        for (int i = 0; i < messages.size(); i++) {
            Message message = messages.get(i);
            ByteBuf buf = Unpooled.buffer(WireFormat.MAX_DATAGRAM_BYTES);
            try {
                WireFormat.encode(message, buf);
                if (signer != null) {
                    signer.sign(buf, 0);
                }
                String name = prefix + "-" + message.getClass().getSimpleName().toLowerCase() + "-" + i;
                Files.write(dir.resolve(name), ByteBufUtil.getBytes(buf));
            } finally {
                buf.release();
            }
        }
    }
}
