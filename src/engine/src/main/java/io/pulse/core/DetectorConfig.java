package io.pulse.core;

import java.time.Duration;
import java.util.Objects;

/**
 * The detection parameters. The defaults work on a LAN out of the box.
 *
 * <pre>{@code
 * DetectorConfig config = DetectorConfig.builder()
 *         .probeInterval(Duration.ofSeconds(1))
 *         .suspicionTimeout(Duration.ofSeconds(2))
 *         .build();
 * }</pre>
 *
 * <p>One probe round: a PING; no ACK within the probe timeout (the RFC 6298 RTO clamped to
 * {@code [probeTimeoutMin, probeTimeoutMax]}) starts the indirect phase, which lasts two more
 * probe timeouts: PING_REQ to {@code indirectProbes} random ALIVE peers, and up to
 * {@code maxRetries} direct retries. Any ACK ends the round well. A round with no ACK makes the
 * node SUSPECT; while suspect it is probed round after round, and if none of them is answered
 * within {@code suspicionTimeout} (the round in flight when it expires is waited for) it is
 * DEAD. DEAD nodes are probed every {@code deadProbeInterval}, so recovery is seen.
 *
 * <p>Local health (Lifeguard): when indirect phases go wholly unanswered, neither ACK nor NACK
 * from any peer, the trouble is more likely on the monitor's side (its network, its CPU, a host
 * it shares with the peers) than at every target at once. The probe timeouts, the probe interval
 * and the dead probe interval are then stretched, by up to {@code localHealthMaxMultiplier}
 * times, and shrink back as rounds are answered in time; see {@link PulseCore#localHealthMultiplier()}.
 * The durations and bounds below are those of a healthy monitor (multiplier 1).
 */
