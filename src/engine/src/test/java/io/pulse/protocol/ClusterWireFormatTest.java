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
import static org.junit.jupiter.api.Assertions.assertNull;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.pulse.core.Ballot;
import io.pulse.core.ConfigRef;
import io.pulse.core.Labels;
import io.pulse.core.Liveness;
import io.pulse.core.MemberInfo;
import io.pulse.core.Message;
import io.pulse.core.Proposal;
import io.pulse.core.Standing;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** The cluster messages of version 3: every type round-trips, sizes are exact, and decoding is strict. */
class ClusterWireFormatTest {
    private static final InetSocketAddress A4 = address("10.0.0.1", 7946);
    private static final InetSocketAddress B4 = address("10.0.0.2", 7946);
    private static final InetSocketAddress A6 = address("2001:db8::1", 7946);
    private static final ConfigRef C = new ConfigRef(7, 0x0102030405060708L);
    private static final Labels LABELS = Labels.of(Map.of("service", "billing", "zone", "eu-west-1a"));
    private static final MemberInfo M4 = new MemberInfo(A4, 1_700_000_000_000L, LABELS);
    private static final MemberInfo M6 = new MemberInfo(A6, 2, Labels.NONE);
    private static final Proposal SMALL =
            new Proposal(1_700_000_000_123L, new int[] {2, 500}, new int[] {3}, List.of(M4, M6), List.of(B4));
    /** A tenth of 10,000 members down: a bitmap, not a list. */
    private static final Proposal LARGE =
            new Proposal(1, IntStream.range(0, 1000).map(i -> i * 10).toArray(), new int[0], List.of(), List.of());

    static List<Message> clusterMessages() {
        return List.of(
                new Message.Alert(
                        1,
                        C,
                        List.of(
                                new Message.AlertEntry(
                                        Message.AlertEntry.Kind.DOWN, new MemberInfo(A4, 9, Labels.NONE)),
                                new Message.AlertEntry(Message.AlertEntry.Kind.UP, new MemberInfo(A6, 9, Labels.NONE)),
                                new Message.AlertEntry(Message.AlertEntry.Kind.JOIN, M4),
                                new Message.AlertEntry(
                                        Message.AlertEntry.Kind.LEAVE, new MemberInfo(B4, 1, Labels.NONE)))),
                new Message.AlertAck(2, C),
                new Message.Join(3, 1_700_000_000_000L, 0, LABELS),
                new Message.Join(4, 1, -1, Labels.NONE),
                new Message.Challenge(5, 0x7fff_ffff_ffff_ffffL),
                new Message.Prepare(6, C, new Ballot(1, 0), 0),
                new Message.Prepare(7, C, new Ballot(Integer.MAX_VALUE, Ballot.MAX_RANK), 1286),
                new Message.Promise(8, C, new Ballot(2, 1), Ballot.ZERO, null),
                new Message.Promise(9, C, new Ballot(3, 1), new Ballot(2, 0), SMALL),
                new Message.Accept(10, C, new Ballot(2, 1), SMALL),
                new Message.Accept(11, C, new Ballot(2, 1), LARGE),
                new Message.Accepted(12, C, new Ballot(2, 1), true, new Ballot(2, 1)),
                new Message.Accepted(13, C, new Ballot(2, 1), false, new Ballot(9, 4)),
                new Message.Decided(14, C, SMALL),
                new Message.Decided(15, C, new Proposal(0, new int[0], new int[0], List.of(), List.of(A6))),
                new Message.ConfigRequest(16, ConfigRef.NONE, 0, 0),
                new Message.ConfigRequest(17, C, 65534, 1200),
                new Message.ConfigPage(18, C, 0, 2, List.of(M4, M6), List.of()),
                new Message.ConfigPage(
                        19,
                        C,
                        1,
                        2,
                        List.of(),
                        List.of(
                                new Standing(B4, 5, Liveness.DEAD, 10, 1, 10),
                                new Standing(A6, 6, Liveness.FLAPPING, 11, 255, Long.MAX_VALUE),
                                new Standing(A4, 7, Liveness.LEFT, 0, 0, 0),
                                new Standing(A4, 7, Liveness.ALIVE, 0, 2, 5))),
                new Message.Published(20, C));
    }

    @ParameterizedTest
    @MethodSource("clusterMessages")
    void roundTrips(Message message) throws MalformedDatagramException {
        assertEquals(message, decode(encode(message)));
    }

    @ParameterizedTest
    @MethodSource("clusterMessages")
    void encodedSizeIsWhatEncodeWrites(Message message) {
        ByteBuf buf = Unpooled.buffer();
        try {
            buf.writeZero(5);
            WireFormat.encode(message, buf);
            assertEquals(WireFormat.encodedSize(message), buf.writerIndex() - 5);
        } finally {
            buf.release();
        }
    }

