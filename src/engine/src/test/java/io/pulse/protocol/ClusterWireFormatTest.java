package io.pulse.protocol;

import static io.pulse.protocol.Datagrams.address;
import static io.pulse.protocol.Datagrams.assertRejected;
import static io.pulse.protocol.Datagrams.decode;
import static io.pulse.protocol.Datagrams.encode;
import static io.pulse.protocol.Datagrams.reject;
import static io.pulse.protocol.Datagrams.resized;
import static io.pulse.protocol.Datagrams.with;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.pulse.core.Liveness;
import io.pulse.core.MemberUpdate;
import io.pulse.core.Message;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.IntFunction;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/** Cluster mode on the wire: GOSSIP (5), SYNC (6) and the piggyback flag (0x02) on types 1..4. */
class ClusterWireFormatTest {
    private static final long T0 = 1_700_000_000_123_456_789L;

    private static final InetSocketAddress A4 = address("10.0.0.1", 7946);
    private static final InetSocketAddress B4 = address("10.0.0.2", 7946);
    private static final InetSocketAddress C4 = address("192.168.255.254", 65535);
    private static final InetSocketAddress A6 = address("2001:db8::1", 7946);
    private static final InetSocketAddress B6 = address("fd00:ffff::2", 1);

    /** 23 bytes on the wire. */
    private static final MemberUpdate V4 = new MemberUpdate(A4, Liveness.SUSPECT, 17, B4);
    /** 47 bytes on the wire. */
    private static final MemberUpdate V6 = new MemberUpdate(A6, Liveness.ALIVE, 1, B6);
    /** 35 bytes: IPv4 member, IPv6 origin. */
    private static final MemberUpdate V4_FROM_V6 = new MemberUpdate(C4, Liveness.DEAD, Long.MAX_VALUE, A6);
    /** 35 bytes: IPv6 member, IPv4 origin. */
    private static final MemberUpdate V6_FROM_V4 = new MemberUpdate(B6, Liveness.LEFT, 3, C4);

    private static final Message.Ping PING = new Message.Ping(42, T0);
    private static final Message.Ack ACK = new Message.Ack(42, T0, T0 + 1_000, T0 + 2_000, 7);
    private static final Message.PingReq PING_REQ_V4 = new Message.PingReq(43, A4, Duration.ofMillis(500));
    private static final Message.PingReq PING_REQ_V6 = new Message.PingReq(44, A6, Message.PingReq.MAX_TIMEOUT);
    private static final Message.Nack NACK_V4 = new Message.Nack(45, B4);
    private static final Message.Nack NACK_V6 = new Message.Nack(46, B6);

    private static final Message.Gossip GOSSIP_V4 = new Message.Gossip(5, List.of(V4));
    private static final Message.Sync SYNC_V4 = new Message.Sync(6, false, 0, 1, List.of(V4));
    private static final Message.Piggybacked PIGGYBACKED_PING_V4 = new Message.Piggybacked(PING, List.of(V4));

    private static final String AUTH_TEXT =
            "flags other than piggyback, key id or MAC length set (expected: all 0 in version 2)";

    static List<Message> clusterMessages() {
        List<MemberUpdate> all = List.of(V4, V6, V4_FROM_V6, V6_FROM_V4);
        return List.of(
                GOSSIP_V4,
                new Message.Gossip(7, List.of(V6)),
                new Message.Gossip(-1, all),
                new Message.Gossip(Long.MAX_VALUE, List.of(V4_FROM_V6, V6_FROM_V4)),
                SYNC_V4,
                new Message.Sync(8, true, 0, 1, List.of(V6)),
                new Message.Sync(9, true, 0, 3, all),
                new Message.Sync(9, false, 2, 3, List.of(V6_FROM_V4)),
                new Message.Sync(Long.MIN_VALUE, false, 65_534, Message.Sync.MAX_PAGES, List.of(V4_FROM_V6)),
                PIGGYBACKED_PING_V4,
                new Message.Piggybacked(new Message.Ping(-1, Long.MIN_VALUE), all),
                new Message.Piggybacked(ACK, List.of(V6)),
                new Message.Piggybacked(
                        new Message.Ack(Long.MAX_VALUE, Long.MIN_VALUE, -1, 0, Long.MAX_VALUE),
                        List.of(V4, V4_FROM_V6)),
                new Message.Piggybacked(PING_REQ_V4, List.of(V6_FROM_V4)),
                new Message.Piggybacked(PING_REQ_V6, all),
                new Message.Piggybacked(NACK_V4, List.of(V4)),
                new Message.Piggybacked(NACK_V6, List.of(V6, V4)));
    }

