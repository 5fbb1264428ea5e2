package io.pulse.transport;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.buffer.ByteBufUtil;
import io.netty.channel.embedded.EmbeddedChannel;
import io.pulse.core.Liveness;
import io.pulse.core.Message;
import io.pulse.core.TargetOptions;
import io.pulse.core.Transition;
import io.pulse.protocol.DatagramAuth;
import io.pulse.protocol.DatagramCodec;
import io.pulse.protocol.Envelope;
import io.pulse.protocol.Keyring;
import io.pulse.protocol.RejectCounters;
import io.pulse.protocol.RejectReason;
import io.pulse.protocol.WireFormat;
import io.pulse.testkit.Eventually;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetSocketAddress;
import java.net.SocketTimeoutException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Engines with keyrings on real UDP sockets: who is heard, who is not, and a rotation without a blip. */
class AuthenticationIT {
    private static final byte[] KEY_1 = key(1);
    private static final byte[] KEY_2 = key(2);
    private static final Keyring ONE = ring(1, Map.of(1, KEY_1), "prod");

    private final List<PulseEngine> engines = new ArrayList<>();

    @AfterEach
    void closeAll() {
        engines.forEach(PulseEngine::close);
    }

    private PulseEngine engine(Keyring keyring, boolean probing) {
        PulseEngineBuilder builder = PulseEngine.builder()
                .bind(PulseEngineIT.anyLoopbackPort())
                .config(PulseEngineIT.FAST)
                .probing(probing);
        if (keyring != null) {
            builder.keyring(keyring, DatagramAuth.Mode.REQUIRED);
        }
        PulseEngine engine = builder.start();
        engines.add(engine);
        return engine;
    }

    @Test
    void peersWithTheSameKeyAndLabelHearEachOtherAndOthersAreDroppedAndCounted() throws Exception {
        PulseEngine monitor = engine(ONE, true);
        PulseEngine same = engine(ONE, false);
        PulseEngine wrongKey = engine(ring(1, Map.of(1, KEY_2), "prod"), false);
        PulseEngine wrongLabel = engine(ring(1, Map.of(1, KEY_1), "staging"), false);
        PulseEngine noKeys = engine(null, false);
        EngineEvents events = new EngineEvents(monitor);
        for (PulseEngine target : List.of(same, wrongKey, wrongLabel, noKeys)) {
            monitor.addTarget(target.localId(), TargetOptions.defaults());
        }
        events.awaitChange(c -> c.node().equals(same.localId()) && c.current() == Liveness.ALIVE, PulseEngineIT.SLACK);
        Eventually.await(
                "PINGs dropped",
                () -> List.of(
                        wrongKey.rejects().count(RejectReason.BAD_MAC),
                        wrongLabel.rejects().count(RejectReason.BAD_MAC),
                        noKeys.rejects().count(RejectReason.UNSUPPORTED_AUTH)),
                counts -> counts.stream().allMatch(c -> c >= 3),
                PulseEngineIT.SLACK);
        for (PulseEngine silent : List.of(wrongKey, wrongLabel, noKeys)) {
            assertEquals(
                    Liveness.PENDING,
                    monitor.status(silent.localId()).state(),
                    silent.localId().toString());
        }
        assertTrue(same.authentication().authenticated() >= 1);
        assertEquals(0, monitor.rejects().total(), monitor.rejects().snapshot().toString());
    }

    @Test
    void unsignedAndReplayedDatagramsGetNoAnswer() throws Exception {
        PulseEngine responder = engine(ONE, false);
        try (DatagramSocket attacker = new DatagramSocket(new InetSocketAddress("127.0.0.1", 0))) {
            attacker.setSoTimeout(300);
            byte[] unsigned = encode(null, new Message.Ping(1, System.currentTimeMillis() * 1_000_000));
            attacker.send(new DatagramPacket(unsigned, unsigned.length, responder.localAddress()));
            assertThrows(
                    SocketTimeoutException.class, () -> attacker.receive(new DatagramPacket(new byte[1500], 1500)));
            assertEquals(1, responder.rejects().count(RejectReason.UNAUTHENTICATED));

            byte[] signed = encode(ONE, new Message.Ping(2, System.currentTimeMillis() * 1_000_000));
            attacker.send(new DatagramPacket(signed, signed.length, responder.localAddress()));
            DatagramPacket answer = new DatagramPacket(new byte[1500], 1500);
            attacker.receive(answer);
            assertEquals(
                    WireFormat.HEADER_BYTES + 48 + (1 + 4 + 2 + 8 + 8 + 16),
                    answer.getLength(),
                    "a signed ACK: its trailer names an IPv4 sender");

            attacker.send(new DatagramPacket(signed, signed.length, responder.localAddress()));
            assertThrows(
                    SocketTimeoutException.class, () -> attacker.receive(new DatagramPacket(new byte[1500], 1500)));
            assertEquals(1, responder.rejects().count(RejectReason.REPLAYED));

            // The same captured datagram from 100 other source ports: the replay check is bound to
            // the sender's identity in the MAC, not to the address it came from.
            List<DatagramSocket> others = new ArrayList<>();
            try {
                for (int i = 0; i < 100; i++) {
                    DatagramSocket other = new DatagramSocket(new InetSocketAddress("127.0.0.1", 0));
                    others.add(other);
                    other.send(new DatagramPacket(signed, signed.length, responder.localAddress()));
                }
                Eventually.await(
                        "101 replays rejected",
                        () -> responder.rejects().count(RejectReason.REPLAYED),
                        n -> n == 101,
                        Duration.ofSeconds(5));
                for (DatagramSocket other : others) {
                    other.setSoTimeout(1);
                    assertThrows(
                            SocketTimeoutException.class,
                            () -> other.receive(new DatagramPacket(new byte[1500], 1500)),
                            "no answer to a replay from " + other.getLocalSocketAddress());
                }
            } finally {
                others.forEach(DatagramSocket::close);
            }
        }
    }

