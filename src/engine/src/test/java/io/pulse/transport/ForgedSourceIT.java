package io.pulse.transport;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.pulse.core.Liveness;
import io.pulse.core.Message;
import io.pulse.core.TargetOptions;
import io.pulse.core.Transition;
import io.pulse.protocol.Datagrams;
import io.pulse.protocol.WireFormat;
import io.pulse.testkit.Eventually;
import java.io.IOException;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/**
 * The attack of issue 14 on real sockets, with forged source addresses (a raw socket, so root
 * only; skipped elsewhere): a host that learns a sequence number off the monitor and then sends
 * ACKs from the relays' and the dead target's addresses, with every sequence near the one it saw,
 * cannot keep a dead node ALIVE.
 */
class ForgedSourceIT {
    private static final Path FORGE = Path.of("src/engine/src/test/resources/forge.py");

    @Test
    void forgedAcksFromTheRelaysAndTheTargetDoNotKeepADeadNodeAlive() throws Exception {
        List<PulseEngine> engines = new ArrayList<>();
        try (PulseEngine monitor = PulseEngine.builder()
                        .bind(PulseEngineIT.anyLoopbackPort())
                        .config(PulseEngineIT.FAST)
                        .start();
                DatagramSocket attacker = new DatagramSocket(new InetSocketAddress("127.0.0.1", 0))) {
            EngineEvents events = new EngineEvents(monitor);
            for (int i = 0; i < 4; i++) {
                PulseEngine responder = PulseEngine.builder()
                        .bind(PulseEngineIT.anyLoopbackPort())
                        .config(PulseEngineIT.FAST)
                        .probing(false)
                        .start();
                engines.add(responder);
                monitor.addTarget(responder.localId(), TargetOptions.defaults());
            }
            Eventually.await(
                    "all ALIVE",
                    () -> monitor.statusAll().stream().allMatch(s -> s.state() == Liveness.ALIVE),
                    all -> all,
                    PulseEngineIT.SLACK.multipliedBy(2));
            PulseEngine victim = engines.get(0);

            // What the attacker can learn: a PING_REQ naming itself makes the monitor send it a PING.
            attacker.setSoTimeout(2000);
            send(
                    attacker,
                    monitor.localAddress(),
                    new Message.PingReq(
                            1, (InetSocketAddress) attacker.getLocalSocketAddress(), Duration.ofMillis(100)));
            DatagramPacket seen = new DatagramPacket(new byte[2048], 2048);
            attacker.receive(seen);
            long learned = WireFormat.decode(Unpooled.wrappedBuffer(seen.getData(), 0, seen.getLength()))
                    .sequence();

            victim.close();
            events.changes.clear();
            List<InetSocketAddress> forgedSources = new ArrayList<>();
            forgedSources.add(victim.localAddress());
            engines.subList(1, engines.size()).forEach(relay -> forgedSources.add(relay.localAddress()));
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(4);
            long forged = 0;
            while (System.nanoTime() < deadline) {
                for (InetSocketAddress source : forgedSources) {
                    forged += forge(source, monitor.localAddress(), learned - 100, learned + 100);
                }
            }
            Transition dead = events.awaitChange(
                    c -> c.node().equals(victim.localId()) && c.current() == Liveness.DEAD, PulseEngineIT.SLACK);
            assertEquals(Liveness.DEAD, monitor.status(victim.localId()).state(), dead.toString());
            assertTrue(
                    events.changes.stream()
                            .noneMatch(c -> c.node().equals(victim.localId()) && c.current() == Liveness.ALIVE),
                    events.changes.toString());
            assertTrue(
                    monitor.counters().unmatchedAcks() + monitor.counters().misaddressedAcks() >= forged / 2,
                    forged + " forged; " + monitor.counters());
            assertTrue(
                    monitor.status(victim.localId()).incarnation() < Long.MAX_VALUE / 2,
                    "the forged incarnation stuck");
        } finally {
            engines.forEach(PulseEngine::close);
        }
    }

    /** ACKs for every sequence in [from, to] with a forged {@code source}; returns how many were sent. */
    private static int forge(InetSocketAddress source, InetSocketAddress target, long from, long to) throws Exception {
        Process python;
        try {
            python = new ProcessBuilder(
                            "python3",
                            FORGE.toString(),
                            source.getAddress().getHostAddress(),
                            Integer.toString(source.getPort()),
                            target.getAddress().getHostAddress(),
                            Integer.toString(target.getPort()))
                    .redirectErrorStream(true)
                    .start();
        } catch (IOException noPython) {
            Assumptions.abort("python3 is not here: " + noPython.getMessage());
            return 0;
        }
        try (Writer in = new OutputStreamWriter(python.getOutputStream(), StandardCharsets.US_ASCII)) {
            long now = System.currentTimeMillis() * 1_000_000;
            for (long sequence = from; sequence <= to; sequence++) {
                in.write(ByteBufUtil.hexDump(
                        Datagrams.encode(new Message.Ack(sequence, now, now, now, Long.MAX_VALUE))));
                in.write('\n');
            }
        } catch (IOException exited) {
            // python ended early (no raw socket): its exit code says so below
        }
        python.waitFor(10, TimeUnit.SECONDS);
        Assumptions.assumeTrue(python.exitValue() != 77, "raw sockets need root");
        assertEquals(0, python.exitValue(), new String(python.getInputStream().readAllBytes(), StandardCharsets.UTF_8));
        return (int) (to - from + 1);
    }

    private static void send(DatagramSocket socket, InetSocketAddress to, Message message) throws IOException {
        byte[] bytes = Datagrams.encode(message);
        socket.send(new DatagramPacket(bytes, bytes.length, to));
    }
}
