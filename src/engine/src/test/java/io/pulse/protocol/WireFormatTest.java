package io.pulse.protocol;

import static io.pulse.protocol.Datagrams.address;
import static io.pulse.protocol.Datagrams.assertRejected;
import static io.pulse.protocol.Datagrams.decode;
import static io.pulse.protocol.Datagrams.decodeOrReject;
import static io.pulse.protocol.Datagrams.encode;
import static io.pulse.protocol.Datagrams.reject;
import static io.pulse.protocol.Datagrams.resized;
import static io.pulse.protocol.Datagrams.with;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.pulse.core.Message;
import java.time.Duration;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

class WireFormatTest {
    private static final long T0 = 1_700_000_000_123_456_789L;
    private static final Message.Ping PING = new Message.Ping(42, T0);
    private static final Message.PingReq PING_REQ_V4 =
            new Message.PingReq(43, address("10.0.0.7", 7946), Duration.ofMillis(500));
    private static final Message.PingReq PING_REQ_V6 =
            new Message.PingReq(44, address("2001:db8::7", 65535), Message.PingReq.MAX_TIMEOUT);
    private static final Message.Nack NACK_V4 = new Message.Nack(43, address("10.0.0.7", 7946));
    private static final Message.Nack NACK_V6 = new Message.Nack(44, address("2001:db8::7", 1));

    /** One of each type and address family, plus extreme values of every field. */
    static List<Message> validMessages() {
        return List.of(
                PING,
                new Message.Ping(-1, Long.MIN_VALUE),
                new Message.Ack(42, T0, T0 + 1_000, T0 + 2_000, 7),
                new Message.Ack(Long.MAX_VALUE, Long.MIN_VALUE, -1, 0, Long.MAX_VALUE),
                new Message.Ping(7, T0, new io.pulse.core.ConfigRef(3, -1)),
                new Message.Ack(7, T0, T0, T0, 1, new io.pulse.core.ConfigRef(Long.MAX_VALUE, 0x0102030405060708L)),
                PING_REQ_V4,
                PING_REQ_V6,
                new Message.PingReq(45, address("10.0.0.7", 1), Duration.ofMillis(1)),
                NACK_V4,
                NACK_V6);
    }

    @ParameterizedTest
    @MethodSource("validMessages")
    void roundTrips(Message message) throws MalformedDatagramException {
        assertEquals(message, decode(encode(message)));
    }

    @ParameterizedTest
    @MethodSource("validMessages")
    void encodedSizeIsWhatEncodeWritesAtTheWriterIndex(Message message) {
        ByteBuf buf = Unpooled.buffer();
        try {
            buf.writeZero(3);
            WireFormat.encode(message, buf);
            assertEquals(WireFormat.encodedSize(message), buf.writerIndex() - 3);
        } finally {
            buf.release();
        }
    }

    @Test
    void sizesAreThoseOfTheSpec() {
        assertEquals(64, WireFormat.encodedSize(PING));
        assertEquals(64, WireFormat.encodedSize(new Message.Ack(1, 2, 3, 4, 5)));
        assertEquals(64, WireFormat.encodedSize(PING_REQ_V4));
        assertEquals(64, WireFormat.encodedSize(PING_REQ_V6));
        assertEquals(23, WireFormat.encodedSize(NACK_V4));
        assertEquals(35, WireFormat.encodedSize(NACK_V6));
    }

    @Test
    void pingGoldenVector() {
        byte[] expected = bytes(
                0x50, 0x55, // magic "PU"
                0x03, // version 3
                0x01, // type PING
                0x00, 0x00, 0x00, 0x00, // flags, key id, MAC length
                0x01, 0x02, 0x03, 0x04, 0x05, 0x06, 0x07, 0x08, // sequence
                0x11, 0x22, 0x33, 0x44, 0x55, 0x66, 0x77, 0x88, // t0 sent
                0, 0, 0, 0, 0, 0, 0, 5, // configuration epoch 5
                0x0a, 0x0b, 0x0c, 0x0d, 0x0e, 0x0f, 0x10, 0x11, // configuration id
                0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, // padding to the ACK's 48 bytes of body
                0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0);
        assertArrayEquals(
                expected,
                encode(new Message.Ping(
                        0x0102030405060708L,
                        0x1122334455667788L,
                        new io.pulse.core.ConfigRef(5, 0x0a0b0c0d0e0f1011L))));
    }

    @Test
    void pingReqGoldenVector() {
        byte[] expected = bytes(
                0x50, 0x55, 0x03, 0x03, 0x00, 0x00, 0x00, 0x00, // header, type PING_REQ
                0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x2b, // sequence 43
                0x00, 0x00, 0x01, 0xf4, // timeout 500 ms
                0x04, 0x0a, 0x00, 0x00, 0x07, // IPv4 10.0.0.7
                0x1f, 0x0a, // port 7946
                0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, // padding to the PING's 64 bytes
                0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0);
        assertArrayEquals(expected, encode(PING_REQ_V4));
    }