    @Test
    void aKeyIsRotatedAcrossThreeNodesWithoutAStatusChange() throws Exception {
        List<PulseEngine> nodes = List.of(engine(ONE, true), engine(ONE, true), engine(ONE, true));
        List<EngineEvents> events = new ArrayList<>();
        for (PulseEngine node : nodes) {
            events.add(new EngineEvents(node));
            for (PulseEngine other : nodes) {
                if (other != node) {
                    node.addTarget(other.localId(), TargetOptions.defaults());
                }
            }
        }
        for (int i = 0; i < nodes.size(); i++) {
            PulseEngine node = nodes.get(i);
            Eventually.await(
                    "all alive at " + node.localId(),
                    () -> node.statusAll().stream().allMatch(s -> s.state() == Liveness.ALIVE),
                    s -> s,
                    PulseEngineIT.SLACK);
            events.get(i).changes.clear();
        }
        Keyring installed = ring(1, Map.of(1, KEY_1, 2, KEY_2), "prod");
        Keyring used = ring(2, Map.of(1, KEY_1, 2, KEY_2), "prod");
        Keyring removed = ring(2, Map.of(2, KEY_2), "prod");
        for (Keyring step : List.of(installed, used, removed)) {
            for (PulseEngine node : nodes) { // one node at a time, as an operator's rollout would
                node.authentication().keyring(step);
                Thread.sleep(PulseEngineIT.FAST.probeInterval().toMillis() * 2);
            }
        }
        Thread.sleep(PulseEngineIT.FAST.probeInterval().toMillis() * 3);
        for (int i = 0; i < nodes.size(); i++) {
            List<Transition> changes = events.get(i).changes;
            assertTrue(changes.isEmpty(), "changes at " + nodes.get(i).localId() + ": " + changes);
            assertEquals(
                    0,
                    nodes.get(i).rejects().total(),
                    nodes.get(i).rejects().snapshot().toString());
        }
    }

    @Test
    void aClusterWithKeysFormsAndAMemberWithAnotherLabelNeverJoins() throws Exception {
        io.pulse.core.ClusterConfig fast = io.pulse.core.ClusterConfig.defaults();
        PulseEngine seed = engine(ONE, true);
        seed.startCluster(fast, null, List.of());
        List<PulseEngine> members = new ArrayList<>(List.of(seed));
        for (int i = 0; i < 2; i++) {
            PulseEngine member = engine(ONE, true);
            member.startCluster(fast, null, List.of(seed.localId().toString()));
            members.add(member);
        }
        PulseEngine stranger = engine(ring(1, Map.of(1, KEY_1), "another-cluster"), true);
        stranger.startCluster(fast, null, List.of(seed.localId().toString()));
        for (PulseEngine member : members) {
            Eventually.await(
                    member.localId() + " holds 3 members",
                    () -> member.clusterStats().joined() ? member.clusterStats().members() : 0,
                    n -> n == 3,
                    Duration.ofSeconds(10));
        }
        Thread.sleep(500);
        for (PulseEngine member : members) {
            assertEquals(3, member.members().size(), member.members().toString());
        }
        assertTrue(seed.rejects().count(RejectReason.BAD_MAC) > 0, "the stranger's joins were dropped");
        assertTrue(!stranger.clusterStats().joined(), "the stranger never heard back");
    }

    /** What a sender with {@code keyring} (null: none) puts on the wire for {@code message}. */
    private static byte[] encode(Keyring keyring, Message message) {
        DatagramAuth auth = keyring == null
                ? null
                : DatagramAuth.create(
                        keyring,
                        DatagramAuth.Mode.REQUIRED,
                        new InetSocketAddress("127.0.0.1", 9),
                        System.currentTimeMillis());
        EmbeddedChannel channel = new EmbeddedChannel(new DatagramCodec(new RejectCounters(), auth));
        channel.writeOutbound(new Envelope(new InetSocketAddress("127.0.0.1", 9), message));
        io.netty.channel.socket.DatagramPacket packet = channel.readOutbound();
        try {
            return ByteBufUtil.getBytes(packet.content());
        } finally {
            packet.release();
            channel.finishAndReleaseAll();
        }
    }

    private static Keyring ring(int primary, Map<Integer, byte[]> keys, String label) {
        return Keyring.of(new TreeMap<>(keys), primary, label);
    }

    private static byte[] key(int fill) {
        byte[] key = new byte[32];
        java.util.Arrays.fill(key, (byte) fill);
        return key;
    }
}
