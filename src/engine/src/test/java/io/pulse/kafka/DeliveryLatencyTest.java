package io.pulse.kafka;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class DeliveryLatencyTest {
    private final DeliveryLatency latency = new DeliveryLatency();
    private final List<Duration> heard = new ArrayList<>();

    @Test
    void anAcknowledgedEventIsTimedFromItsJournalWrite() {
        latency.journaled(7, 1_000);
        latency.acknowledged(7, 5_000); // no listener yet: nothing to tell
        latency.listener(heard::add);
        latency.journaled(8, 2_000);
        latency.acknowledged(8, 2_500_000);
        assertEquals(List.of(Duration.ofNanos(2_498_000)), heard);
    }

    @Test
    void eventsWhoseTimeIsNotKeptAreNotReported() {
        latency.listener(heard::add);
        latency.acknowledged(3, 10_000); // journaled before this start
        latency.journaled(4, 1_000);
        latency.journaled(4 + DeliveryLatency.SLOTS, 2_000); // the slot taken by a newer event
        latency.acknowledged(4, 10_000);
        latency.acknowledged(4 + DeliveryLatency.SLOTS, 12_000);
        assertEquals(List.of(Duration.ofNanos(10_000)), heard);
    }
}
