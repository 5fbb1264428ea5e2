package io.pulse.core;

import java.net.InetSocketAddress;
import java.util.Objects;

/**
 * What a configuration remembers of a member beyond its presence: how it left (DEAD or LEFT) while
 * it is away, and its recent failures, so that a return is published as a return ({@code DEAD ->
 * ALIVE}, not a new join) and a member that keeps failing pages once and is then held
 * {@link Liveness#FLAPPING}. Part of the agreed configuration: every member holds the same, and
 * every change's publisher tells the same story.
 *
 * @param incarnation       the member's incarnation when it entered {@code state}: a return with another one is a restart
 * @param state             ALIVE or FLAPPING while present; DEAD, LEFT or FLAPPING while away
 * @param sinceMillis       when it entered {@code state}, on the deciding coordinator's clock
 * @param failures          failures within the hold-down window that ended at {@code lastFailureMillis}
 * @param lastFailureMillis the latest failure, or 0
 */
public record Standing(
        InetSocketAddress address,
        long incarnation,
        Liveness state,
        long sinceMillis,
        int failures,
        long lastFailureMillis) {
    /** This standing with another incarnation, state and start, its failures kept. */
    Standing as(long newIncarnation, Liveness newState, long newSinceMillis) {
        return new Standing(address, newIncarnation, newState, newSinceMillis, failures, lastFailureMillis);
    }

    /** The encoded size: address, incarnation, state, since, failures, last failure. */
    public int encodedBytes() {
        return MemberInfo.addressBytes(address) + 8 + 1 + 8 + 1 + 8;
    }

    public Standing {
        Objects.requireNonNull(address, "address");
        Objects.requireNonNull(state, "state");
        if (state == Liveness.PENDING || state == Liveness.SUSPECT) {
            throw new IllegalArgumentException("a standing is ALIVE, FLAPPING, DEAD or LEFT, got " + state);
        }
        if (incarnation < 1) {
            throw new IllegalArgumentException("incarnation must be >= 1, got " + incarnation);
        }
        if (failures < 0 || failures > 255) {
            throw new IllegalArgumentException("failures must be in 0..255, got " + failures);
        }
        if (sinceMillis < 0 || lastFailureMillis < 0) {
            throw new IllegalArgumentException("times must be >= 0, got " + sinceMillis + " and " + lastFailureMillis);
        }
    }
}