    static List<Message> staticMessages() {
        return List.of(PING, ACK, PING_REQ_V4, PING_REQ_V6, NACK_V4, NACK_V6);
    }

    // ---- round trips and sizes ----

    @ParameterizedTest
    @MethodSource("clusterMessages")
    void roundTrips(Message message) throws MalformedDatagramException {
        assertEquals(message, decode(encode(message)));
    }

    @Test
    void roundTripKeepsTheKindOfEachPart() throws MalformedDatagramException {
        Message.Piggybacked back = assertInstanceOf(
                Message.Piggybacked.class, decode(encode(new Message.Piggybacked(PING_REQ_V6, List.of(V4, V6)))));
        assertEquals(PING_REQ_V6, back.message());
        assertEquals(List.of(V4, V6), back.updates());
        assertEquals(44, back.sequence());

        Message.Sync sync =
                assertInstanceOf(Message.Sync.class, decode(encode(new Message.Sync(9, true, 1, 2, List.of(V6, V4)))));
        assertEquals(9, sync.sequence());
        assertTrue(sync.replyWanted());
        assertEquals(1, sync.page());
        assertEquals(2, sync.pages());
        assertEquals(List.of(V6, V4), sync.members());
    }

    @ParameterizedTest
    @EnumSource(
            value = Liveness.class,
            names = {"ALIVE", "SUSPECT", "DEAD", "LEFT"})
    void everySentStateRoundTrips(Liveness state) throws MalformedDatagramException {
        Message gossip = new Message.Gossip(1, List.of(new MemberUpdate(A4, state, 1, A4)));
        assertEquals(gossip, decode(encode(gossip)));
    }

    @ParameterizedTest
    @CsvSource({"ALIVE, 1", "SUSPECT, 2", "DEAD, 3", "LEFT, 4"})
    void stateCodesAreThoseOfTheSpec(Liveness state, int code) {
        assertEquals(code, encode(new Message.Gossip(1, List.of(new MemberUpdate(A4, state, 1, A4))))[17]);
    }

    @ParameterizedTest
    @MethodSource("clusterMessages")
    void encodedSizeIsWhatEncodeWritesAtTheWriterIndex(Message message) {
        ByteBuf buf = Unpooled.buffer();
        try {
            buf.writeZero(3);
            WireFormat.encode(message, buf);
            assertEquals(WireFormat.encodedSize(message), buf.writerIndex() - 3);
            assertEquals(0, buf.readerIndex());
        } finally {
            buf.release();
        }
    }

    @ParameterizedTest
    @MethodSource("clusterMessages")
    void encodedSizeIsTheBodyPlusTheUpdatesWireBytes(Message message) {
        List<MemberUpdate> updates;
        int rest;
        if (message instanceof Message.Gossip gossip) {
            updates = gossip.updates();
            rest = WireFormat.HEADER_BYTES;
        } else if (message instanceof Message.Sync sync) {
            updates = sync.members();
            rest = WireFormat.HEADER_BYTES + 5;
        } else {
            Message.Piggybacked piggybacked = (Message.Piggybacked) message;
            updates = piggybacked.updates();
            rest = WireFormat.encodedSize(piggybacked.message());
        }
        int sum = updates.stream().mapToInt(MemberUpdate::wireBytes).sum();
        assertEquals(rest + 1 + sum, WireFormat.encodedSize(message));
        assertEquals(rest + 1 + sum, encode(message).length);
    }

    @Test
    void updateWireBytesAreThoseOfTheSpec() {
        assertEquals(9, MemberUpdate.FIXED_WIRE_BYTES);
        assertEquals(7, MemberUpdate.addressWireBytes(A4));
        assertEquals(19, MemberUpdate.addressWireBytes(A6));
        assertEquals(23, V4.wireBytes());
        assertEquals(47, V6.wireBytes());
        assertEquals(35, V4_FROM_V6.wireBytes());
        assertEquals(35, V6_FROM_V4.wireBytes());
    }

