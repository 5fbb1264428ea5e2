package io.pulse.core;

import static io.pulse.core.DetectorConfig.requireAtLeast;

import java.time.Duration;

/**
 * The cluster-mode parameters: how members watch each other and spread what they learn. The
 * probe round itself (timeouts, retries, indirect probes, local health) and the shortest
 * suspicion come from {@link DetectorConfig}. The defaults work on a LAN out of the box.
 *
 * <pre>{@code
 * ClusterConfig cluster = ClusterConfig.builder().observers(3).gossipInterval(Duration.ofMillis(200)).build();
 * }</pre>
 *
 * <p>Detection: the members sit on a ring ordered by a hash of their address; each member is
 * probed every probe interval by the {@code observers} members that follow it on the ring, so a
 * crash is seen by that many observers within one interval, and a member's probing cost does not
 * grow with the cluster. A failed round makes the observer gossip SUSPECT; the suspect is told at
 * once and refutes by raising its incarnation. A suspicion lasts {@code suspicionTimeout x
 * suspicionMaxMultiplier}, shrinking to {@code suspicionTimeout} as independent suspicions arrive
 * (Lifeguard); then the member is DEAD.
 *
 * <p>Dissemination: every update is sent about {@code retransmitMultiplier x log10(N + 1)} times,
 * least-sent first, piggybacked on PINGs and ACKs (up to {@code piggybackBytes}) and in gossip
 * messages to {@code gossipFanout} random members every {@code gossipInterval} while there is
 * news. Every {@code pushPullInterval} (stretched for clusters above 32 members, as memberlist
 * does) a member swaps its whole view with a random member, and with a random DEAD one, which
 * repairs what gossip missed and heals a partition.
 */
