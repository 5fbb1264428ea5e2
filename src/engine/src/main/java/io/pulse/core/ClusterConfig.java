package io.pulse.core;

import static io.pulse.core.DetectorConfig.requireAtLeast;

import java.time.Duration;

/**
 * The cluster-mode parameters: how members watch each other and agree on who is in. The probe
 * round itself (timeouts, retries, indirect probes, suspicion, local health) comes from
 * {@link DetectorConfig}. The defaults work on a LAN out of the box.
 *
 * <pre>{@code
 * ClusterConfig cluster = ClusterConfig.builder().observers(8).holdDown(Duration.ofMinutes(10)).build();
 * }</pre>
 *
 * <p>Each member is observed by its predecessor on each of {@code observers} rings (fewer distinct
 * members in a small cluster); an observer that finds it down alerts the coordinators. The
 * coordinator removes a member once at least {@code highWatermark} of its observers (scaled to the
 * observers it really has) reported it, and waits while another member has {@code lowWatermark}
 * or more reports but fewer than the high mark, so that members that fail together leave in one
 * change. A change is decided by a majority of the configuration (Paxos, coordinated by the
 * lowest-ranked member that stays); a side of a partition without a majority decides nothing. See
 * {@code io.pulse.core}'s package documentation for the whole protocol.
 */
