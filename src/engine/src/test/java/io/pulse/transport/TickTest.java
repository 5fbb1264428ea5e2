package io.pulse.transport;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.pulse.core.DetectorConfig;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** How late a due timer may fire: a tenth of the shortest probe timeout, kept within 1..5 ms. */
class TickTest {
    private static long tickMillis(Duration probeTimeoutMin) {
        DetectorConfig config =
                DetectorConfig.builder().probeTimeoutMin(probeTimeoutMin).build();
        return Duration.ofNanos(EngineLoop.tickNanos(config)).toMillis();
    }

    @Test
    void theDefaultsTickEveryFiveMilliseconds() {
        assertEquals(
                5,
                Duration.ofNanos(EngineLoop.tickNanos(DetectorConfig.defaults()))
                        .toMillis());
    }

    @Test
    void shortProbeTimeoutsTickFinerDownToOneMillisecond() {
        assertEquals(5, tickMillis(Duration.ofMillis(50)));
        assertEquals(2, tickMillis(Duration.ofMillis(20)));
        assertEquals(1, tickMillis(Duration.ofMillis(10)));
        assertEquals(1, tickMillis(Duration.ofMillis(1)));
    }
}