public record DetectorConfig(
        Duration probeInterval,
        Duration probeTimeoutMin,
        Duration probeTimeoutMax,
        int maxRetries,
        int indirectProbes,
        Duration suspicionTimeout,
        Duration deadProbeInterval,
        double jitterRatio,
        int localHealthMaxMultiplier,
        long randomSeed) {

    /** Time between the starts of two probe rounds of one target. */
    public static final Duration DEFAULT_PROBE_INTERVAL = Duration.ofSeconds(1);
    /** Floor of the adaptive probe timeout (the RFC 6298 RTO); a LAN's RTO sits at it. */
    public static final Duration DEFAULT_PROBE_TIMEOUT_MIN = Duration.ofMillis(200);
    /** Ceiling of the adaptive probe timeout, and the timeout before the first RTT sample. */
    public static final Duration DEFAULT_PROBE_TIMEOUT_MAX = Duration.ofMillis(500);
    /** Direct PING retries per probe round, beside the indirect probes. */
    public static final int DEFAULT_MAX_RETRIES = 2;
    /** Peers asked to probe an unanswering target through PING_REQ (SWIM's k). */
    public static final int DEFAULT_INDIRECT_PROBES = 3;
    /** How long a SUSPECT node has to answer before it is declared DEAD. */
    public static final Duration DEFAULT_SUSPICION_TIMEOUT = Duration.ofSeconds(1);
    /** Probe interval of DEAD nodes, which are still probed so that a recovery is seen. */
    public static final Duration DEFAULT_DEAD_PROBE_INTERVAL = Duration.ofSeconds(5);
    /** Share of the interval added or taken at random from each round, so that rounds do not align. */
    public static final double DEFAULT_JITTER_RATIO = 0.1;
    /** The most local health stretches timeouts and intervals (1: off); Lifeguard's and memberlist's default. */
    public static final int DEFAULT_LOCAL_HEALTH_MAX_MULTIPLIER = 8;

    static final Duration MIN_PROBE_INTERVAL = Duration.ofMillis(10);
    /** The longest interval or timeout accepted: far beyond any use, far below nanosecond overflow. */
    static final Duration MAX_DURATION = Duration.ofDays(1);

    static final int MAX_RETRIES_LIMIT = 10;
    static final int MAX_INDIRECT_PROBES = 16;
    static final int MAX_LOCAL_HEALTH_MULTIPLIER = 64;

    public DetectorConfig {
        requireAtLeast("probeInterval", probeInterval, MIN_PROBE_INTERVAL);
        requireAtLeast("probeTimeoutMin", probeTimeoutMin, Duration.ofMillis(1));
        requireAtLeast("probeTimeoutMax", probeTimeoutMax, Duration.ofMillis(1));
        if (probeTimeoutMax.compareTo(Message.PingReq.MAX_TIMEOUT) > 0) {
            throw new IllegalArgumentException("probeTimeoutMax must be <= " + Message.PingReq.MAX_TIMEOUT.toSeconds()
                    + " s, got " + probeTimeoutMax.toMillis() + " ms");
        }
        if (probeTimeoutMin.compareTo(probeTimeoutMax) > 0) {
            throw new IllegalArgumentException("probeTimeoutMin (" + probeTimeoutMin.toMillis()
                    + " ms) must be <= probeTimeoutMax (" + probeTimeoutMax.toMillis() + " ms)");
        }
        if (maxRetries < 0 || maxRetries > MAX_RETRIES_LIMIT) {
            throw new IllegalArgumentException("maxRetries must be in 0.." + MAX_RETRIES_LIMIT + ", got " + maxRetries);
        }
        if (indirectProbes < 0 || indirectProbes > MAX_INDIRECT_PROBES) {
            throw new IllegalArgumentException(
                    "indirectProbes must be in 0.." + MAX_INDIRECT_PROBES + ", got " + indirectProbes);
        }
        requireAtLeast("suspicionTimeout", suspicionTimeout, Duration.ZERO);
        requireAtLeast("deadProbeInterval", deadProbeInterval, MIN_PROBE_INTERVAL);
        if (!(jitterRatio >= 0 && jitterRatio <= 0.5)) {
            throw new IllegalArgumentException("jitterRatio must be in 0..0.5, got " + jitterRatio);
        }
        requireLocalHealthMaxMultiplier(localHealthMaxMultiplier);
    }

    public static DetectorConfig defaults() {
        return builder().build();
    }

    public static Builder builder() {
        return new Builder();
    }

    /** A builder seeded with this configuration's values. */
    public Builder toBuilder() {
        return new Builder()
                .probeInterval(probeInterval)
                .probeTimeoutMin(probeTimeoutMin)
                .probeTimeoutMax(probeTimeoutMax)
                .maxRetries(maxRetries)
                .indirectProbes(indirectProbes)
                .suspicionTimeout(suspicionTimeout)
                .deadProbeInterval(deadProbeInterval)
                .jitterRatio(jitterRatio)
                .localHealthMaxMultiplier(localHealthMaxMultiplier)
                .randomSeed(randomSeed);
    }

    /** The longest a probe round can last: the probe timeout ceiling, then two more for the indirect phase. */
    public Duration maxRoundDuration() {
        return probeTimeoutMax.multipliedBy(3);
    }

    /**
     * The longest from a node's crash until it is declared DEAD, for a node that was ALIVE on
     * the default interval: the wait for the next round (interval plus jitter), a failed round,
     * the suspicion timeout, and the round in flight when it expires.
     */
    public Duration worstCaseDetection() {
        Duration nextRound = Duration.ofNanos(Math.round(probeInterval.toNanos() * (1 + jitterRatio)));
        return nextRound.plus(maxRoundDuration()).plus(suspicionTimeout).plus(maxRoundDuration());
    }

    private static int requireLocalHealthMaxMultiplier(int value) {
        if (value < 1 || value > MAX_LOCAL_HEALTH_MULTIPLIER) {
            throw new IllegalArgumentException("localHealthMaxMultiplier must be in 1.." + MAX_LOCAL_HEALTH_MULTIPLIER
                    + " (1 turns local health off), got " + value);
        }
        return value;
    }

    static Duration requireAtLeast(String name, Duration value, Duration min) {
        Objects.requireNonNull(value, name);
        if (value.compareTo(min) < 0 || value.compareTo(MAX_DURATION) > 0) {
            throw new IllegalArgumentException(name + " must be in " + min.toMillis() + " ms.."
                    + MAX_DURATION.toMillis() + " ms, got " + millis(value));
        }
        return value;
    }

    /** "N ms", for any duration: one too long for a long of millis is given in seconds. */
    private static String millis(Duration value) {
        try {
            return value.toMillis() + " ms";
        } catch (ArithmeticException tooLong) {
            return value.getSeconds() + " s";
        }
    }

    /** Builds a {@link DetectorConfig}; each setter checks its own argument. */
    public static final class Builder {
        private Duration probeInterval = DEFAULT_PROBE_INTERVAL;
        private Duration probeTimeoutMin = DEFAULT_PROBE_TIMEOUT_MIN;
        private Duration probeTimeoutMax = DEFAULT_PROBE_TIMEOUT_MAX;
        private int maxRetries = DEFAULT_MAX_RETRIES;
        private int indirectProbes = DEFAULT_INDIRECT_PROBES;
        private Duration suspicionTimeout = DEFAULT_SUSPICION_TIMEOUT;
        private Duration deadProbeInterval = DEFAULT_DEAD_PROBE_INTERVAL;
        private double jitterRatio = DEFAULT_JITTER_RATIO;
        private int localHealthMaxMultiplier = DEFAULT_LOCAL_HEALTH_MAX_MULTIPLIER;
        private long randomSeed = System.nanoTime();

        private Builder() {}

        public Builder probeInterval(Duration value) {
            requireAtLeast("probeInterval", value, MIN_PROBE_INTERVAL);
            this.probeInterval = value;
            return this;
        }

        public Builder probeTimeoutMin(Duration value) {
            requireAtLeast("probeTimeoutMin", value, Duration.ofMillis(1));
            this.probeTimeoutMin = value;
            return this;
        }

        public Builder probeTimeoutMax(Duration value) {
            requireAtLeast("probeTimeoutMax", value, Duration.ofMillis(1));
            this.probeTimeoutMax = value;
            return this;
        }

        public Builder maxRetries(int value) {
            if (value < 0 || value > MAX_RETRIES_LIMIT) {
                throw new IllegalArgumentException("maxRetries must be in 0.." + MAX_RETRIES_LIMIT + ", got " + value);
            }
            this.maxRetries = value;
            return this;
        }

        public Builder indirectProbes(int value) {
            if (value < 0 || value > MAX_INDIRECT_PROBES) {
                throw new IllegalArgumentException(
                        "indirectProbes must be in 0.." + MAX_INDIRECT_PROBES + ", got " + value);
            }
            this.indirectProbes = value;
            return this;
        }

        public Builder suspicionTimeout(Duration value) {
            requireAtLeast("suspicionTimeout", value, Duration.ZERO);
            this.suspicionTimeout = value;
            return this;
        }

        public Builder deadProbeInterval(Duration value) {
            requireAtLeast("deadProbeInterval", value, MIN_PROBE_INTERVAL);
            this.deadProbeInterval = value;
            return this;
        }

        public Builder jitterRatio(double value) {
            if (!(value >= 0 && value <= 0.5)) {
                throw new IllegalArgumentException("jitterRatio must be in 0..0.5, got " + value);
            }
            this.jitterRatio = value;
            return this;
        }

        /**
         * The most a monitor in poor local health stretches its probe timeouts and intervals
         * (see the class comment); 1 turns local health off. Default 8, in 1..64.
         */
        public Builder localHealthMaxMultiplier(int value) {
            this.localHealthMaxMultiplier = requireLocalHealthMaxMultiplier(value);
            return this;
        }

        /** Seeds the choice of indirect peers and the jitter, so that a simulated run reproduces. */
        public Builder randomSeed(long value) {
            this.randomSeed = value;
            return this;
        }

        /** Checks the rules across settings (min &lt;= max timeout) and builds. */
        public DetectorConfig build() {
            return new DetectorConfig(
                    probeInterval,
                    probeTimeoutMin,
                    probeTimeoutMax,
                    maxRetries,
                    indirectProbes,
                    suspicionTimeout,
                    deadProbeInterval,
                    jitterRatio,
                    localHealthMaxMultiplier,
                    randomSeed);
        }
    }
}
