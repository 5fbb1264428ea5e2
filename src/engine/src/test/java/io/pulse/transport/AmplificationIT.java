package io.pulse.transport;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.pulse.core.ClusterConfig;
import io.pulse.core.ConfigRef;
import io.pulse.core.Labels;
import io.pulse.core.Message;
import io.pulse.protocol.Datagrams;
import io.pulse.testkit.Eventually;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetSocketAddress;
import java.net.SocketTimeoutException;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/** What an unauthenticated stranger gets out of a node, byte for byte and datagram for datagram. */
class AmplificationIT {

    @Test
    void noAnswerIsLargerThanTheDatagramThatAskedForIt() throws Exception {
        try (PulseEngine node = PulseEngine.builder()
                        .bind(PulseEngineIT.anyLoopbackPort())
                        .config(PulseEngineIT.FAST)
                        .probing(false)
                        .start();
                DatagramSocket attacker = new DatagramSocket(new InetSocketAddress("127.0.0.1", 0));
                DatagramSocket victim = new DatagramSocket(new InetSocketAddress("127.0.0.1", 0))) {
            attacker.setSoTimeout(2000);
            victim.setSoTimeout(2000);
            long now = System.currentTimeMillis() * 1_000_000;

            byte[] ping = Datagrams.encode(new Message.Ping(1, now));
            attacker.send(new DatagramPacket(ping, ping.length, node.localAddress()));
            assertEquals(ping.length, receive(attacker), "ACK size for a " + ping.length + "-byte PING");

            byte[] request = Datagrams.encode(
                    new Message.PingReq(2, (InetSocketAddress) victim.getLocalSocketAddress(), Duration.ofMillis(200)));
            attacker.send(new DatagramPacket(request, request.length, node.localAddress()));
            int atVictim = receive(victim);
            assertTrue(
                    atVictim <= request.length,
                    atVictim + " bytes at the victim for a " + request.length + "-byte PING_REQ");
            int nack = receive(attacker);
            assertTrue(nack <= request.length, nack + "-byte NACK for a " + request.length + "-byte PING_REQ");
        }
    }

    /**
     * A cluster member without keys ({@code security.auth.mode: none}): a JOIN gets a smaller
     * CHALLENGE, a CONFIG_REQUEST gets a page only if it is padded to the largest page, a PING an ACK
     * of its size; nothing a stranger sends gets more bytes back than it sent.
     */
    @Test
    void aClusterMemberWithoutKeysAnswersNoStrangerWithMoreThanItSent() throws Exception {
        try (PulseEngine member = PulseEngine.builder()
                        .bind(PulseEngineIT.anyLoopbackPort())
                        .config(PulseEngineIT.FAST)
                        .start();
                DatagramSocket attacker = new DatagramSocket(new InetSocketAddress("127.0.0.1", 0))) {
            member.startCluster(ClusterConfig.defaults(), null, List.of());
            Eventually.await("founded", () -> member.clusterStats().joined(), joined -> joined, Duration.ofSeconds(5));
            ConfigRef config = member.clusterStats().configuration();
            attacker.setSoTimeout(1000);

            byte[] join = Datagrams.encode(new Message.Join(1, 1, 0, Labels.NONE));
            attacker.send(new DatagramPacket(join, join.length, member.localAddress()));
            int challenge = receive(attacker);
            assertTrue(challenge <= join.length, challenge + "-byte CHALLENGE for a " + join.length + "-byte JOIN");

            byte[] ping = Datagrams.encode(new Message.Ping(2, System.currentTimeMillis() * 1_000_000, config));
            attacker.send(new DatagramPacket(ping, ping.length, member.localAddress()));
            assertEquals(ping.length, receive(attacker), "ACK size for a " + ping.length + "-byte PING");

            byte[] unpadded = Datagrams.encode(new Message.ConfigRequest(3, config, 0, 0));
            attacker.send(new DatagramPacket(unpadded, unpadded.length, member.localAddress()));
            assertThrows(SocketTimeoutException.class, () -> receive(attacker), "no page for an unpadded request");

            byte[] padded = Datagrams.encode(new Message.ConfigRequest(4, config, 0, 1400 - unpadded.length - 51));
            attacker.send(new DatagramPacket(padded, padded.length, member.localAddress()));
            int page = receive(attacker);
            assertTrue(page <= padded.length, page + "-byte CONFIG_PAGE for a " + padded.length + "-byte request");
        }
    }

    @Test
    void oneSourceGetsASecondsWorthOfAnswersHoweverFastItAsks() throws Exception {
        try (PulseEngine node = PulseEngine.builder()
                        .bind(PulseEngineIT.anyLoopbackPort())
                        .config(PulseEngineIT.FAST)
                        .probing(false)
                        .answerLimits(50, 1000)
                        .start();
                DatagramSocket attacker = new DatagramSocket(new InetSocketAddress("127.0.0.1", 0))) {
            attacker.setSoTimeout(500);
            byte[] ping = Datagrams.encode(new Message.Ping(1, 0));
            for (int i = 0; i < 500; i++) {
                attacker.send(new DatagramPacket(ping, ping.length, node.localAddress()));
            }
            int answers = 0;
            try {
                while (true) {
                    receive(attacker);
                    answers++;
                }
            } catch (SocketTimeoutException done) {
                // no more
            }
            // 50 at once, plus what refilled while the 500 arrived (well under a second on loopback)
            assertTrue(answers >= 50 && answers < 100, answers + " answers to 500 PINGs");
            assertTrue(node.counters().answersLimited() >= 400, node.counters().toString());
        }
    }

    private static int receive(DatagramSocket socket) throws Exception {
        DatagramPacket packet = new DatagramPacket(new byte[2048], 2048);
        socket.receive(packet);
        return packet.getLength();
    }
}
