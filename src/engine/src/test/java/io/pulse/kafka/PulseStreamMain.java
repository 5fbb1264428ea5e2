package io.pulse.kafka;

import io.pulse.core.Liveness;
import io.pulse.core.NodeId;
import io.pulse.core.Transition;
import java.io.FileOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.locks.LockSupport;

/**
 * A Pulse stand-in for {@link PulseKillIT}, run in its own JVM: emits events
 * {@code 0..count-1} through the real publisher into the given outbox, one every
 * {@code spacingMicros}, then closes the publisher (waiting for Kafka) and exits 0.
 *
 * <pre>
 * java ... io.pulse.kafka.PulseStreamMain bootstrap outboxDir progressFile count spacingMicros
 * </pre>
 *
 * After each event is published one byte is appended to {@code progressFile}, so a restart
 * continues where the killed run stopped. A kill between the two re-emits one event; it is the
 * same decision, so it has the same event id and consumers drop it as a duplicate.
 */
public final class PulseStreamMain {
    static final Instant T0 = Instant.parse("2024-05-01T12:00:00Z");

    private PulseStreamMain() {}

    /** Event i: node i % 20, incarnation i, decided at T0 + i ms. */
    static Transition event(int i) {
        return new Transition(
                NodeId.of("10.0.0." + (i % 20), 7946),
                Liveness.SUSPECT,
                Liveness.DEAD,
                i,
                T0.plusMillis(i),
                Duration.ofMillis(1),
                null,
                i,
                1,
                Transition.Reason.SUSPICION_TIMEOUT);
    }

    public static void main(String[] args) throws IOException {
        String bootstrap = args[0];
        Path outboxDir = Path.of(args[1]);
        Path progress = Path.of(args[2]);
        int count = Integer.parseInt(args[3]);
        long spacingNanos = Long.parseLong(args[4]) * 1_000;
        int first = Files.exists(progress) ? (int) Files.size(progress) : 0;
        System.out.println("emitting " + first + ".." + (count - 1));
        try (PulsePublisher publisher = PulsePublisher.builder()
                        .bootstrapServers(bootstrap)
                        .observer("stream-main")
                        .topicPrefix("kill")
                        .outboxDir(outboxDir)
                        .property(PublisherConfig.TOPIC_PARTITIONS, 2)
                        .property(PublisherConfig.CLOSE_TIMEOUT_MS, 60_000)
                        .build();
                FileOutputStream progressOut = new FileOutputStream(progress.toFile(), true)) {
            long next = System.nanoTime();
            for (int i = first; i < count; i++) {
                if (!publisher.publish(event(i))) {
                    throw new IllegalStateException("outbox refused event " + i);
                }
                progressOut.write('.');
                next += spacingNanos;
                LockSupport.parkNanos(next - System.nanoTime());
            }
            System.out.println("emitted; closing " + publisher.stats());
        }
        System.out.println("closed");
    }
}