    @Test
    void sizesAreThoseOfTheSpec() {
        assertEquals(16 + 1 + 23, WireFormat.encodedSize(GOSSIP_V4));
        assertEquals(16 + 5 + 1 + 23, WireFormat.encodedSize(SYNC_V4));
        assertEquals(48 + 1 + 23, WireFormat.encodedSize(PIGGYBACKED_PING_V4));
        assertEquals(48 + 1 + 47, WireFormat.encodedSize(new Message.Piggybacked(ACK, List.of(V6))));
        assertEquals(48 + 1 + 23 + 47, WireFormat.encodedSize(new Message.Piggybacked(PING_REQ_V4, List.of(V4, V6))));
        assertEquals(48 + 1 + 35, WireFormat.encodedSize(new Message.Piggybacked(PING_REQ_V6, List.of(V4_FROM_V6))));
        assertEquals(23 + 1 + 35, WireFormat.encodedSize(new Message.Piggybacked(NACK_V4, List.of(V6_FROM_V4))));
        assertEquals(35 + 1 + 23, WireFormat.encodedSize(new Message.Piggybacked(NACK_V6, List.of(V4))));
    }

    // ---- golden vectors ----

    @Test
    void gossipGoldenVector() {
        byte[] expected = bytes(
                0x50, 0x55, 0x02, 0x05, 0x00, 0x00, 0x00, 0x00, // header, type GOSSIP, no flags
                0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x05, // sequence 5
                0x01, // 1 update
                0x02, // SUSPECT
                0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x11, // incarnation 17
                0x04, 0x0a, 0x00, 0x00, 0x01, 0x1f, 0x0a, // member 10.0.0.1:7946
                0x04, 0x0a, 0x00, 0x00, 0x02, 0x1f, 0x0a); // origin 10.0.0.2:7946
        assertArrayEquals(expected, encode(GOSSIP_V4));
    }

    @Test
    void syncGoldenVector() {
        byte[] expected = bytes(
                0x50, 0x55, 0x02, 0x06, 0x00, 0x00, 0x00, 0x00, // header, type SYNC, no flags
                0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x09, // sequence 9
                0x01, // reply wanted
                0x01, 0x02, // page 258
                0x01, 0x03, // of 259
                0x01, // 1 update
                0x01, // ALIVE
                0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x01, // incarnation 1
                0x06, 0x20, 0x01, 0x0d, 0xb8, 0x00, 0x00, 0x00, 0x00, // member 2001:db8::1
                0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x01, 0x1f, 0x0a, //   port 7946
                0x06, 0xfd, 0x00, 0xff, 0xff, 0x00, 0x00, 0x00, 0x00, // origin fd00:ffff::2
                0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x02, 0x00, 0x01); //   port 1
        assertArrayEquals(expected, encode(new Message.Sync(9, true, 258, 259, List.of(V6))));
        assertEquals(0x00, encode(new Message.Sync(9, false, 258, 259, List.of(V6)))[16]);
    }

    @Test
    void piggybackedPingGoldenVector() {
        byte[] expected = bytes(
                0x50, 0x55, 0x02, 0x01, // magic, version, type PING
                0x02, 0x00, 0x00, 0x00, // flags: piggyback; key id, MAC length
                0x01, 0x02, 0x03, 0x04, 0x05, 0x06, 0x07, 0x08, // sequence
                0x11, 0x22, 0x33, 0x44, 0x55, 0x66, 0x77, 0x88, // t0 sent
                0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, // padding
                0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0x01, // 1 update
                0x02, // SUSPECT
                0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x11, // incarnation 17
                0x04, 0x0a, 0x00, 0x00, 0x01, 0x1f, 0x0a, // member 10.0.0.1:7946
                0x04, 0x0a, 0x00, 0x00, 0x02, 0x1f, 0x0a); // origin 10.0.0.2:7946
        assertArrayEquals(
                expected,
                encode(new Message.Piggybacked(
                        new Message.Ping(0x0102030405060708L, 0x1122334455667788L), List.of(V4))));
    }

    // ---- static mode unchanged ----

    @Test
    void staticPingHasNoFlags() {
        byte[] now = encode(new Message.Ping(0x0102030405060708L, 0x1122334455667788L));
        assertEquals(48, now.length);
        assertEquals(0, now[4]);
    }

    @ParameterizedTest
    @MethodSource("staticMessages")
    void staticMessagesHaveNoFlagsAndNoUpdates(Message message) throws MalformedDatagramException {
        byte[] datagram = encode(message);
        assertEquals(0, datagram[4]);
        assertEquals(WireFormat.encodedSize(message), datagram.length);
        assertEquals(message, decode(datagram));
    }