public record ClusterConfig(
        int observers,
        int highWatermark,
        int lowWatermark,
        int coordinators,
        int targetOwners,
        Duration consensusTimeout,
        Duration alertRetryInterval,
        Duration batchWindow,
        Duration unstableTimeout,
        Duration joinRetryInterval,
        Duration publishTimeout,
        Duration holdDown,
        Duration forgetAfter,
        Duration removedProbeInterval,
        Duration removedProbeWindow,
        Duration maxIncarnationAhead) {

    /** K: rings, hence observers per member; a member probes as many subjects, whatever the cluster's size. */
    public static final int DEFAULT_OBSERVERS = 8;
    /** H: of 8 observers, 5 must report a member down to remove it; one sick observer, or two, cannot. */
    public static final int DEFAULT_HIGH_WATERMARK = 5;
    /** L: a member with 2 reports or more, fewer than H, holds back the change while it settles. */
    public static final int DEFAULT_LOW_WATERMARK = 2;
    /** Alerts go to the 3 first-ranked coordinators, and to the next ones while these do not answer. */
    public static final int DEFAULT_COORDINATORS = 3;
    /** A static target is probed by 3 members; the first publishes its events. */
    public static final int DEFAULT_TARGET_OWNERS = 3;
    /** A coordinator that has no majority's answer within 1 s tries again with a higher ballot. */
    public static final Duration DEFAULT_CONSENSUS_TIMEOUT = Duration.ofSeconds(1);
    /** Unanswered alerts, joins and leaves go again every 200 ms. */
    public static final Duration DEFAULT_ALERT_RETRY_INTERVAL = Duration.ofMillis(200);
    /** A coordinator waits 100 ms after the first news so that a burst of joins or leaves is one change. */
    public static final Duration DEFAULT_BATCH_WINDOW = Duration.ofMillis(100);
    /** A member stuck between the watermarks for 5 s no longer holds back other changes. */
    public static final Duration DEFAULT_UNSTABLE_TIMEOUT = Duration.ofSeconds(5);
    /** A joining member asks its seeds again every second until it is in a configuration. */
    public static final Duration DEFAULT_JOIN_RETRY_INTERVAL = Duration.ofSeconds(1);
    /** A change's backup publishes its events when the publisher has not confirmed them within 10 s. */
    public static final Duration DEFAULT_PUBLISH_TIMEOUT = Duration.ofSeconds(10);
    /** A member that fails again within 10 minutes of a failure is held FLAPPING, until 10 minutes pass without one. */
    public static final Duration DEFAULT_HOLD_DOWN = Duration.ofMinutes(10);
    /** A member away for an hour is forgotten: its return is then a new join. */
    public static final Duration DEFAULT_FORGET_AFTER = Duration.ofHours(1);
    /** Members removed lately are pinged every second, so that one cut off learns of it as soon as it is back. */
    public static final Duration DEFAULT_REMOVED_PROBE_INTERVAL = Duration.ofSeconds(1);
    /** ... for 10 minutes after their removal. */
    public static final Duration DEFAULT_REMOVED_PROBE_WINDOW = Duration.ofMinutes(10);
    /** Incarnations are start times in epoch milliseconds; one further than a day ahead of our clock is refused. */
    public static final Duration DEFAULT_MAX_INCARNATION_AHEAD = Duration.ofDays(1);

    static final int MAX_OBSERVERS = 16;
    static final int MAX_COORDINATORS = 16;
    static final int MAX_TARGET_OWNERS = 16;

    public ClusterConfig {
        requireIn("observers", observers, 1, MAX_OBSERVERS);
        requireIn("highWatermark", highWatermark, 1, observers);
        requireIn("lowWatermark", lowWatermark, 1, highWatermark);
        requireIn("coordinators", coordinators, 1, MAX_COORDINATORS);
        requireIn("targetOwners", targetOwners, 1, MAX_TARGET_OWNERS);
        requireAtLeast("consensusTimeout", consensusTimeout, Duration.ofMillis(10));
        requireAtLeast("alertRetryInterval", alertRetryInterval, Duration.ofMillis(10));
        requireAtLeast("batchWindow", batchWindow, Duration.ZERO);
        requireAtLeast("unstableTimeout", unstableTimeout, Duration.ofMillis(10));
        requireAtLeast("joinRetryInterval", joinRetryInterval, Duration.ofMillis(10));
        requireAtLeast("publishTimeout", publishTimeout, Duration.ofMillis(10));
        requireAtLeast("holdDown", holdDown, Duration.ZERO);
        requireAtLeast("forgetAfter", forgetAfter, Duration.ofSeconds(1));
        requireAtLeast("removedProbeInterval", removedProbeInterval, Duration.ofMillis(10));
        requireAtLeast("removedProbeWindow", removedProbeWindow, Duration.ZERO);
        requireAtLeast("maxIncarnationAhead", maxIncarnationAhead, Duration.ofSeconds(1));
    }

    public static ClusterConfig defaults() {
        return builder().build();
    }

    public static Builder builder() {
        return new Builder();
    }

    public Builder toBuilder() {
        Builder b = new Builder();
        b.observers = observers;
        b.highWatermark = highWatermark;
        b.lowWatermark = lowWatermark;
        b.coordinators = coordinators;
        b.targetOwners = targetOwners;
        b.consensusTimeout = consensusTimeout;
        b.alertRetryInterval = alertRetryInterval;
        b.batchWindow = batchWindow;
        b.unstableTimeout = unstableTimeout;
        b.joinRetryInterval = joinRetryInterval;
        b.publishTimeout = publishTimeout;
        b.holdDown = holdDown;
        b.forgetAfter = forgetAfter;
        b.removedProbeInterval = removedProbeInterval;
        b.removedProbeWindow = removedProbeWindow;
        b.maxIncarnationAhead = maxIncarnationAhead;
        return b;
    }

    /**
     * The reports that remove a member with {@code observed} distinct observers: the high watermark
     * scaled from {@link #observers()} to what the member has (a member of a 4-member cluster has 3),
     * at least 1.
     */
    public int highFor(int observed) {
        return Math.max(1, ceilDiv(highWatermark * observed, observers));
    }

    /** The reports that make a member unstable (holding back a change): the low watermark, scaled likewise. */
    public int lowFor(int observed) {
        return Math.max(1, Math.min(highFor(observed), ceilDiv(lowWatermark * observed, observers)));
    }

    private static int ceilDiv(int a, int b) {
        return (a + b - 1) / b;
    }

    static int requireIn(String name, int value, int min, int max) {
        if (value < min || value > max) {
            throw new IllegalArgumentException(name + " must be in " + min + ".." + max + ", got " + value);
        }
        return value;
    }

    /** Builds a {@link ClusterConfig}; each setter checks its own argument, {@link #build()} the rules across them. */
    public static final class Builder {
        private int observers = DEFAULT_OBSERVERS;
        private int highWatermark = DEFAULT_HIGH_WATERMARK;
        private int lowWatermark = DEFAULT_LOW_WATERMARK;
        private int coordinators = DEFAULT_COORDINATORS;
        private int targetOwners = DEFAULT_TARGET_OWNERS;
        private Duration consensusTimeout = DEFAULT_CONSENSUS_TIMEOUT;
        private Duration alertRetryInterval = DEFAULT_ALERT_RETRY_INTERVAL;
        private Duration batchWindow = DEFAULT_BATCH_WINDOW;
        private Duration unstableTimeout = DEFAULT_UNSTABLE_TIMEOUT;
        private Duration joinRetryInterval = DEFAULT_JOIN_RETRY_INTERVAL;
        private Duration publishTimeout = DEFAULT_PUBLISH_TIMEOUT;
        private Duration holdDown = DEFAULT_HOLD_DOWN;
        private Duration forgetAfter = DEFAULT_FORGET_AFTER;
        private Duration removedProbeInterval = DEFAULT_REMOVED_PROBE_INTERVAL;
        private Duration removedProbeWindow = DEFAULT_REMOVED_PROBE_WINDOW;
        private Duration maxIncarnationAhead = DEFAULT_MAX_INCARNATION_AHEAD;

        private Builder() {}

        /** K, the rings and so the observers of each member. Default 8, in 1..16. */
        public Builder observers(int value) {
            this.observers = requireIn("observers", value, 1, MAX_OBSERVERS);
            return this;
        }

        /** H, the reports out of K that remove a member. Default 5; at most {@link #observers}, checked at build. */
        public Builder highWatermark(int value) {
            this.highWatermark = requireIn("highWatermark", value, 1, MAX_OBSERVERS);
            return this;
        }

        /** L, the reports that make a member unstable. Default 2; at most H, checked at build. */
        public Builder lowWatermark(int value) {
            this.lowWatermark = requireIn("lowWatermark", value, 1, MAX_OBSERVERS);
            return this;
        }

        public Builder coordinators(int value) {
            this.coordinators = requireIn("coordinators", value, 1, MAX_COORDINATORS);
            return this;
        }

        public Builder targetOwners(int value) {
            this.targetOwners = requireIn("targetOwners", value, 1, MAX_TARGET_OWNERS);
            return this;
        }

        public Builder consensusTimeout(Duration value) {
            this.consensusTimeout = requireAtLeast("consensusTimeout", value, Duration.ofMillis(10));
            return this;
        }

        public Builder alertRetryInterval(Duration value) {
            this.alertRetryInterval = requireAtLeast("alertRetryInterval", value, Duration.ofMillis(10));
            return this;
        }

        public Builder batchWindow(Duration value) {
            this.batchWindow = requireAtLeast("batchWindow", value, Duration.ZERO);
            return this;
        }

        public Builder unstableTimeout(Duration value) {
            this.unstableTimeout = requireAtLeast("unstableTimeout", value, Duration.ofMillis(10));
            return this;
        }

        public Builder joinRetryInterval(Duration value) {
            this.joinRetryInterval = requireAtLeast("joinRetryInterval", value, Duration.ofMillis(10));
            return this;
        }

        public Builder publishTimeout(Duration value) {
            this.publishTimeout = requireAtLeast("publishTimeout", value, Duration.ofMillis(10));
            return this;
        }

        public Builder holdDown(Duration value) {
            this.holdDown = requireAtLeast("holdDown", value, Duration.ZERO);
            return this;
        }

        public Builder forgetAfter(Duration value) {
            this.forgetAfter = requireAtLeast("forgetAfter", value, Duration.ofSeconds(1));
            return this;
        }

        public Builder removedProbeInterval(Duration value) {
            this.removedProbeInterval = requireAtLeast("removedProbeInterval", value, Duration.ofMillis(10));
            return this;
        }

        public Builder removedProbeWindow(Duration value) {
            this.removedProbeWindow = requireAtLeast("removedProbeWindow", value, Duration.ZERO);
            return this;
        }

        public Builder maxIncarnationAhead(Duration value) {
            this.maxIncarnationAhead = requireAtLeast("maxIncarnationAhead", value, Duration.ofSeconds(1));
            return this;
        }

        /** @throws IllegalArgumentException if the watermarks do not fit: {@code L <= H <= K} */
        public ClusterConfig build() {
            return new ClusterConfig(
                    observers,
                    highWatermark,
                    lowWatermark,
                    coordinators,
                    targetOwners,
                    consensusTimeout,
                    alertRetryInterval,
                    batchWindow,
                    unstableTimeout,
                    joinRetryInterval,
                    publishTimeout,
                    holdDown,
                    forgetAfter,
                    removedProbeInterval,
                    removedProbeWindow,
                    maxIncarnationAhead);
        }
    }
}
