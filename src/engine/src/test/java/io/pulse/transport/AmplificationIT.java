package io.pulse.transport;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.pulse.core.Message;
import io.pulse.protocol.Datagrams;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetSocketAddress;
import java.net.SocketTimeoutException;
import java.time.Duration;
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
