package io.pulse.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class DetectorConfigTest {

    @Test
    void defaultsWorkOnALan() {
        DetectorConfig config = DetectorConfig.defaults();
        assertEquals(Duration.ofSeconds(1), config.probeInterval());
        assertEquals(Duration.ofMillis(200), config.probeTimeoutMin());
        assertEquals(Duration.ofMillis(500), config.probeTimeoutMax());
        assertEquals(2, config.maxRetries());
        assertEquals(3, config.indirectProbes());
        assertEquals(Duration.ofSeconds(1), config.suspicionTimeout());
        assertEquals(Duration.ofSeconds(5), config.deadProbeInterval());
    }

    @Test
    void worstCaseDetectionAddsTheWaitTwoRoundsAndTheSuspicion() {
        // 1.1 s to the next round + 1.5 s round + 1 s suspicion + 1.5 s round in flight
        assertEquals(Duration.ofMillis(5_100), DetectorConfig.defaults().worstCaseDetection());
    }

    @Test
    void settersNameTheKeyAndTheValue() {
        DetectorConfig.Builder builder = DetectorConfig.builder();
        assertEquals(
                "probeInterval must be in 10 ms..86400000 ms, got 5 ms",
                assertThrows(IllegalArgumentException.class, () -> builder.probeInterval(Duration.ofMillis(5)))
                        .getMessage());
        assertEquals(
                "maxRetries must be in 0..10, got 11",
                assertThrows(IllegalArgumentException.class, () -> builder.maxRetries(11))
                        .getMessage());
        assertEquals(
                "indirectProbes must be in 0..16, got -1",
                assertThrows(IllegalArgumentException.class, () -> builder.indirectProbes(-1))
                        .getMessage());
        assertEquals(
                "jitterRatio must be in 0..0.5, got 0.9",
                assertThrows(IllegalArgumentException.class, () -> builder.jitterRatio(0.9))
                        .getMessage());
    }

    @Test
    void buildChecksRulesAcrossSettings() {
        IllegalArgumentException e = assertThrows(
                IllegalArgumentException.class,
                () -> DetectorConfig.builder()
                        .probeTimeoutMin(Duration.ofMillis(800))
                        .probeTimeoutMax(Duration.ofMillis(300))
                        .build());
        assertEquals("probeTimeoutMin (800 ms) must be <= probeTimeoutMax (300 ms)", e.getMessage());
    }

    @Test
    void targetOptionsNameTheirKeys() {
        assertEquals(
                "maxRetries must be in 0..10 (or -1 for the default), got 12",
                assertThrows(IllegalArgumentException.class, () -> new TargetOptions(null, 12, null))
                        .getMessage());
        assertEquals(
                "probeInterval must be in 10 ms..86400000 ms, got 1 ms",
                assertThrows(
                                IllegalArgumentException.class,
                                () -> TargetOptions.defaults().withProbeInterval(Duration.ofMillis(1)))
                        .getMessage());
    }
}
