package io.pulse.core;

/**
 * How far the detector trusts its own view: Lifeguard's local health multiplier (Dadgar, Phillips
 * and Currey, "Lifeguard: Local Health Awareness for More Accurate Failure Detection", 2018),
 * adapted to one monitor with many targets.
 *
 * <p>The evidence that the trouble is on this side, not at the target, is an indirect phase in
 * which none of the asked peers answered at all: neither a relayed ACK nor a NACK. Either this
 * node's datagrams are not getting out or in, or this node, or a host it shares with the peers,
 * is too slow to keep up. A round answered in time is evidence of the opposite. For {@code n}
 * targets, a round answered takes {@code 1/n} off the score and a round with silent peers adds
 * {@code 9/n} (at most 1, Lifeguard's own step): the score rises while more than one round in
 * ten ends with every peer silent, and falls back to 0, by at most one step per probe interval,
 * while fewer do. A healthy monitor sees such rounds rarely: at 10 % random loss, a round fails
 * and all three of its peers' answers are lost in well under 0.1 % of rounds.
 *
 * <p>The weight is 9, not Lifeguard's 1, because a monitor with many targets always has some
 * answered: with equal weights the score settled where half the rounds failed, which is an
 * overloaded steady state, not a recovery (SimulationTest's shared-host run shows it; weights of
 * 3 failed in one of its variants, 9 in none).
 *
 * <p>The {@link #multiplier()}, one more than the whole part of the score, stretches the probe
 * timeouts and the waits between rounds. An overloaded monitor, or monitor and peers sharing an
 * overloaded host, then sends fewer probes and waits longer for their answers, where retries and
 * PING_REQs (each of which costs a peer three datagrams) would otherwise multiply the overload:
 * at thousands of targets a monitor that fell behind once never caught up again. Not
 * thread-safe, like the rest of the core.
 */
final class LocalHealth {
    /** How much more a round with silent peers weighs than a round answered in time. */
    static final int SILENT_WEIGHT = 9;

    private final int maxMultiplier;
    /** In {@code [0, maxMultiplier - 1]}. */
    private double score;

    /** @param maxMultiplier the most the timeouts and intervals stretch; 1 turns this off */
    LocalHealth(int maxMultiplier) {
        this.maxMultiplier = maxMultiplier;
    }

    /** An indirect phase ended with no answer from any of its peers; {@code targets} are watched. */
    void peersSilent(int targets) {
        double step = Math.min(1.0, (double) SILENT_WEIGHT / Math.max(1, targets));
        score = Math.min(maxMultiplier - 1, score + step);
    }

    /** A round was answered in time; {@code targets} are watched. */
    void answered(int targets) {
        score = Math.max(0, score - 1.0 / Math.max(1, targets));
    }

    /** 1 when healthy, up to the configured maximum: the factor on probe timeouts and intervals. */
    int multiplier() {
        return 1 + (int) score;
    }

    /** Scales a duration in nanoseconds by the {@link #multiplier()}, saturating instead of overflowing. */
    long stretch(long nanos) {
        int m = multiplier();
        return nanos > Long.MAX_VALUE / m ? Long.MAX_VALUE : nanos * m;
    }
}