    @ParameterizedTest
    @MethodSource("staticMessages")
    void piggybackingSetsTheFlagAndAppendsTheUpdatesAfterTheUnchangedBody(Message message) {
        byte[] plain = encode(message);
        byte[] piggybacked = encode(new Message.Piggybacked(message, List.of(V4, V6)));
        assertEquals(WireFormat.FLAG_PIGGYBACK, piggybacked[4]);
        assertArrayEquals(with(plain, 4, WireFormat.FLAG_PIGGYBACK), Arrays.copyOf(piggybacked, plain.length));
        byte[] updates = Arrays.copyOfRange(piggybacked, plain.length, piggybacked.length);
        byte[] gossip = encode(new Message.Gossip(1, List.of(V4, V6)));
        assertArrayEquals(Arrays.copyOfRange(gossip, WireFormat.HEADER_BYTES, gossip.length), updates);
    }

    // ---- a full page stays within the datagram ----

    @ParameterizedTest
    @ValueSource(booleans = {false, true})
    void aFullSyncPageFitsTheDatagram(boolean ipv6) throws MalformedDatagramException {
        // io.pulse.core.Membership.DATAGRAM_UPDATE_BYTES (package-private): 1400 - 16 - 8.
        int budget = 1376;
        IntFunction<MemberUpdate> nth = ipv6
                ? i -> new MemberUpdate(
                        address("2001:db8::" + Integer.toHexString(i + 1), 65535),
                        Liveness.SUSPECT,
                        Long.MAX_VALUE,
                        address("2001:db8:ffff::" + Integer.toHexString(i + 1), 65535))
                : i -> new MemberUpdate(
                        address("10.0.1." + (i + 1), 65535),
                        Liveness.SUSPECT,
                        Long.MAX_VALUE,
                        address("10.0.2." + (i + 1), 65535));
        List<MemberUpdate> page = new ArrayList<>();
        int used = 0;
        while (used + nth.apply(page.size()).wireBytes() <= budget) {
            MemberUpdate update = nth.apply(page.size());
            page.add(update);
            used += update.wireBytes();
        }
        assertEquals(ipv6 ? 29 : 59, page.size());
        for (boolean replyWanted : new boolean[] {false, true}) {
            Message.Sync sync = new Message.Sync(Long.MAX_VALUE, replyWanted, 65_534, Message.Sync.MAX_PAGES, page);
            int size = WireFormat.encodedSize(sync);
            assertEquals(16 + 5 + 1 + used, size);
            assertTrue(size <= WireFormat.MAX_DATAGRAM_BYTES, size + " bytes");
            assertTrue(size <= 1400, size + " bytes");
            byte[] datagram = encode(sync);
            assertEquals(size, datagram.length);
            assertEquals(sync, decode(datagram));
        }
        // And a gossip of the same budget, which Membership also fills to 1376.
        Message.Gossip gossip = new Message.Gossip(1, page);
        assertTrue(WireFormat.encodedSize(gossip) <= WireFormat.MAX_DATAGRAM_BYTES);
        assertEquals(gossip, decode(encode(gossip)));
    }

    @Test
    void tooManyUpdatesAreRefusedByTheEncoder() {
        List<MemberUpdate> updates = new ArrayList<>();
        for (int i = 0; i < 256; i++) {
            updates.add(V4);
        }
        IllegalArgumentException e =
                assertThrows(IllegalArgumentException.class, () -> encode(new Message.Gossip(1, updates)));
        assertEquals("256 updates in one datagram (expected: at most 255)", e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> encode(new Message.Sync(1, false, 0, 1, updates)));
        assertEquals("256 updates in one datagram (expected: at most 255)", e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> encode(new Message.Piggybacked(PING, updates)));
        assertEquals("256 updates in one datagram (expected: at most 255)", e.getMessage());
        // 255 is the most a count byte holds; such a datagram is far over the size limit.
        byte[] most = encode(new Message.Gossip(1, updates.subList(0, 255)));
        assertEquals(16 + 1 + 255 * 23, most.length);
        assertEquals((byte) 255, most[16]);
        assertRejected(RejectReason.OVERSIZE, "datagram of 5882 bytes (expected: at most 1400)", most);
    }

    // ---- update lists ----

