package io.pulse.bench;

import io.pulse.core.DetectorConfig;
import io.pulse.core.Liveness;
import io.pulse.core.TargetOptions;
import io.pulse.core.Transition;
import io.pulse.transport.PulseEngine;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A flood at a monitor: {@code targets} healthy responders watched with the default timing, then
 * {@code seconds} of valid-looking PINGs at the monitor's port from 8 sockets of a Python process,
 * at {@code rate} datagrams a second (0: as fast as it can). Prints the flood's real rate, what the
 * monitor received, answered and dropped, and every status change: a healthy peer going SUSPECT
 * is a false positive the flood caused.
 *
 * <pre>{@code
 * java -cp target/classes:target/test-classes:$(cat cp.txt) io.pulse.bench.FloodBench 5 20 200000
 * }</pre>
 */
public final class FloodBench {
    private FloodBench() {}

    public static void main(String[] args) throws Exception {
        int targets = args.length > 0 ? Integer.parseInt(args[0]) : 5;
        int seconds = args.length > 1 ? Integer.parseInt(args[1]) : 20;
        int rate = args.length > 2 ? Integer.parseInt(args[2]) : 200_000;
        DetectorConfig config = DetectorConfig.defaults();
        List<PulseEngine> responders = new ArrayList<>();
        List<Transition> changes = new CopyOnWriteArrayList<>();
        try (PulseEngine monitor = PulseEngine.builder()
                .bind(new InetSocketAddress("127.0.0.1", 0))
                .config(config)
                .start()) {
            monitor.onStatusChange(changes::add);
            for (int i = 0; i < targets; i++) {
                PulseEngine responder = PulseEngine.builder()
                        .bind(new InetSocketAddress("127.0.0.1", 0))
                        .config(config)
                        .probing(false)
                        .start();
                responders.add(responder);
                monitor.addTarget(responder.localId(), TargetOptions.defaults());
            }
            Thread.sleep(3000);
            long alive = monitor.statusAll().stream()
                    .filter(s -> s.state() == Liveness.ALIVE)
                    .count();
            System.out.printf("before: %d of %d ALIVE, %d changes%n", alive, targets, changes.size());
            changes.clear();
            Path script = Path.of("src/engine/src/test/resources/flood.py");
            Process flood = new ProcessBuilder(
                            "python3",
                            script.toString(),
                            "127.0.0.1",
                            Integer.toString(monitor.localAddress().getPort()),
                            Integer.toString(seconds),
                            Integer.toString(rate))
                    .redirectErrorStream(true)
                    .start();
            String out = new String(flood.getInputStream().readAllBytes()).strip();
            flood.waitFor();
            Thread.sleep(config.probeInterval().toMillis() * 3);
            System.out.println("flood: " + out);
            System.out.printf(
                    "monitor: answers limited %d, rejected %d, unmatched ACKs %d, local health x%d%n",
                    monitor.counters().answersLimited(),
                    monitor.rejects().total(),
                    monitor.counters().unmatchedAcks(),
                    monitor.localHealthMultiplier());
            long suspects =
                    changes.stream().filter(c -> c.current() != Liveness.ALIVE).count();
            System.out.printf(
                    "during and after: %d changes, %d away from ALIVE (false positives)%n", changes.size(), suspects);
            changes.forEach(c -> System.out.println("  " + c));
        } finally {
            responders.forEach(PulseEngine::close);
        }
    }
}