    @ParameterizedTest
    @MethodSource("clusterMessages")
    void everyTruncationAndATrailingByteAreRejected(Message message) {
        byte[] whole = encode(message);
        int end = whole.length - padding(message); // beyond, a cut only shortens the padding
        for (int length = 0; length < end; length++) {
            assertEquals(
                    RejectReason.TRUNCATED,
                    reject(resized(whole, length)).reason(),
                    "first " + length + " of " + whole.length + " bytes");
        }
        if (padding(message) == 0 && !padded(message)) {
            assertEquals(
                    RejectReason.TRAILING_BYTES,
                    reject(resized(whole, whole.length + 1)).reason());
        }
    }

    private static int padding(Message message) {
        if (message instanceof Message.Prepare p) {
            return p.paddingBytes();
        }
        return message instanceof Message.ConfigRequest r ? r.paddingBytes() : 0;
    }

    /** PREPARE and CONFIG_REQUEST end in padding of any length: cutting them shortens the padding. */
    private static boolean padded(Message message) {
        return message instanceof Message.Prepare || message instanceof Message.ConfigRequest;
    }

    @Test
    void proposalsTakeTheSmallerOfListAndBitmap() {
        assertEquals(2 + 2 * 2, SMALL.downListBytes());
        assertEquals(
                8 + 1 + SMALL.downListBytes() + 2 + 2 + 2 + M4.encodedBytes() + M6.encodedBytes() + 2 + 7,
                SMALL.encodedBytes());
        assertEquals(2 + 1249, LARGE.downBitmapBytes(), "9,991 bits: up to index 9990");
        assertEquals(8 + 1 + LARGE.downBitmapBytes() + 2 + 2 + 2, LARGE.encodedBytes());
        byte[] large = encode(new Message.Accept(1, C, new Ballot(1, 0), LARGE));
        assertEquals(1, large[16 + 16 + 6 + 8], "the bitmap encoding");
    }

    @Test
    void alertGoldenVector() {
        byte[] expected = bytes(
                0x50, 0x55, 0x03, 0x05, 0, 0, 0, 0, // header, type ALERT
                0, 0, 0, 0, 0, 0, 0, 0x2a, // sequence 42
                0, 0, 0, 0, 0, 0, 0, 7, 1, 2, 3, 4, 5, 6, 7, 8, // configuration 7/0102030405060708
                1, // one entry
                1, // DOWN
                4, 10, 0, 0, 2, 0x1f, 0x0a, // 10.0.0.2:7946
                0, 0, 0, 0, 0, 0, 0, 9); // incarnation 9
        assertArrayEquals(
                expected,
                encode(new Message.Alert(
                        42,
                        C,
                        List.of(new Message.AlertEntry(
                                Message.AlertEntry.Kind.DOWN, new MemberInfo(B4, 9, Labels.NONE))))));
    }

    @Test
    void joinGoldenVector() {
        byte[] expected = bytes(
                0x50, 0x55, 0x03, 0x07, 0, 0, 0, 0, // header, type JOIN
                0, 0, 0, 0, 0, 0, 0, 1, // sequence 1
                0, 0, 0, 0, 0, 0, 0, 2, // incarnation 2
                0, 0, 0, 0, 0, 0, 0, 3, // cookie 3
                1, // one label
                1, 'a', 2, 'b', 'c'); // a = bc
        assertArrayEquals(expected, encode(new Message.Join(1, 2, 3, Labels.of(Map.of("a", "bc")))));
    }

    @Test
    void clusterMessagesNameAConfiguration() {
        byte[] ack = encode(new Message.AlertAck(2, C));
        for (int i = 16; i < 32; i++) {
            ack[i] = 0;
        }
        assertRejected(RejectReason.BAD_FIELD, "ALERT_ACK names no configuration (expected: epoch >= 1)", ack);
        byte[] negative = with(encode(new Message.AlertAck(2, C)), 16, 0x80);
        assertEquals(RejectReason.BAD_FIELD, reject(negative).reason());
    }