public record ClusterConfig(
        int observers,
        Duration gossipInterval,
        int gossipFanout,
        int retransmitMultiplier,
        int piggybackBytes,
        Duration pushPullInterval,
        int suspicionMaxMultiplier,
        Duration gossipToTheDead,
        Duration reapAfter,
        Duration joinRetryInterval,
        Duration maxIncarnationAhead) {

    /** Members that probe each member every probe interval: a crash is seen by this many within one. */
    public static final int DEFAULT_OBSERVERS = 3;
    /** How often news is sent to random members while there is some. */
    public static final Duration DEFAULT_GOSSIP_INTERVAL = Duration.ofMillis(200);
    /** Random members each gossip round goes to. */
    public static final int DEFAULT_GOSSIP_FANOUT = 3;
    /** Each update is sent this many times log10(members + 1): memberlist's LAN default. */
    public static final int DEFAULT_RETRANSMIT_MULTIPLIER = 4;
    /** Bytes of updates a PING or ACK carries: about 20 IPv4 updates, an ACK within a few hundred bytes. */
    public static final int DEFAULT_PIGGYBACK_BYTES = 512;
    /** How often a member swaps its whole view with a random one (stretched above 32 members). */
    public static final Duration DEFAULT_PUSH_PULL_INTERVAL = Duration.ofSeconds(30);
    /** A suspicion lasts this many suspicion timeouts, shrinking to one as other observers confirm it. */
    public static final int DEFAULT_SUSPICION_MAX_MULTIPLIER = 3;
    /** How long a member declared DEAD still hears gossip, to refute it (memberlist's GossipToTheDeadTime). */
    public static final Duration DEFAULT_GOSSIP_TO_THE_DEAD = Duration.ofSeconds(30);
    /** A DEAD or LEFT member is forgotten after this; its status record then gets a tombstone. */
    public static final Duration DEFAULT_REAP_AFTER = Duration.ofHours(1);
    /** How often a joining member asks its seeds again until one answers. */
    public static final Duration DEFAULT_JOIN_RETRY_INTERVAL = Duration.ofSeconds(1);
    /** An incarnation (start time in epoch ms, +1 per refutation) further ahead of our clock is not believed. */
    public static final Duration DEFAULT_MAX_INCARNATION_AHEAD = Duration.ofDays(1);

    static final int MAX_OBSERVERS = 16;
    static final int MAX_FANOUT = 16;
    static final int MAX_RETRANSMIT_MULTIPLIER = 32;
    static final int MAX_SUSPICION_MULTIPLIER = 64;
    /** What a 1400-byte datagram leaves for updates beside its own message. */
    static final int MAX_PIGGYBACK_BYTES = 1300;

    static final int MIN_PIGGYBACK_BYTES = 64;

    public ClusterConfig {
        requireIn("observers", observers, 1, MAX_OBSERVERS);
        requireAtLeast("gossipInterval", gossipInterval, Duration.ofMillis(10));
        requireIn("gossipFanout", gossipFanout, 1, MAX_FANOUT);
        requireIn("retransmitMultiplier", retransmitMultiplier, 1, MAX_RETRANSMIT_MULTIPLIER);
        requireIn("piggybackBytes", piggybackBytes, MIN_PIGGYBACK_BYTES, MAX_PIGGYBACK_BYTES);
        requireAtLeast("pushPullInterval", pushPullInterval, Duration.ofMillis(100));
        requireIn("suspicionMaxMultiplier", suspicionMaxMultiplier, 1, MAX_SUSPICION_MULTIPLIER);
        requireAtLeast("gossipToTheDead", gossipToTheDead, Duration.ZERO);
        requireAtLeast("reapAfter", reapAfter, Duration.ofSeconds(1));
        requireAtLeast("joinRetryInterval", joinRetryInterval, Duration.ofMillis(10));
        requireAtLeast("maxIncarnationAhead", maxIncarnationAhead, Duration.ofSeconds(1));
    }

    public static ClusterConfig defaults() {
        return builder().build();
    }

    public static Builder builder() {
        return new Builder();
    }

    public Builder toBuilder() {
        return new Builder()
                .observers(observers)
                .gossipInterval(gossipInterval)
                .gossipFanout(gossipFanout)
                .retransmitMultiplier(retransmitMultiplier)
                .piggybackBytes(piggybackBytes)
                .pushPullInterval(pushPullInterval)
                .suspicionMaxMultiplier(suspicionMaxMultiplier)
                .gossipToTheDead(gossipToTheDead)
                .reapAfter(reapAfter)
                .joinRetryInterval(joinRetryInterval)
                .maxIncarnationAhead(maxIncarnationAhead);
    }

    /** How many times each update is sent in a cluster of {@code members}: λ·⌈log10(N + 1)⌉. */
    public int retransmits(int members) {
        return retransmitMultiplier * (int) Math.ceil(Math.log10(members + 1.0));
    }

    /** The push-pull interval for {@code members}, stretched above 32 members as memberlist's pushPullScale does. */
    public Duration pushPullInterval(int members) {
        if (members <= 32) {
            return pushPullInterval;
        }
        double scale = Math.ceil(Math.log(members) / Math.log(2) - Math.log(32) / Math.log(2)) + 1;
        return pushPullInterval.multipliedBy((long) scale);
    }

    static int requireIn(String name, int value, int min, int max) {
        if (value < min || value > max) {
            throw new IllegalArgumentException(name + " must be in " + min + ".." + max + ", got " + value);
        }
        return value;
    }

    /** Builds a {@link ClusterConfig}; each setter checks its own argument. */
    public static final class Builder {
        private int observers = DEFAULT_OBSERVERS;
        private Duration gossipInterval = DEFAULT_GOSSIP_INTERVAL;
        private int gossipFanout = DEFAULT_GOSSIP_FANOUT;
        private int retransmitMultiplier = DEFAULT_RETRANSMIT_MULTIPLIER;
        private int piggybackBytes = DEFAULT_PIGGYBACK_BYTES;
        private Duration pushPullInterval = DEFAULT_PUSH_PULL_INTERVAL;
        private int suspicionMaxMultiplier = DEFAULT_SUSPICION_MAX_MULTIPLIER;
        private Duration gossipToTheDead = DEFAULT_GOSSIP_TO_THE_DEAD;
        private Duration reapAfter = DEFAULT_REAP_AFTER;
        private Duration joinRetryInterval = DEFAULT_JOIN_RETRY_INTERVAL;
        private Duration maxIncarnationAhead = DEFAULT_MAX_INCARNATION_AHEAD;

        private Builder() {}

        /** How many members probe each member every probe interval. Default 3, in 1..16. */
        public Builder observers(int value) {
            this.observers = requireIn("observers", value, 1, MAX_OBSERVERS);
            return this;
        }

        public Builder gossipInterval(Duration value) {
            requireAtLeast("gossipInterval", value, Duration.ofMillis(10));
            this.gossipInterval = value;
            return this;
        }

        public Builder gossipFanout(int value) {
            this.gossipFanout = requireIn("gossipFanout", value, 1, MAX_FANOUT);
            return this;
        }

        public Builder retransmitMultiplier(int value) {
            this.retransmitMultiplier = requireIn("retransmitMultiplier", value, 1, MAX_RETRANSMIT_MULTIPLIER);
            return this;
        }

        public Builder piggybackBytes(int value) {
            this.piggybackBytes = requireIn("piggybackBytes", value, MIN_PIGGYBACK_BYTES, MAX_PIGGYBACK_BYTES);
            return this;
        }

        public Builder pushPullInterval(Duration value) {
            requireAtLeast("pushPullInterval", value, Duration.ofMillis(100));
            this.pushPullInterval = value;
            return this;
        }

        public Builder suspicionMaxMultiplier(int value) {
            this.suspicionMaxMultiplier = requireIn("suspicionMaxMultiplier", value, 1, MAX_SUSPICION_MULTIPLIER);
            return this;
        }

        public Builder gossipToTheDead(Duration value) {
            requireAtLeast("gossipToTheDead", value, Duration.ZERO);
            this.gossipToTheDead = value;
            return this;
        }

        public Builder reapAfter(Duration value) {
            requireAtLeast("reapAfter", value, Duration.ofSeconds(1));
            this.reapAfter = value;
            return this;
        }

        public Builder joinRetryInterval(Duration value) {
            requireAtLeast("joinRetryInterval", value, Duration.ofMillis(10));
            this.joinRetryInterval = value;
            return this;
        }

        public Builder maxIncarnationAhead(Duration value) {
            requireAtLeast("maxIncarnationAhead", value, Duration.ofSeconds(1));
            this.maxIncarnationAhead = value;
            return this;
        }

        public ClusterConfig build() {
            return new ClusterConfig(
                    observers,
                    gossipInterval,
                    gossipFanout,
                    retransmitMultiplier,
                    piggybackBytes,
                    pushPullInterval,
                    suspicionMaxMultiplier,
                    gossipToTheDead,
                    reapAfter,
                    joinRetryInterval,
                    maxIncarnationAhead);
        }
    }
}
