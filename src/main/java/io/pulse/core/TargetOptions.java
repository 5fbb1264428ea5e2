package io.pulse.core;

import java.time.Duration;
import java.util.Objects;

/**
 * Per-target overrides of the detector's defaults.
 *
 * <pre>{@code
 * engine.addTarget("10.0.0.7:7946", TargetOptions.defaults().withProbeInterval(Duration.ofMillis(500)));
 * }</pre>
 *
 * @param probeInterval time between the starts of two probe rounds, or {@code null} for the
 *                      detector's {@link DetectorConfig#probeInterval()}
 * @param maxRetries    direct PING retries per round, or {@code -1} for the detector's
 *                      {@link DetectorConfig#maxRetries()}
 */
public record TargetOptions(Duration probeInterval, int maxRetries) {
    private static final TargetOptions DEFAULTS = new TargetOptions(null, -1);

    public TargetOptions {
        if (probeInterval != null) {
            DetectorConfig.requireAtLeast("probeInterval", probeInterval, DetectorConfig.MIN_PROBE_INTERVAL);
        }
        if (maxRetries < -1 || maxRetries > DetectorConfig.MAX_RETRIES_LIMIT) {
            throw new IllegalArgumentException("maxRetries must be in 0.." + DetectorConfig.MAX_RETRIES_LIMIT
                    + " (or -1 for the default), got " + maxRetries);
        }
    }

    public static TargetOptions defaults() {
        return DEFAULTS;
    }

    public TargetOptions withProbeInterval(Duration interval) {
        return new TargetOptions(Objects.requireNonNull(interval, "interval"), maxRetries);
    }

    public TargetOptions withMaxRetries(int retries) {
        if (retries < 0) {
            throw new IllegalArgumentException("maxRetries must be >= 0, got " + retries);
        }
        return new TargetOptions(probeInterval, retries);
    }

    Duration probeIntervalOr(Duration fallback) {
        return probeInterval != null ? probeInterval : fallback;
    }

    int maxRetriesOr(int fallback) {
        return maxRetries >= 0 ? maxRetries : fallback;
    }
}
