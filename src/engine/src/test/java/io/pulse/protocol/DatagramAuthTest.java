package io.pulse.protocol;

import static io.pulse.protocol.Datagrams.address;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.channel.socket.DatagramPacket;
import io.pulse.core.Liveness;
import io.pulse.core.ManualClock;
import io.pulse.core.MemberUpdate;
import io.pulse.core.Message;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Signed datagrams through two {@link DatagramCodec}s with keyrings, on a manual clock. */
class DatagramAuthTest {
    private static final InetSocketAddress SENDER = address("10.0.0.7", 40123);
    private static final InetSocketAddress RECEIVER = address("10.0.0.8", 7946);
    private static final Message.Ping PING = new Message.Ping(42, 1_700_000_000_123_456_789L);
    private static final byte[] KEY_1 = key(1);
    private static final byte[] KEY_2 = key(2);

    private final ManualClock clock = new ManualClock();
    private final RejectCounters rejects = new RejectCounters();
    private final DatagramAuth receiverAuth =
            DatagramAuth.create(ring(1, "prod", 1, KEY_1), DatagramAuth.Mode.REQUIRED, clock);
    private final EmbeddedChannel receiver = new EmbeddedChannel(new DatagramCodec(rejects, receiverAuth));

    @AfterEach
    void noLeftovers() {
        receiver.checkException();
        assertFalse(receiver.finishAndReleaseAll(), "messages left in the channel");
    }

    @Test
    void aSignedDatagramIsAcceptedAndMarkedAuthenticated() {
        byte[] signed = sign(ring(1, "prod", 1, KEY_1), PING);
        assertEquals(WireFormat.encodedSize(PING) + DatagramAuth.TRAILER_BYTES, signed.length);
        assertEquals(new Envelope(SENDER, PING, true), receive(signed));
        assertEquals(1, receiverAuth.authenticated());
        assertEquals(0, rejects.total());
    }

    @Test
    void piggybackedAndClusterMessagesSurviveSigning() {
        MemberUpdate update = new MemberUpdate(SENDER, Liveness.SUSPECT, 9, RECEIVER);
        for (Message message : List.of(
                new Message.Piggybacked(PING, List.of(update)),
                new Message.Gossip(5, List.of(update)),
                new Message.Sync(6, true, 0, 1, List.of(update)))) {
            clock.advance(Duration.ofMillis(1));
            assertEquals(new Envelope(SENDER, message, true), receive(sign(ring(1, "prod", 1, KEY_1), message)));
        }
    }

    @Test
    void aWrongKeyOrAWrongLabelIsABadMac() {
        assertDropped(RejectReason.BAD_MAC, sign(ring(1, "prod", 1, KEY_2), PING));
        assertDropped(RejectReason.BAD_MAC, sign(ring(1, "staging", 1, KEY_1), PING));
    }

    @Test
    void aKeyIdNotInstalledIsUnknown() {
        assertDropped(RejectReason.UNKNOWN_KEY, sign(ring(2, "prod", 2, KEY_1), PING));
    }

    @Test
    void everySingleBitFlipIsDropped() {
        byte[] signed = sign(ring(1, "prod", 1, KEY_1), PING);
        for (int i = 0; i < signed.length; i++) {
            for (int bit = 0; bit < 8; bit++) {
                byte[] flipped = signed.clone();
                flipped[i] ^= (byte) (1 << bit);
                assertNull(receive(flipped), "bit " + bit + " of byte " + i);
            }
        }
        assertEquals(signed.length * 8L, rejects.total());
        assertEquals(0, receiverAuth.authenticated());
    }

    @Test
    void aTruncatedOrExtendedDatagramIsDropped() {
        byte[] signed = sign(ring(1, "prod", 1, KEY_1), PING);
        for (int length :
                new int[] {0, 15, 16, 16 + DatagramAuth.TRAILER_BYTES - 1, signed.length - 1, signed.length + 1}) {
            assertNull(receive(Datagrams.resized(signed, length)), "length " + length);
        }
        assertEquals(6, rejects.total());
    }

    @Test
    void aReplayIsDroppedAndAReorderedDatagramIsNot() {
        Keyring ring = ring(1, "prod", 1, KEY_1);
        byte[] first = sign(ring, PING);
        clock.advance(Duration.ofMillis(5));
        byte[] second = sign(ring, PING);
        assertTrue(receive(second).authenticated());
        assertTrue(receive(first).authenticated(), "5 ms out of order is within the reorder span");
        assertDropped(RejectReason.REPLAYED, first);
        assertDropped(RejectReason.REPLAYED, second);
    }

    @Test
    void aDatagramOutsideTheWindowIsStaleEitherWay() {
        byte[] old = sign(ring(1, "prod", 1, KEY_1), PING);
        clock.advance(DatagramAuth.DEFAULT_REPLAY_WINDOW.plusMillis(1));
        assertDropped(RejectReason.STALE, old);
        ManualClock ahead =
                new ManualClock(0, clock.epochNanos() + DatagramAuth.DEFAULT_REPLAY_WINDOW.toNanos() + 1_000_000);
        assertDropped(RejectReason.STALE, sign(ring(1, "prod", 1, KEY_1), ahead, PING));
    }

