package io.pulse.bench;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.pulse.core.Message;
import io.pulse.protocol.MalformedDatagramException;
import io.pulse.protocol.WireFormat;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.time.Duration;
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
 * Encode and decode of one message of each type, in and out of reused direct buffers (what the
 * transport's allocator hands the codec). Target: at most 100 ns per operation.
 *
 * <pre>{@code
 * mvn -Pbench test-compile exec:exec -Dbench.args="-f 1 -wi 3 -w 1s -i 5 -r 1s CodecBenchmark"
 * }</pre>
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class CodecBenchmark {
    @Param({"PING", "ACK", "PING_REQ_V4", "PING_REQ_V6", "NACK_V4", "NACK_V6"})
    public String type;

    private Message message;
    private ByteBuf encodeBuffer;
    private ByteBuf encoded;

    @Setup
    public void setUp() throws UnknownHostException {
        long now = 1_700_000_000_123_456_789L;
        InetSocketAddress v4 = new InetSocketAddress(InetAddress.getByName("10.0.0.7"), 7946);
        InetSocketAddress v6 = new InetSocketAddress(InetAddress.getByName("2001:db8::7"), 7946);
        message = switch (type) {
            case "PING" -> new Message.Ping(42, now);
            case "ACK" -> new Message.Ack(42, now, now + 1_000, now + 2_000, 7);
            case "PING_REQ_V4" -> new Message.PingReq(42, v4, Duration.ofMillis(500));
            case "PING_REQ_V6" -> new Message.PingReq(42, v6, Duration.ofMillis(500));
            case "NACK_V4" -> new Message.Nack(42, v4);
            case "NACK_V6" -> new Message.Nack(42, v6);
            default -> throw new IllegalArgumentException("type " + type);
        };
        encodeBuffer = Unpooled.directBuffer(WireFormat.MAX_DATAGRAM_BYTES);
        encoded = Unpooled.directBuffer(WireFormat.MAX_DATAGRAM_BYTES);
        WireFormat.encode(message, encoded);
    }

    @TearDown
    public void tearDown() {
        encodeBuffer.release();
        encoded.release();
    }

    /** Returns the buffer so the writes into it stay observable. */
    @Benchmark
    public ByteBuf encode() {
        encodeBuffer.clear();
        WireFormat.encode(message, encodeBuffer);
        return encodeBuffer;
    }

    @Benchmark
    public Message decode() throws MalformedDatagramException {
        encoded.readerIndex(0);
        return WireFormat.decode(encoded);
    }
}
