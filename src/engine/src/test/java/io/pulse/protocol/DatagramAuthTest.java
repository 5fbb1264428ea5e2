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
import io.pulse.core.Message;
import java.net.InetSocketAddress;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Signed datagrams through {@link DatagramCodec}s with keyrings: the MAC, and the replay check per
 * sender identity (boot and counter, not the source address and not the clock).
 */
class DatagramAuthTest {
    private static final InetSocketAddress SENDER = address("10.0.0.7", 40123);
    private static final InetSocketAddress IDENTITY = address("10.0.0.7", 7946);
    private static final InetSocketAddress RECEIVER = address("10.0.0.8", 7946);
    private static final Message.Ping PING = new Message.Ping(42, 1_700_000_000_123_456_789L);
    private static final byte[] KEY_1 = key(1);
    private static final byte[] KEY_2 = key(2);

    private final RejectCounters rejects = new RejectCounters();
    private final DatagramAuth receiverAuth =
            DatagramAuth.create(ring(1, "prod", 1, KEY_1), DatagramAuth.Mode.REQUIRED, RECEIVER, 5);
    private final EmbeddedChannel receiver = new EmbeddedChannel(new DatagramCodec(rejects, receiverAuth));
    private final Signer prod = new Signer(ring(1, "prod", 1, KEY_1), IDENTITY, 1_000);

    @AfterEach
    void noLeftovers() {
        receiver.checkException();
        assertFalse(receiver.finishAndReleaseAll(), "messages left in the channel");
        prod.close();
    }

    @Test
    void aSignedDatagramIsAcceptedAndMarkedAuthenticated() {
        byte[] signed = prod.sign(PING);
        assertEquals(
                WireFormat.encodedSize(PING) + 7 + 8 + 8 + 16, signed.length, "an IPv4 identity, boot, counter, tag");
        assertEquals(new Envelope(SENDER, PING, true), receive(signed));
        assertEquals(1, receiverAuth.authenticated());
        assertEquals(0, rejects.total());
        try (Signer six = new Signer(ring(1, "prod", 1, KEY_1), address("2001:db8::7", 7946), 1)) {
            byte[] v6 = six.sign(PING);
            assertEquals(WireFormat.encodedSize(PING) + 19 + 8 + 8 + 16, v6.length);
            assertTrue(receive(v6).authenticated());
        }
    }

    @Test
    void clusterMessagesSurviveSigning() {
        for (Message message : ClusterWireFormatTest.clusterMessages()) {
            assertEquals(new Envelope(SENDER, message, true), receive(prod.sign(message)));
        }
    }

    @Test
    void aWrongKeyOrAWrongLabelIsABadMac() {
        try (Signer wrongKey = new Signer(ring(1, "prod", 1, KEY_2), IDENTITY, 1);
                Signer wrongLabel = new Signer(ring(1, "staging", 1, KEY_1), IDENTITY, 1)) {
            assertDropped(RejectReason.BAD_MAC, wrongKey.sign(PING));
            assertDropped(RejectReason.BAD_MAC, wrongLabel.sign(PING));
        }
    }

    @Test
    void aKeyIdNotInstalledIsUnknown() {
        try (Signer other = new Signer(ring(2, "prod", 2, KEY_1), IDENTITY, 1)) {
            assertDropped(RejectReason.UNKNOWN_KEY, other.sign(PING));
        }
    }

    @Test
    void everySingleBitFlipIsDropped() {
        byte[] signed = prod.sign(PING);
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
        byte[] signed = prod.sign(PING);
        for (int length : new int[] {0, 15, 16, 16 + 38, signed.length - 1, signed.length + 1}) {
            assertNull(receive(Datagrams.resized(signed, length)), "length " + length);
        }
        assertEquals(6, rejects.total());
    }

    @Test
    void aReplayIsDroppedFromAnySourcePortAndAReorderedDatagramIsNot() {
        byte[] first = prod.sign(PING);
        byte[] second = prod.sign(PING);
        assertTrue(receive(second).authenticated());
        assertTrue(receive(first).authenticated(), "one behind is within the window");
        assertDropped(RejectReason.REPLAYED, first);
        assertDropped(RejectReason.REPLAYED, second);
        for (int port = 1; port <= 100; port++) {
            long before = rejects.count(RejectReason.REPLAYED);
            assertNull(receive(second, address("10.0.0.66", port)), "from port " + port);
            assertEquals(before + 1, rejects.count(RejectReason.REPLAYED));
        }
    }