    @Test
    void unsignedDatagramsAreDroppedWhenRequiredAndCountedWhenPermissive() {
        byte[] unsigned = Datagrams.encode(PING);
        assertDropped(RejectReason.UNAUTHENTICATED, unsigned);
        receiverAuth.mode(DatagramAuth.Mode.PERMISSIVE);
        assertEquals(new Envelope(SENDER, PING, false), receive(unsigned));
        assertEquals(1, receiverAuth.unauthenticatedAccepted());
    }

    @Test
    void aRotationInstallsUsesThenRemovesWithoutADroppedDatagram() {
        Keyring both = Keyring.of(new TreeMap<>(Map.of(1, KEY_1, 2, KEY_2)), 1, "prod");
        receiverAuth.keyring(both); // 1. installed everywhere
        assertTrue(receive(sign(ring(1, "prod", 1, KEY_1), PING)).authenticated());
        clock.advance(Duration.ofMillis(1));
        Keyring usingTwo = Keyring.of(new TreeMap<>(Map.of(1, KEY_1, 2, KEY_2)), 2, "prod");
        assertTrue(receive(sign(usingTwo, PING)).authenticated()); // 2. a sender made it primary
        receiverAuth.keyring(ring(2, "prod", 2, KEY_2)); // 3. the old one removed
        clock.advance(Duration.ofMillis(1));
        assertTrue(receive(sign(usingTwo, PING)).authenticated());
        assertDropped(RejectReason.UNKNOWN_KEY, sign(ring(1, "prod", 1, KEY_1), PING));
    }

    @Test
    void aNodeWithoutAKeyringDropsSignedDatagrams() {
        EmbeddedChannel plain = new EmbeddedChannel(new DatagramCodec(rejects));
        assertFalse(plain.writeInbound(
                new DatagramPacket(Unpooled.wrappedBuffer(sign(ring(1, "prod", 1, KEY_1), PING)), RECEIVER, SENDER)));
        assertEquals(1, rejects.count(RejectReason.UNSUPPORTED_AUTH));
        assertFalse(plain.finishAndReleaseAll());
    }

    @Test
    void keysFilesAreParsedWithErrorsThatNameTheLineAndNeverTheKey() {
        String one = Base64.getEncoder().encodeToString(KEY_1);
        String two = Base64.getEncoder().encodeToString(KEY_2);
        Keyring ring = Keyring.parse("# rotation step 2\n1 " + one + "\n\n2 " + two + " primary\n", "prod");
        assertEquals(2, ring.primary());
        assertEquals(List.of(1, 2), List.copyOf(ring.ids()));
        assertFalse(ring.toString().contains(one));
        assertEquals(1, Keyring.parse(one.isEmpty() ? "" : "1 " + one, "").primary());
        assertMessage("keys line 2: key id 1 appears twice", "1 " + one + "\n1 " + two);
        assertMessage(
                "2 keys and none marked primary (expected: exactly one line ending in 'primary')",
                "1 " + one + "\n2 " + two);
        assertMessage("keys line 1: key 3 is not base64", "3 not*base64");
        assertMessage("key 3 has 4 bytes (expected: 16..64)", "3 AAAAAA==");
        assertMessage("key id 256 (expected: 1..255)", "256 " + one);
        assertMessage("no keys (expected: lines of <id> <base64 key> [primary])", "# nothing\n");
        assertMessage("keys line 1: expected <id> <base64 key> [primary], got 3 fields", "1 " + one + " main");
        assertEquals(44, Keyring.generateKey().length());
    }

    private static void assertMessage(String expected, String text) {
        assertEquals(
                expected,
                assertThrows(IllegalArgumentException.class, () -> Keyring.parse(text, "prod"))
                        .getMessage());
    }

    private void assertDropped(RejectReason reason, byte[] datagram) {
        long before = rejects.count(reason);
        assertNull(receive(datagram));
        assertEquals(before + 1, rejects.count(reason), reason + " in " + rejects.snapshot());
    }

    private Envelope receive(byte[] datagram) {
        receiver.writeInbound(new DatagramPacket(Unpooled.wrappedBuffer(datagram), RECEIVER, SENDER));
        return receiver.readInbound();
    }

    private byte[] sign(Keyring ring, Message message) {
        return sign(ring, clock, message);
    }

    /** What a sender with {@code ring} puts on the wire for {@code message}. */
    private static byte[] sign(Keyring ring, io.pulse.core.Clock clock, Message message) {
        EmbeddedChannel sender = new EmbeddedChannel(
                new DatagramCodec(new RejectCounters(), DatagramAuth.create(ring, DatagramAuth.Mode.REQUIRED, clock)));
        sender.writeOutbound(new Envelope(RECEIVER, message));
        DatagramPacket packet = sender.readOutbound();
        try {
            return ByteBufUtil.getBytes(packet.content());
        } finally {
            packet.release();
            sender.finishAndReleaseAll();
        }
    }

    private static Keyring ring(int id, String label, int primary, byte[] key) {
        return Keyring.of(new TreeMap<>(Map.of(id, key)), primary, label);
    }

    private static byte[] key(int fill) {
        byte[] key = new byte[32];
        java.util.Arrays.fill(key, (byte) fill);
        return key;
    }
}