    @Test
    void zeroUpdatesAreRejected() {
        assertRejected(
                RejectReason.BAD_FIELD,
                "GOSSIP with 0 updates (expected: 1..255)",
                with(resized(encode(GOSSIP_V4), 17), 16, 0));
        assertRejected(
                RejectReason.BAD_FIELD,
                "SYNC with 0 updates (expected: 1..255)",
                with(resized(encode(SYNC_V4), 22), 21, 0));
        assertRejected(
                RejectReason.BAD_FIELD,
                "piggyback with 0 updates (expected: 1..255)",
                with(resized(encode(PIGGYBACKED_PING_V4), 49), 48, 0));
        // Count 0 is checked before the updates that follow.
        assertRejected(
                RejectReason.BAD_FIELD, "GOSSIP with 0 updates (expected: 1..255)", with(encode(GOSSIP_V4), 16, 0));
    }

    @ParameterizedTest
    @ValueSource(ints = {0, 5, 255})
    void unknownStateCodesAreRejected(int code) {
        assertRejected(
                RejectReason.BAD_FIELD,
                "GOSSIP member state " + code + " (expected: 1..4)",
                with(encode(GOSSIP_V4), 17, code));
        assertRejected(
                RejectReason.BAD_FIELD,
                "SYNC member state " + code + " (expected: 1..4)",
                with(encode(SYNC_V4), 22, code));
        assertRejected(
                RejectReason.BAD_FIELD,
                "piggyback member state " + code + " (expected: 1..4)",
                with(encode(PIGGYBACKED_PING_V4), 49, code));
    }

    @Test
    void aBadStateInALaterUpdateIsRejected() {
        byte[] datagram = encode(new Message.Gossip(1, List.of(V6, V4)));
        assertRejected(RejectReason.BAD_FIELD, "GOSSIP member state 5 (expected: 1..4)", with(datagram, 17 + 47, 5));
    }

    @ParameterizedTest
    @ValueSource(longs = {0, -1, Long.MIN_VALUE})
    void incarnationBelowOneIsRejected(long incarnation) {
        assertRejected(
                RejectReason.BAD_FIELD,
                "GOSSIP incarnation " + incarnation + " (expected: at least 1)",
                withLong(encode(GOSSIP_V4), 18, incarnation));
        assertRejected(
                RejectReason.BAD_FIELD,
                "SYNC incarnation " + incarnation + " (expected: at least 1)",
                withLong(encode(SYNC_V4), 23, incarnation));
        assertRejected(
                RejectReason.BAD_FIELD,
                "piggyback incarnation " + incarnation + " (expected: at least 1)",
                withLong(encode(PIGGYBACKED_PING_V4), 50, incarnation));
    }

    @Test
    void incarnationExtremesDecode() throws MalformedDatagramException {
        Message.Gossip one = new Message.Gossip(1, List.of(new MemberUpdate(A4, Liveness.ALIVE, 1, A4)));
        Message.Gossip max = new Message.Gossip(1, List.of(new MemberUpdate(A4, Liveness.ALIVE, Long.MAX_VALUE, A4)));
        assertEquals(one, decode(encode(one)));
        assertEquals(max, decode(encode(max)));
    }

    @ParameterizedTest
    @MethodSource("clusterMessages")
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
    void truncatedUpdateListsSayWhatWasMissing() {
        byte[] gossip = encode(GOSSIP_V4); // 40 bytes
        assertRejected(
                RejectReason.TRUNCATED,
                "GOSSIP body cut short: 0 bytes left (expected: at least 1)",
                resized(gossip, 16));
        assertRejected(
                RejectReason.TRUNCATED,
                "GOSSIP body cut short: 8 bytes left (expected: at least 9)",
                resized(gossip, 25));
        assertRejected(
                RejectReason.TRUNCATED,
                "GOSSIP body cut short: 0 bytes left (expected: at least 1)",
                resized(gossip, 26)); // no member family
        assertRejected(
                RejectReason.TRUNCATED,
                "GOSSIP body cut short: 5 bytes left (expected: at least 6)",
                resized(gossip, 32)); // member port cut
        assertRejected(
                RejectReason.TRUNCATED,
                "GOSSIP body cut short: 3 bytes left (expected: at least 6)",
                resized(gossip, 37)); // origin address cut
        assertRejected(
                RejectReason.TRUNCATED,
                "GOSSIP body cut short: 6 bytes left (expected: at least 18)",
                with(gossip, 33, 6)); // origin says IPv6
        // The count promises more updates than follow.
        assertRejected(
                RejectReason.TRUNCATED,
                "GOSSIP body cut short: 0 bytes left (expected: at least 9)",
                with(gossip, 16, 2));
        assertRejected(
                RejectReason.TRUNCATED,
                "GOSSIP body cut short: 0 bytes left (expected: at least 9)",
                with(encode(new Message.Gossip(5, List.of(V4, V6))), 16, 3));

        byte[] sync = encode(SYNC_V4); // 45 bytes
        assertRejected(
                RejectReason.TRUNCATED, "SYNC body cut short: 0 bytes left (expected: at least 5)", resized(sync, 16));
        assertRejected(
                RejectReason.TRUNCATED, "SYNC body cut short: 4 bytes left (expected: at least 5)", resized(sync, 20));
        assertRejected(
                RejectReason.TRUNCATED, "SYNC body cut short: 0 bytes left (expected: at least 1)", resized(sync, 21));
        assertRejected(
                RejectReason.TRUNCATED, "SYNC body cut short: 0 bytes left (expected: at least 9)", with(sync, 21, 2));

        byte[] piggybacked = encode(PIGGYBACKED_PING_V4); // 72 bytes
        assertRejected(
                RejectReason.TRUNCATED,
                "PING body cut short: 31 bytes left (expected: at least 32)",
                resized(piggybacked, 47));
        assertRejected(
                RejectReason.TRUNCATED,
                "piggyback body cut short: 0 bytes left (expected: at least 1)",
                resized(piggybacked, 48));
        assertRejected(
                RejectReason.TRUNCATED,
                "piggyback body cut short: 1 bytes left (expected: at least 9)",
                resized(piggybacked, 50));
        assertRejected(
                RejectReason.TRUNCATED,
                "piggyback body cut short: 5 bytes left (expected: at least 6)",
                resized(piggybacked, 71)); // origin port cut
        assertRejected(
                RejectReason.TRUNCATED,
                "piggyback body cut short: 0 bytes left (expected: at least 9)",
                with(piggybacked, 48, 2));
    }