    @ParameterizedTest
    @MethodSource("validMessages")
    void everyTruncationIsRejected(Message message) {
        byte[] whole = encode(message);
        for (int length = 0; length < whole.length; length++) {
            assertEquals(
                    RejectReason.TRUNCATED,
                    reject(resized(whole, length)).reason(),
                    "first " + length + " of " + whole.length + " bytes");
        }
    }

    @Test
    void truncationMessagesSayWhatWasMissing() {
        assertRejected(RejectReason.TRUNCATED, "datagram of 0 bytes (expected: at least 16)", new byte[0]);
        assertRejected(
                RejectReason.TRUNCATED, "datagram of 15 bytes (expected: at least 16)", resized(encode(PING), 15));
        assertRejected(
                RejectReason.TRUNCATED,
                "PING body cut short: 47 bytes left (expected: at least 48)",
                resized(encode(PING), 63));
        assertRejected(
                RejectReason.TRUNCATED,
                "PING body cut short: 32 bytes left (expected: at least 48)",
                resized(encode(PING), 48)); // a version-2 PING, had its version byte been 3
        assertRejected(
                RejectReason.TRUNCATED,
                "PING_REQ body cut short: 17 bytes left (expected: at least 18)",
                resized(encode(PING_REQ_V6), 38));
        assertRejected(
                RejectReason.TRUNCATED,
                "PING_REQ body cut short: 24 bytes left (expected: at least 25)",
                resized(encode(PING_REQ_V6), 63));
        assertRejected(
                RejectReason.TRUNCATED,
                "NACK body cut short: 0 bytes left (expected: at least 1)",
                resized(encode(NACK_V4), 16));
    }

    @ParameterizedTest
    @MethodSource("validMessages")
    void trailingByteIsRejected(Message message) {
        byte[] whole = encode(message);
        assertEquals(
                RejectReason.TRAILING_BYTES,
                reject(resized(whole, whole.length + 1)).reason());
    }

    @Test
    void trailingBytesMessageCountsThem() {
        assertRejected(
                RejectReason.TRAILING_BYTES, "3 bytes after the message (expected: none)", resized(encode(PING), 67));
    }

    @Test
    void oversizeIsCheckedFirstAndTheLimitIsInclusive() {
        assertRejected(
                RejectReason.OVERSIZE, "datagram of 1401 bytes (expected: at most 1400)", resized(encode(PING), 1401));
        assertRejected(
                RejectReason.TRAILING_BYTES,
                "1336 bytes after the message (expected: none)",
                resized(encode(PING), 1400));
    }

    @ParameterizedTest
    @CsvSource({
        "0x51, 0x55, magic 0x5155 (expected: 0x5055)",
        "0x50, 0x56, magic 0x5056 (expected: 0x5055)",
        "0xff, 0xff, magic 0xffff (expected: 0x5055)"
    })
    void wrongMagicIsRejected(String first, String second, String text) {
        byte[] datagram = with(with(encode(PING), 0, Integer.decode(first)), 1, Integer.decode(second));
        assertRejected(RejectReason.BAD_MAGIC, text, datagram);
    }

    @ParameterizedTest
    @ValueSource(ints = {0, 1, 2, 4, 255})
    void otherVersionsAreRejected(int version) {
        assertRejected(
                RejectReason.UNSUPPORTED_VERSION,
                "version " + version + " (expected: 3)",
                with(encode(PING), 2, version));
    }

    @ParameterizedTest
    @ValueSource(ints = {0, 17, 255})
    void unknownTypesAreRejected(int type) {
        assertRejected(
                RejectReason.UNKNOWN_TYPE, "message type " + type + " (expected: 1..16)", with(encode(PING), 3, type));
    }

    @ParameterizedTest
    @CsvSource({"4, 0x01", "4, 0x02", "4, 0x80", "5, 0x01", "6, 0x01", "7, 0x01"})
    void anyAuthenticationFieldIsRejected(int offset, String value) {
        assertRejected(
                RejectReason.UNSUPPORTED_AUTH,
                "flags, key id or MAC length set (expected: all 0 in an unsigned version-3 datagram)",
                with(encode(PING), offset, Integer.decode(value)));
    }

    @ParameterizedTest
    @ValueSource(longs = {0, 60_001, 0xffff_ffffL})
    void pingReqTimeoutOutOfRangeIsRejected(long timeoutMillis) {
        byte[] datagram = encode(PING_REQ_V4);
        for (int i = 0; i < 4; i++) {
            datagram[16 + i] = (byte) (timeoutMillis >>> (24 - 8 * i));
        }
        assertRejected(
                RejectReason.BAD_FIELD, "PING_REQ timeout " + timeoutMillis + " ms (expected: 1..60000)", datagram);
    }

