package io.pulse.kafka;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.pulse.core.NodeId;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** A damaged outbox does not stop the publisher from starting and journaling (no broker needed). */
@Timeout(60)
class PulsePublisherDamageTest {
    @TempDir
    Path root;

    @Test
    void aPublisherStartsOverADamagedOutboxAndCountsIt() throws Exception {
        Path dir = root.resolve("outbox");
        try (Outbox outbox = Outbox.open(dir, 1 << 20)) {
            outbox.append(OutboxTest.record(1));
        }
        Files.writeString(dir.resolve("CURRENT"), "garbage");

        PulsePublisher publisher = PulsePublisher.builder()
                .bootstrapServers("127.0.0.1:9")
                .observer("10.0.0.1:7946")
                .outboxDir(dir)
                .property(PublisherConfig.STARTUP_TIMEOUT_MS, 0)
                .property(PublisherConfig.CLOSE_TIMEOUT_MS, 0)
                .build();
        try {
            assertTrue(publisher.publishRemoval(NodeId.parse("10.0.0.2:7946")));
            PublisherStats stats = publisher.stats();
            assertEquals(1, stats.outboxCorruptions());
            assertEquals(0, stats.lostEvents());
            assertEquals(1, stats.published());
            assertEquals(1, stats.pendingEvents(), "the new event waits; the one in the damaged outbox is not there");
        } finally {
            publisher.close();
        }
        try (var files = Files.list(root)) {
            assertEquals(2, files.count(), "the outbox and the damaged one beside it");
        }
    }
}
