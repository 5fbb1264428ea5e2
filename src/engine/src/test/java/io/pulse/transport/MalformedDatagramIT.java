package io.pulse.transport;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.buffer.Unpooled;
import io.pulse.core.Liveness;
import io.pulse.core.Message;
import io.pulse.core.TargetOptions;
import io.pulse.protocol.Datagrams;
import io.pulse.protocol.MalformedDatagramException;
import io.pulse.protocol.RejectReason;
import io.pulse.protocol.WireFormat;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** Junk sent at a live engine: it is counted by reason, changes no state, and the engine keeps working. */
class MalformedDatagramIT {

    @Test
    void aLiveEngineShrugsOffEveryKindOfMalformedDatagram() throws Exception {
        try (PulseEngine monitor = PulseEngine.builder()
                        .bind(PulseEngineIT.anyLoopbackPort())
                        .config(PulseEngineIT.FAST)
                        .start();
                PulseEngine responder = PulseEngine.builder()
                        .bind(PulseEngineIT.anyLoopbackPort())
                        .config(PulseEngineIT.FAST)
                        .probing(false)
                        .start();
                DatagramSocket junk = new DatagramSocket(new InetSocketAddress("127.0.0.1", 0))) {
            EngineEvents events = new EngineEvents(monitor);
            monitor.addTarget(responder.localId(), TargetOptions.defaults());
            events.awaitChange(c -> c.current() == Liveness.ALIVE, PulseEngineIT.SLACK);
            int changesBefore = events.changes.size();

            List<byte[]> datagrams = junk();
            Map<RejectReason, Long> expected = new EnumMap<>(RejectReason.class);
            for (byte[] datagram : datagrams) {
                expected.merge(reasonFor(datagram), 1L, Long::sum);
            }
            for (PulseEngine target : List.of(monitor, responder)) {
                for (byte[] datagram : datagrams) {
                    junk.send(new DatagramPacket(datagram, datagram.length, target.localAddress()));
                }
            }
            for (PulseEngine target : List.of(monitor, responder)) {
                awaitRejected(target, datagrams.size());
                for (RejectReason reason : RejectReason.values()) {
                    assertEquals(
                            expected.getOrDefault(reason, 0L), target.rejects().count(reason), reason.name());
                }
            }
            List<RejectReason> withoutKeys = Arrays.stream(RejectReason.values())
                    .filter(r -> !r.authentication())
                    .toList();
            assertTrue(
                    expected.keySet().containsAll(withoutKeys), "the junk covers every reason: " + expected.keySet());

            // Well-formed but answering nothing: counted, and no state changes.
            byte[] strayAck = Datagrams.encode(new Message.Ack(123_456_789, 1, 2, 3, 99));
            junk.send(new DatagramPacket(strayAck, strayAck.length, monitor.localAddress()));

            // Still working: a PING from the junk socket is answered, and the target stays ALIVE.
            byte[] ping = Datagrams.encode(new Message.Ping(42, 7));
            junk.send(new DatagramPacket(ping, ping.length, responder.localAddress()));
            junk.setSoTimeout(5_000);
            DatagramPacket answer =
                    new DatagramPacket(new byte[WireFormat.MAX_DATAGRAM_BYTES], WireFormat.MAX_DATAGRAM_BYTES);
            junk.receive(answer);
            Message.Ack ack =
                    (Message.Ack) WireFormat.decode(Unpooled.wrappedBuffer(answer.getData(), 0, answer.getLength()));
            assertEquals(42, ack.sequence());
            assertEquals(responder.incarnation(), ack.incarnation());

            Thread.sleep(PulseEngineIT.FAST.probeInterval().multipliedBy(3).toMillis()); // let probe rounds run
            assertEquals(Liveness.ALIVE, monitor.status(responder.localId()).state());
            assertEquals(changesBefore, events.changes.size(), "no state changed: " + events.changes);
            assertEquals(1, monitor.counters().unmatchedAcks());
        }
    }

    /** Random bytes, every truncation of every message, and each header fault. */
    private static List<byte[]> junk() {
        List<byte[]> all = new ArrayList<>();
        Random random = new Random(20261122);
        for (int i = 0; i < 300; i++) {
            byte[] bytes = new byte[1 + random.nextInt(1_500)];
            random.nextBytes(bytes);
            all.add(bytes);
        }
        List<Message> valid = List.of(
                new Message.Ping(1, 2),
                new Message.Ack(1, 2, 3, 4, 5),
                new Message.PingReq(
                        1, new InetSocketAddress(InetAddress.getLoopbackAddress(), 9), Duration.ofMillis(5)),
                new Message.Nack(1, new InetSocketAddress(InetAddress.getLoopbackAddress(), 9)));
        for (Message message : valid) {
            byte[] whole = Datagrams.encode(message);
            for (int length = 1; length < whole.length; length++) {
                all.add(Arrays.copyOf(whole, length));
            }
            all.add(Arrays.copyOf(whole, whole.length + 1)); // trailing byte
            all.add(with(whole, 0, 0x13)); // magic
            all.add(with(whole, 2, 0)); // version 0
            all.add(with(whole, 2, 1)); // version 1, unpadded PINGs: no longer spoken
            all.add(with(whole, 3, 17)); // type
            all.add(with(whole, 4, 1)); // flags: MAC present
        }
        byte[] badFamily = Datagrams.encode(valid.get(3));
        badFamily[WireFormat.HEADER_BYTES] = 5;
        all.add(badFamily);
        all.add(new byte[WireFormat.MAX_DATAGRAM_BYTES + 1]);
        all.add(new byte[4_000]);
        return all;
    }

    private static byte[] with(byte[] bytes, int index, int value) {
        byte[] copy = bytes.clone();
        copy[index] = (byte) value;
        return copy;
    }

    /** What the engine should count: the reason WireFormat gives, oversize past the socket's buffer included. */
    private static RejectReason reasonFor(byte[] datagram) {
        int received = Math.min(datagram.length, EngineSockets.RECEIVE_BUFFER_BYTES);
        try {
            WireFormat.decode(Unpooled.wrappedBuffer(datagram, 0, received));
            throw new AssertionError("junk decoded as a valid message: " + Arrays.toString(datagram));
        } catch (MalformedDatagramException e) {
            return e.reason();
        }
    }

    private static void awaitRejected(PulseEngine engine, long count) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (engine.rejects().total() < count && System.nanoTime() < deadline) {
            Thread.sleep(10);
        }
        assertEquals(
                count,
                engine.rejects().total(),
                "rejected datagrams: " + engine.rejects().snapshot());
    }
}