    @Test
    void labelsAreCheckedOnTheWayIn() {
        byte[] join = encode(new Message.Join(1, 2, 3, Labels.of(Map.of("a", "bc", "b", "x"))));
        assertRejected(
                RejectReason.BAD_FIELD,
                "JOIN label keys out of order or repeated at \"a\" (expected: ascending)",
                with(with(join, 34, 'b'), 39, 'a'));
        assertRejected(
                RejectReason.BAD_FIELD,
                "JOIN: label key \"a b\" (expected: 1..63 characters of A-Z a-z 0-9 . _ / -)",
                encodeRaw(0x07, new byte[] {0, 0, 0, 0, 0, 0, 0, 2, 0, 0, 0, 0, 0, 0, 0, 3, 1, 3, 'a', ' ', 'b', 0}));
        assertRejected(
                RejectReason.BAD_FIELD,
                "JOIN with 17 labels (expected: at most 16)",
                encodeRaw(0x07, new byte[] {0, 0, 0, 0, 0, 0, 0, 2, 0, 0, 0, 0, 0, 0, 0, 3, 17}));
        assertRejected(RejectReason.BAD_FIELD, "JOIN label value is not valid UTF-8", encodeRaw(0x07, new byte[] {
            0, 0, 0, 0, 0, 0, 0, 2, 0, 0, 0, 0, 0, 0, 0, 3, 1, 1, 'a', 1, (byte) 0xff
        }));
    }

    @Test
    void strictFields() {
        assertRejected(
                RejectReason.BAD_FIELD,
                "ALERT entry kind 5 (expected: 1..4)",
                with(encode(clusterMessages().get(0)), 33, 5));
        assertRejected(
                RejectReason.BAD_FIELD,
                "ALERT with 0 entries (expected: 1..255)",
                with(encode(clusterMessages().get(0)), 32, 0));
        byte[] accepted = encode(new Message.Accepted(12, C, new Ballot(2, 1), true, new Ballot(2, 1)));
        assertRejected(RejectReason.BAD_FIELD, "ACCEPTED flag 2 (expected: 0 or 1)", with(accepted, 38, 2));
        byte[] prepare = encode(new Message.Prepare(7, C, new Ballot(1, 0), 4));
        assertRejected(
                RejectReason.BAD_FIELD,
                "PREPARE padding byte 2 is not 0 (expected: 4 zero bytes)",
                with(prepare, prepare.length - 2, 1));
        assertRejected(
                RejectReason.BAD_FIELD,
                "PREPARE ballot round 2147483649 (expected: below 2^31)",
                with(prepare, 32, 0x80));
        byte[] page = encode(new Message.ConfigPage(18, C, 0, 2, List.of(M6), List.of()));
        assertRejected(
                RejectReason.BAD_FIELD,
                "CONFIG_PAGE page 2 of 2 (expected: page in 0..pages-1, pages >= 1)",
                with(page, 33, 2));
        byte[] decided = encode(new Message.Decided(14, C, SMALL));
        assertRejected(RejectReason.BAD_FIELD, "DECIDED down encoding 2 (expected: 0 or 1)", with(decided, 40, 2));
        assertRejected(
                RejectReason.BAD_FIELD,
                "DECIDED down list of 2 where a bitmap of 1 byte is shorter",
                encodeRaw(0x0d, new byte[] {
                    0,
                    0,
                    0,
                    0,
                    0,
                    0,
                    0,
                    7,
                    1,
                    2,
                    3,
                    4,
                    5,
                    6,
                    7,
                    8, // configuration
                    0,
                    0,
                    0,
                    0,
                    0,
                    0,
                    0,
                    0, // at
                    0,
                    0,
                    2,
                    0,
                    0,
                    0,
                    1, // a list of [0, 1]
                    0,
                    0,
                    0,
                    0,
                    0,
                    0 // no left, joined, settled
                }));
        // down [2, 500] made [514, 500]: not ascending
        assertRejected(
                RejectReason.BAD_FIELD,
                "DECIDED: down must be ascending member indices >= 0, got [514, 500]",
                with(decided, 43, 2));
    }

    @Test
    void aPromiseCarriesAValueExactlyWhenItAcceptedOne() throws MalformedDatagramException {
        Message.Promise empty =
                (Message.Promise) decode(encode(new Message.Promise(8, C, new Ballot(2, 1), Ballot.ZERO, null)));
        assertNull(empty.value());
        assertEquals(SMALL, ((Message.Promise) decode(encode(clusterMessages().get(8)))).value());
    }

    private static byte[] encodeRaw(int type, byte[] body) {
        byte[] datagram = new byte[16 + body.length];
        datagram[0] = 0x50;
        datagram[1] = 0x55;
        datagram[2] = 3;
        datagram[3] = (byte) type;
        datagram[15] = 1;
        System.arraycopy(body, 0, datagram, 16, body.length);
        return datagram;
    }

    private static byte[] bytes(int... values) {
        byte[] b = new byte[values.length];
        for (int i = 0; i < values.length; i++) {
            b[i] = (byte) values[i];
        }
        return b;
    }
}
