package io.pulse.protocol;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.pulse.core.ManualClock;
import io.pulse.core.Message;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * The codec with authentication: encode and sign, verify and decode, of a PING and an ACK in
 * reused direct buffers; compare with {@code io.pulse.bench.CodecBenchmark} (the same without a MAC).
 * Verification cycles through {@value #BATCH} datagrams signed a microsecond apart, with a new
 * receiver for every round through them (a datagram seen before would be a replay).
 *
 * <pre>{@code
 * mvn -Pbench test-compile exec:exec -Dbench.args="-f 1 -wi 3 -w 1s -i 5 -r 1s 'CodecBenchmark|AuthCodecBenchmark'"
 * }</pre>
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class AuthCodecBenchmark {
    static final int BATCH = 4096;
    private static final InetSocketAddress SENDER = new InetSocketAddress("10.0.0.7", 7946);

    @Param({"PING", "ACK"})
    public String type;

    private final ManualClock clock = new ManualClock();
    private Keyring keyring;
    private DatagramAuth signer;
    private DatagramAuth receiver;
    private Message message;
    private ByteBuf encodeBuffer;
    private ByteBuf[] signed;
    private int next;

    @Setup
    public void setUp() {
        long now = 1_700_000_000_123_456_789L;
        message =
                type.equals("PING") ? new Message.Ping(42, now) : new Message.Ack(42, now, now + 1_000, now + 2_000, 7);
        keyring = Keyring.of(new TreeMap<>(Map.of(1, new byte[32])), 1, "bench");
        signer = DatagramAuth.create(
                keyring, DatagramAuth.Mode.REQUIRED, new java.net.InetSocketAddress("10.0.0.1", 7946), 1);
        encodeBuffer = Unpooled.directBuffer(WireFormat.MAX_DATAGRAM_BYTES);
        signed = new ByteBuf[BATCH];
        for (int i = 0; i < BATCH; i++) {
            clock.advance(Duration.ofNanos(1_000));
            signed[i] = Unpooled.directBuffer(WireFormat.MAX_DATAGRAM_BYTES);
            WireFormat.encode(message, signed[i]);
            signer.sign(signed[i], 0);
        }
        receiver = DatagramAuth.create(
                keyring, DatagramAuth.Mode.REQUIRED, new java.net.InetSocketAddress("10.0.0.1", 7946), 1);
    }

    @TearDown
    public void tearDown() {
        encodeBuffer.release();
        for (ByteBuf buf : signed) {
            buf.release();
        }
    }

    @Benchmark
    public ByteBuf encodeAndSign() {
        encodeBuffer.clear();
        WireFormat.encode(message, encodeBuffer);
        signer.sign(encodeBuffer, 0);
        return encodeBuffer;
    }

    @Benchmark
    public Message verifyAndDecode() throws MalformedDatagramException {
        if (next == BATCH) {
            next = 0;
            receiver = DatagramAuth.create(
                    keyring, DatagramAuth.Mode.REQUIRED, new java.net.InetSocketAddress("10.0.0.1", 7946), 1);
        }
        ByteBuf datagram = signed[next++];
        datagram.readerIndex(0);
        int trailer = receiver.verify(datagram, SENDER);
        return WireFormat.decode(datagram, trailer);
    }
}