    @Test
    void piggybackFlagWithoutUpdatesIsTruncated() {
        for (Message message : staticMessages()) {
            byte[] flagged = with(encode(message), 4, WireFormat.FLAG_PIGGYBACK);
            assertRejected(
                    RejectReason.TRUNCATED, "piggyback body cut short: 0 bytes left (expected: at least 1)", flagged);
        }
    }

    @Test
    void updatesWithoutThePiggybackFlagAreTrailingBytes() {
        assertRejected(
                RejectReason.TRAILING_BYTES,
                "24 bytes after the message (expected: none)",
                with(encode(PIGGYBACKED_PING_V4), 4, 0));
        assertRejected(
                RejectReason.TRAILING_BYTES,
                "71 bytes after the message (expected: none)",
                with(encode(new Message.Piggybacked(NACK_V6, List.of(V4, V6))), 4, 0));
    }

    @ParameterizedTest
    @MethodSource("clusterMessages")
    void trailingByteIsRejected(Message message) {
        byte[] whole = encode(message);
        assertRejected(
                RejectReason.TRAILING_BYTES,
                "1 bytes after the message (expected: none)",
                resized(whole, whole.length + 1));
    }

    @Test
    void trailingBytesAfterAGossipAreCounted() {
        byte[] gossip = encode(GOSSIP_V4);
        assertRejected(
                RejectReason.TRAILING_BYTES,
                "3 bytes after the message (expected: none)",
                resized(gossip, gossip.length + 3));
        // An update too many, beyond what the count says.
        byte[] two = encode(new Message.Gossip(5, List.of(V4, V4)));
        assertRejected(RejectReason.TRAILING_BYTES, "23 bytes after the message (expected: none)", with(two, 16, 1));
        assertRejected(
                RejectReason.TRAILING_BYTES,
                "1360 bytes after the message (expected: none)",
                resized(gossip, WireFormat.MAX_DATAGRAM_BYTES));
    }

    // ---- addresses in updates ----

    @Test
    void portZeroInAnUpdateAddressIsRejected() {
        byte[] gossip = encode(GOSSIP_V4);
        assertRejected(
                RejectReason.BAD_FIELD, "GOSSIP port 0 (expected: 1..65535)", withShort(gossip, 31, 0)); // member port
        assertRejected(
                RejectReason.BAD_FIELD, "GOSSIP port 0 (expected: 1..65535)", withShort(gossip, 38, 0)); // origin port
        byte[] gossip6 = encode(new Message.Gossip(5, List.of(V6)));
        assertRejected(
                RejectReason.BAD_FIELD,
                "GOSSIP port 0 (expected: 1..65535)",
                withShort(gossip6, 43, 0)); // IPv6 member port
        assertRejected(
                RejectReason.BAD_FIELD,
                "GOSSIP port 0 (expected: 1..65535)",
                withShort(gossip6, 62, 0)); // IPv6 origin port
        assertRejected(RejectReason.BAD_FIELD, "SYNC port 0 (expected: 1..65535)", withShort(encode(SYNC_V4), 36, 0));
        assertRejected(
                RejectReason.BAD_FIELD,
                "piggyback port 0 (expected: 1..65535)",
                withShort(encode(PIGGYBACKED_PING_V4), 70, 0));
    }

