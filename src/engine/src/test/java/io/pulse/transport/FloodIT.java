package io.pulse.transport;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.pulse.core.DetectorConfig;
import io.pulse.core.Liveness;
import io.pulse.core.Message;
import io.pulse.core.TargetOptions;
import io.pulse.protocol.WireFormat;
import io.pulse.testkit.Eventually;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * A flood of valid PINGs at a monitor, from 8 sockets at up to {@value #RATE} a second (bounded: 5 s
 * or 2 million datagrams): its healthy targets stay ALIVE, and the flood shows in the counters.
 * {@code FloodBench} runs the same at a chosen rate from another process and prints the figures.
 */
class FloodIT {
    /**
     * Datagrams a second at most: a rate the flooder, in the same JVM on the same 2 cores as the
     * engines, keeps up without starving them of CPU itself; FloodBench floods from another process.
     */
    private static final long RATE = 100_000;

    @Test
    void aFloodOfPingsCostsAnswersNotDetection() throws Exception {
        DetectorConfig config = DetectorConfig.defaults();
        List<PulseEngine> responders = new ArrayList<>();
        try (PulseEngine monitor = PulseEngine.builder()
                .bind(PulseEngineIT.anyLoopbackPort())
                .config(config)
                .start()) {
            EngineEvents events = new EngineEvents(monitor);
            for (int i = 0; i < 3; i++) {
                PulseEngine responder = PulseEngine.builder()
                        .bind(PulseEngineIT.anyLoopbackPort())
                        .config(config)
                        .probing(false)
                        .start();
                responders.add(responder);
                monitor.addTarget(responder.localId(), TargetOptions.defaults());
            }
            Eventually.await(
                    "all ALIVE",
                    () -> monitor.statusAll().stream().allMatch(s -> s.state() == Liveness.ALIVE),
                    all -> all,
                    config.probeInterval().multipliedBy(3));
            events.changes.clear();

            long sent = flood(monitor.localAddress(), 8, RATE, 5_000, 2_000_000);
            Thread.sleep(config.probeInterval().toMillis() * 2);

            assertEquals(List.of(), events.changes, "status changes during a flood of " + sent + " PINGs");
            assertTrue(monitor.counters().answersLimited() > sent / 4, sent + " sent, " + monitor.counters());
        } finally {
            responders.forEach(PulseEngine::close);
        }
    }

    /**
     * Sends PINGs to {@code target} from {@code sources} sockets, round robin, at up to {@code rate} a
     * second, until {@code millis} pass or {@code most} are sent; returns how many.
     */
    static long flood(InetSocketAddress target, int sources, long rate, long millis, long most) throws Exception {
        ByteBuf buf = Unpooled.buffer();
        WireFormat.encode(new Message.Ping(1, System.currentTimeMillis() * 1_000_000), buf);
        ByteBuffer ping = buf.nioBuffer();
        List<DatagramChannel> sockets = new ArrayList<>();
        try {
            for (int i = 0; i < sources; i++) {
                sockets.add(DatagramChannel.open().bind(new InetSocketAddress("127.0.0.1", 0)));
            }
            long start = System.nanoTime();
            long deadline = start + millis * 1_000_000;
            long sent = 0;
            while (sent < most && System.nanoTime() < deadline) {
                for (int i = 0; i < 500; i++) {
                    sockets.get((int) ((sent + i) % sources)).send(ping.duplicate(), target);
                }
                sent += 500;
                long ahead = sent * 1_000_000_000L / rate - (System.nanoTime() - start);
                if (ahead > 0) {
                    Thread.sleep(ahead / 1_000_000, (int) (ahead % 1_000_000));
                }
            }
            return sent;
        } finally {
            for (DatagramChannel socket : sockets) {
                socket.close();
            }
            buf.release();
        }
    }
}
