package io.pulse.core;

import java.time.Duration;

/**
 * A named preset of every timing of detection and agreement, after memberlist's LAN, WAN and local
 * configurations. The sidecar's {@code detector.profile} names one; a library user applies it to
 * the builders and may change any value after.
 *
 * <pre>{@code
 * DetectorConfig detector = Profile.FAST.applyTo(DetectorConfig.builder()).build();
 * ClusterConfig cluster = Profile.FAST.applyTo(ClusterConfig.builder()).build();
 * }</pre>
 */
public enum Profile {
    /** The defaults: a crash decided in about 2.3 s on a LAN, no false DEAD at 20 % loss. */
    LAN(
            DetectorConfig.DEFAULT_PROBE_INTERVAL,
            DetectorConfig.DEFAULT_PROBE_TIMEOUT_MIN,
            DetectorConfig.DEFAULT_PROBE_TIMEOUT_MAX,
            DetectorConfig.DEFAULT_MAX_RETRIES,
            DetectorConfig.DEFAULT_SUSPICION_TIMEOUT,
            DetectorConfig.DEFAULT_DEAD_PROBE_INTERVAL,
            ClusterConfig.DEFAULT_CONSENSUS_TIMEOUT),
    /**
     * The quickest verdict a LAN with sub-millisecond RTT allows: probes every 200 ms, 150 ms at most
     * to answer, 300 ms of suspicion and of a consensus round; five times the probes of {@link #LAN}.
     */
    FAST(ms(200), ms(50), ms(150), 1, ms(300), ms(1000), ms(300)),
    /** Links of 100 to 300 ms RTT with jitter and a few percent of loss. */
    WAN(ms(2000), ms(500), ms(2000), 3, ms(5000), ms(10_000), ms(3000)),
    /** One host (loopback: tests, a laptop). */
    LOCAL(ms(500), ms(20), ms(100), 1, ms(500), ms(2000), ms(500));

    private final Duration probeInterval;
    private final Duration probeTimeoutMin;
    private final Duration probeTimeoutMax;
    private final int maxRetries;
    private final Duration suspicionTimeout;
    private final Duration deadProbeInterval;
    private final Duration consensusTimeout;

    Profile(
            Duration probeInterval,
            Duration probeTimeoutMin,
            Duration probeTimeoutMax,
            int maxRetries,
            Duration suspicionTimeout,
            Duration deadProbeInterval,
            Duration consensusTimeout) {
        this.probeInterval = probeInterval;
        this.probeTimeoutMin = probeTimeoutMin;
        this.probeTimeoutMax = probeTimeoutMax;
        this.maxRetries = maxRetries;
        this.suspicionTimeout = suspicionTimeout;
        this.deadProbeInterval = deadProbeInterval;
        this.consensusTimeout = consensusTimeout;
    }

    private static Duration ms(long millis) {
        return Duration.ofMillis(millis);
    }

    /** Sets this profile's detection timings on {@code builder}; its other values stay. */
    public DetectorConfig.Builder applyTo(DetectorConfig.Builder builder) {
        return builder.probeInterval(probeInterval)
                .probeTimeoutMin(probeTimeoutMin)
                .probeTimeoutMax(probeTimeoutMax)
                .maxRetries(maxRetries)
                .suspicionTimeout(suspicionTimeout)
                .deadProbeInterval(deadProbeInterval);
    }

    /** Sets this profile's agreement timings on {@code builder}; its other values stay. */
    public ClusterConfig.Builder applyTo(ClusterConfig.Builder builder) {
        return builder.consensusTimeout(consensusTimeout);
    }

    public Duration probeInterval() {
        return probeInterval;
    }

    public Duration probeTimeoutMin() {
        return probeTimeoutMin;
    }

    public Duration probeTimeoutMax() {
        return probeTimeoutMax;
    }

    public int maxRetries() {
        return maxRetries;
    }

    public Duration suspicionTimeout() {
        return suspicionTimeout;
    }

    public Duration deadProbeInterval() {
        return deadProbeInterval;
    }

    public Duration consensusTimeout() {
        return consensusTimeout;
    }
}