    @ParameterizedTest
    @ValueSource(ints = {0, 5, 255})
    void unknownAddressFamilyInAnUpdateIsRejected(int family) {
        byte[] gossip = encode(GOSSIP_V4);
        assertRejected(
                RejectReason.BAD_FIELD,
                "GOSSIP address family " + family + " (expected: 4 or 6)",
                with(gossip, 26, family));
        assertRejected(
                RejectReason.BAD_FIELD,
                "GOSSIP address family " + family + " (expected: 4 or 6)",
                with(gossip, 33, family));
        assertRejected(
                RejectReason.BAD_FIELD,
                "SYNC address family " + family + " (expected: 4 or 6)",
                with(encode(SYNC_V4), 31, family));
        assertRejected(
                RejectReason.BAD_FIELD,
                "piggyback address family " + family + " (expected: 4 or 6)",
                with(encode(PIGGYBACKED_PING_V4), 58, family));
    }

    @Test
    void theInnerMessageIsCheckedBeforeItsUpdates() {
        byte[] datagram = encode(new Message.Piggybacked(PING_REQ_V4, List.of(V4)));
        assertRejected(
                RejectReason.BAD_FIELD,
                "PING_REQ timeout 0 ms (expected: 1..60000)",
                withInt(with(datagram, 49, 0), 16, 0)); // and update state 0
        assertRejected(
                RejectReason.BAD_FIELD,
                "PING_REQ port 0 (expected: 1..65535)",
                withShort(with(datagram, 49, 0), 25, 0));
        assertRejected(
                RejectReason.BAD_FIELD,
                "NACK address family 9 (expected: 4 or 6)",
                with(encode(new Message.Piggybacked(NACK_V4, List.of(V4))), 16, 9));
    }

    // ---- header flags ----

    @ParameterizedTest
    @ValueSource(ints = {WireFormat.TYPE_GOSSIP, WireFormat.TYPE_SYNC})
    void piggybackFlagOnGossipOrSyncIsRejected(int type) {
        Message message = type == WireFormat.TYPE_GOSSIP ? GOSSIP_V4 : SYNC_V4;
        assertRejected(
                RejectReason.BAD_FIELD,
                "piggyback flag on message type " + type + " (expected: only on types 1..4)",
                with(encode(message), 4, WireFormat.FLAG_PIGGYBACK));
    }

    @ParameterizedTest
    @ValueSource(ints = {0x01, 0x03, 0x04, 0x06, 0x08, 0x10, 0x40, 0x80, 0xfe, 0xff})
    void unknownFlagBitsAreRejectedAsAuthentication(int flags) {
        for (Message message :
                List.of(PING, PIGGYBACKED_PING_V4, GOSSIP_V4, SYNC_V4, new Message.Piggybacked(ACK, List.of(V6)))) {
            assertRejected(RejectReason.UNSUPPORTED_AUTH, AUTH_TEXT, with(encode(message), 4, flags));
        }
    }

    @ParameterizedTest
    @CsvSource({"5, 0x01", "6, 0x01", "7, 0x01"})
    void keyIdOrMacLengthAreRejectedAlsoWithThePiggybackFlag(int offset, String value) {
        assertRejected(
                RejectReason.UNSUPPORTED_AUTH,
                AUTH_TEXT,
                with(encode(PIGGYBACKED_PING_V4), offset, Integer.decode(value)));
        assertRejected(
                RejectReason.UNSUPPORTED_AUTH, AUTH_TEXT, with(encode(GOSSIP_V4), offset, Integer.decode(value)));
    }

    @ParameterizedTest
    @ValueSource(ints = {0, 7, 8, 255})
    void unknownTypesAreRejectedWithOrWithoutThePiggybackFlag(int type) {
        assertRejected(
                RejectReason.UNKNOWN_TYPE,
                "message type " + type + " (expected: 1..6)",
                with(encode(GOSSIP_V4), 3, type));
        assertRejected(
                RejectReason.UNKNOWN_TYPE,
                "message type " + type + " (expected: 1..6)",
                with(encode(PIGGYBACKED_PING_V4), 3, type));
    }