    @ParameterizedTest
    @ValueSource(ints = {0, 5, 255})
    void unknownAddressFamilyIsRejected(int family) {
        assertRejected(
                RejectReason.BAD_FIELD,
                "PING_REQ address family " + family + " (expected: 4 or 6)",
                with(encode(PING_REQ_V4), 20, family));
        assertRejected(
                RejectReason.BAD_FIELD,
                "NACK address family " + family + " (expected: 4 or 6)",
                with(encode(NACK_V6), 16, family));
    }

    @Test
    void addressFamilyDecidesTheAddressLength() {
        assertRejected(
                RejectReason.TRUNCATED,
                "NACK body cut short: 6 bytes left (expected: at least 18)",
                with(encode(NACK_V4), 16, 6));
        // Read as IPv4, 2001:db8:1::7 is 32.1.13.184 port 1, then 12 bytes too many.
        assertRejected(
                RejectReason.TRAILING_BYTES,
                "12 bytes after the message (expected: none)",
                with(encode(new Message.Nack(44, address("2001:db8:1::7", 1))), 16, 4));
    }

    @Test
    void portZeroIsRejected() {
        assertRejected(
                RejectReason.BAD_FIELD,
                "PING_REQ port 0 (expected: 1..65535)",
                with(with(encode(PING_REQ_V4), 25, 0), 26, 0));
        assertRejected(
                RejectReason.BAD_FIELD, "NACK port 0 (expected: 1..65535)", with(with(encode(NACK_V6), 33, 0), 34, 0));
    }

    @Test
    void decodeStartsAtTheReaderIndexAndLeavesTheBufferToItsOwner() throws MalformedDatagramException {
        ByteBuf buf = Unpooled.buffer();
        try {
            buf.writeBytes(bytes(0xde, 0xad)).writeBytes(encode(PING)).skipBytes(2);
            assertEquals(PING, WireFormat.decode(buf));
            assertEquals(1, buf.refCnt());
        } finally {
            buf.release();
        }
    }

    /** Noise: almost all of it fails the magic check, and nothing may fail any other way. */
    @Test
    void randomBytesDecodeOrAreRejected() {
        Random random = new Random(0x5055_0001L);
        for (int i = 0; i < 100_000; i++) {
            byte[] datagram = new byte[random.nextInt(1501)];
            random.nextBytes(datagram);
            decodeOrReject(datagram, "random input " + i);
        }
    }

    /** Edits of valid messages reach every check; whatever decodes re-encodes to the same bytes. */
    @Test
    void mutatedMessagesDecodeExactlyOrAreRejected() {
        List<byte[]> seeds = java.util.stream.Stream.concat(
                        validMessages().stream(), ClusterWireFormatTest.clusterMessages().stream())
                .map(Datagrams::encode)
                .toList();
        Random random = new Random(0x5055_0002L);
        RejectCounters rejects = new RejectCounters();
        int accepted = 0;
        for (int i = 0; i < 100_000; i++) {
            byte[] datagram = mutate(seeds.get(random.nextInt(seeds.size())), random);
            RejectReason reason = decodeOrReject(datagram, "mutation " + i);
            if (reason == null) {
                accepted++;
            } else {
                rejects.increment(reason);
            }
        }
        assertTrue(accepted > 0, "no mutation decoded");
        rejects.snapshot()
                .forEach((reason, count) ->
                        assertTrue(count > 0 || reason.authentication(), "never rejected as " + reason));
    }

    private static byte[] mutate(byte[] datagram, Random random) {
        byte[] result = datagram;
        for (int edits = 1 + random.nextInt(3); edits > 0; edits--) {
            switch (random.nextInt(7)) {
                case 0, 1 -> result = with(result, random.nextInt(result.length), random.nextInt(256));
                case 2 -> result = result.length > 3 ? with(result, 3, 1 + random.nextInt(6)) : result;
                case 5 ->
                    result = result.length > 4
                            ? with(result, 4, random.nextBoolean() ? 0 : 2)
                            : result; // piggyback flag
                case 6 ->
                    result = result.length > 17 ? with(result, 16 + random.nextInt(2), random.nextInt(8)) : result;
                case 3 -> result = resized(result, random.nextInt(result.length + 2));
                default -> result = resized(result, random.nextInt(1501));
            }
            if (result.length == 0) {
                break;
            }
        }
        return result;
    }

    private static byte[] bytes(int... values) {
        byte[] result = new byte[values.length];
        for (int i = 0; i < values.length; i++) {
            result[i] = (byte) values[i];
        }
        return result;
    }
}