    @Test
    void aDatagramTooFarBehindIsDropped() {
        byte[] old = prod.sign(PING);
        for (int i = 0; i < DatagramAuth.WINDOW; i++) {
            assertTrue(receive(prod.sign(PING)).authenticated());
        }
        assertDropped(RejectReason.REPLAYED, old);
    }

    @Test
    void anEarlierBootIsStaleAndALaterOneStartsAfresh() {
        byte[] beforeRestart = prod.sign(PING);
        try (Signer restarted = new Signer(ring(1, "prod", 1, KEY_1), IDENTITY, 2_000)) {
            assertTrue(receive(restarted.sign(PING)).authenticated());
            assertDropped(RejectReason.STALE, beforeRestart);
            assertTrue(receive(restarted.sign(PING)).authenticated());
        }
    }

    @Test
    void theClockPlaysNoPart() {
        // Datagrams carry no time: a sender whose clock stepped back is not silenced, and a receiver
        // far ahead in time accepts what is new to it.
        assertTrue(receive(prod.sign(new Message.Ping(1, Long.MIN_VALUE))).authenticated());
        assertTrue(receive(prod.sign(new Message.Ping(2, 0))).authenticated());
    }

    @Test
    void theReplayStateIsBoundedAndForgetsTheLeastRecentlyHeard() {
        byte[] early = prod.sign(PING);
        assertTrue(receive(prod.sign(PING)).authenticated());
        Keyring ring = ring(1, "prod", 1, KEY_1);
        for (int i = 0; i < DatagramAuth.MAX_SENDERS; i++) {
            try (Signer other = new Signer(
                    ring, address("10." + (i >> 16 & 255) + "." + (i >> 8 & 255) + "." + (i & 255), 1000), 1)) {
                assertTrue(receive(other.sign(PING)).authenticated());
            }
        }
        // The first sender was forgotten: its earliest datagram is new again to this receiver. Memory
        // stays bounded; what is lost is the replay check of a sender silent for 65,536 others.
        assertTrue(receive(early).authenticated());
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
        assertTrue(receive(prod.sign(PING)).authenticated());
        Keyring usingTwo = Keyring.of(new TreeMap<>(Map.of(1, KEY_1, 2, KEY_2)), 2, "prod");
        prod.auth.keyring(usingTwo); // 2. a sender made it primary
        assertTrue(receive(prod.sign(PING)).authenticated());
        receiverAuth.keyring(ring(2, "prod", 2, KEY_2)); // 3. the old one removed
        assertTrue(receive(prod.sign(PING)).authenticated());
        prod.auth.keyring(ring(1, "prod", 1, KEY_1));
        assertDropped(RejectReason.UNKNOWN_KEY, prod.sign(PING));
    }

    @Test
    void aNodeWithoutAKeyringDropsSignedDatagrams() {
        EmbeddedChannel plain = new EmbeddedChannel(new DatagramCodec(rejects));
        assertFalse(plain.writeInbound(new DatagramPacket(Unpooled.wrappedBuffer(prod.sign(PING)), RECEIVER, SENDER)));
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
        return receive(datagram, SENDER);
    }

    private Envelope receive(byte[] datagram, InetSocketAddress from) {
        receiver.writeInbound(new DatagramPacket(Unpooled.wrappedBuffer(datagram), RECEIVER, from));
        return receiver.readInbound();
    }

    /** A sender with a keyring, an identity and a boot: each datagram it signs has the next counter. */
    private static final class Signer implements AutoCloseable {
        final DatagramAuth auth;
        final EmbeddedChannel channel;

        Signer(Keyring ring, InetSocketAddress identity, long boot) {
            this.auth = DatagramAuth.create(ring, DatagramAuth.Mode.REQUIRED, identity, boot);
            this.channel = new EmbeddedChannel(new DatagramCodec(new RejectCounters(), auth));
        }

        byte[] sign(Message message) {
            channel.writeOutbound(new Envelope(RECEIVER, message));
            DatagramPacket packet = channel.readOutbound();
            try {
                return ByteBufUtil.getBytes(packet.content());
            } finally {
                packet.release();
            }
        }

        @Override
        public void close() {
            channel.finishAndReleaseAll();
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