    // ---- SYNC fields ----

    @ParameterizedTest
    @CsvSource({"1, 1", "2, 1", "3, 3", "65535, 65535", "65535, 1"})
    void syncPageAtOrBeyondPagesIsRejected(int page, int pages) {
        byte[] datagram = withShort(withShort(encode(SYNC_V4), 17, page), 19, pages);
        assertRejected(
                RejectReason.BAD_FIELD,
                "SYNC flags 0, page " + page + " of " + pages
                        + " (expected: flags 0 or 1, page in 0..pages-1, pages >= 1)",
                datagram);
    }

    @ParameterizedTest
    @ValueSource(ints = {0, 1, 65535})
    void syncWithZeroPagesIsRejected(int page) {
        byte[] datagram = withShort(withShort(with(encode(SYNC_V4), 16, 1), 17, page), 19, 0);
        assertRejected(
                RejectReason.BAD_FIELD,
                "SYNC flags 1, page " + page + " of 0" + " (expected: flags 0 or 1, page in 0..pages-1, pages >= 1)",
                datagram);
    }

    @ParameterizedTest
    @ValueSource(ints = {2, 3, 4, 0x10, 0x7f})
    void syncFlagsOtherThanReplyWantedAreRejected(int flags) {
        assertRejected(
                RejectReason.BAD_FIELD,
                "SYNC flags " + flags + ", page 0 of 1" + " (expected: flags 0 or 1, page in 0..pages-1, pages >= 1)",
                with(encode(SYNC_V4), 16, flags));
    }

    @ParameterizedTest
    @ValueSource(ints = {0x80, 0x81, 0xfe, 0xff})
    void syncFlagsWithTheHighBitAreRejected(int flags) {
        // The reason only: the text prints the flags byte signed (see the report).
        assertEquals(
                RejectReason.BAD_FIELD, reject(with(encode(SYNC_V4), 16, flags)).reason());
    }

    @Test
    void syncFieldsAreCheckedBeforeTheUpdates() {
        byte[] datagram = withShort(resized(encode(SYNC_V4), 21), 17, 1);
        assertRejected(
                RejectReason.BAD_FIELD,
                "SYNC flags 0, page 1 of 1" + " (expected: flags 0 or 1, page in 0..pages-1, pages >= 1)",
                datagram);
    }

    @Test
    void syncPageAndPagesAreUnsigned() throws MalformedDatagramException {
        Message.Sync last = new Message.Sync(1, false, 65_534, 65_535, List.of(V4));
        byte[] datagram = encode(last);
        assertEquals((byte) 0xff, datagram[19]);
        assertEquals((byte) 0xff, datagram[20]);
        assertEquals((byte) 0xff, datagram[17]);
        assertEquals((byte) 0xfe, datagram[18]);
        assertEquals(last, decode(datagram));
    }

    // ---- buffers ----

    @Test
    void decodeStartsAtTheReaderIndexAndLeavesTheBufferToItsOwner() throws MalformedDatagramException {
        Message message = new Message.Piggybacked(ACK, List.of(V4, V6));
        ByteBuf buf = Unpooled.buffer();
        try {
            buf.writeBytes(bytes(0xde, 0xad)).writeBytes(encode(message)).skipBytes(2);
            assertEquals(message, WireFormat.decode(buf));
            assertEquals(1, buf.refCnt());
            assertTrue(!buf.isReadable());
        } finally {
            buf.release();
        }
    }

    // ---- helpers ----

    /** A copy with the big-endian {@code width}-byte {@code value} at {@code offset}. */
    private static byte[] withBytes(byte[] datagram, int offset, long value, int width) {
        byte[] copy = datagram.clone();
        for (int i = 0; i < width; i++) {
            copy[offset + i] = (byte) (value >>> (8 * (width - 1 - i)));
        }
        return copy;
    }

    private static byte[] withShort(byte[] datagram, int offset, int value) {
        return withBytes(datagram, offset, value, 2);
    }

    private static byte[] withInt(byte[] datagram, int offset, int value) {
        return withBytes(datagram, offset, value, 4);
    }

    private static byte[] withLong(byte[] datagram, int offset, long value) {
        return withBytes(datagram, offset, value, 8);
    }

    private static byte[] bytes(int... values) {
        byte[] result = new byte[values.length];
        for (int i = 0; i < values.length; i++) {
            result[i] = (byte) values[i];
        }
        return result;
    }
}
