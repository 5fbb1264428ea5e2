package io.pulse.core;

import java.time.Duration;
import java.util.Objects;

/**
 * Per-target overrides of the detector's defaults.
 *
 * <pre>{@code
 * engine.addTarget("10.0.0.7:7946", TargetOptions.defaults().withProbeInterval(Duration.ofMillis(500)));
 * engine.addHttpTarget(HttpProbeSpec.of("http://10.0.0.8/slow-health"), TargetOptions.defaults()
 *         .withProbeInterval(Duration.ofSeconds(5)).withProbeTimeout(Duration.ofSeconds(2)));
 * }</pre>
 *
 * @param probeInterval time between the starts of two probe rounds, or {@code null} for the
 *                      detector's {@link DetectorConfig#probeInterval()}
 * @param maxRetries    direct PING retries per round, or {@code -1} for the detector's
 *                      {@link DetectorConfig#maxRetries()}
 * @param probeTimeout  this target's ceiling of the adaptive probe timeout in place of
 *                      {@link DetectorConfig#probeTimeoutMax()} (a slow service may need more than
 *                      its peers, a fast one less), or {@code null} for the detector's
 */
public record TargetOptions(Duration probeInterval, int maxRetries, Duration probeTimeout) {
    private static final TargetOptions DEFAULTS = new TargetOptions(null, -1, null);

    public TargetOptions {
        if (probeTimeout != null) {
            DetectorConfig.requireAtLeast("probeTimeout", probeTimeout, Duration.ofMillis(1));
            if (probeTimeout.compareTo(Message.PingReq.MAX_TIMEOUT) > 0) {
                throw new IllegalArgumentException("probeTimeout must be <= " + Message.PingReq.MAX_TIMEOUT.toSeconds()
                        + " s, got " + probeTimeout.toMillis() + " ms");
            }
        }
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
        return new TargetOptions(Objects.requireNonNull(interval, "interval"), maxRetries, probeTimeout);
    }

    public TargetOptions withMaxRetries(int retries) {
        if (retries < 0) {
            throw new IllegalArgumentException("maxRetries must be >= 0, got " + retries);
        }
        return new TargetOptions(probeInterval, retries, probeTimeout);
    }

    /** This target's ceiling of the adaptive probe timeout (see {@link #probeTimeout()}). */
    public TargetOptions withProbeTimeout(Duration timeout) {
        return new TargetOptions(probeInterval, maxRetries, Objects.requireNonNull(timeout, "timeout"));
    }

    Duration probeIntervalOr(Duration fallback) {
        return probeInterval != null ? probeInterval : fallback;
    }

    /** The ceiling in nanoseconds, or {@code fallbackNanos}. */
    long probeTimeoutNanosOr(long fallbackNanos) {
        return probeTimeout != null ? probeTimeout.toNanos() : fallbackNanos;
    }

    int maxRetriesOr(int fallback) {
        return maxRetries >= 0 ? maxRetries : fallback;
    }
}
