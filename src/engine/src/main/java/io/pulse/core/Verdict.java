package io.pulse.core;

/**
 * What an agreed change means for one member: the transition every member derives alike from the
 * change, which the change's publisher turns into the events that go to Kafka.
 *
 * @param member the member as the change saw it (its labels, and the incarnation of the process
 *               that failed, left or joined)
 */
record Verdict(MemberInfo member, Liveness from, Liveness to, Reason reason) {
    enum Reason {
        /** A new member, or one back after it left. */
        JOINED,
        /** Its observers found it down, and the configuration removed it: a failure. */
        UNREACHABLE,
        /** It failed again within the hold-down window: held FLAPPING, not paged again. */
        FLAPPING,
        /** Back with the incarnation it had when it was removed (a partition healed, a stall ended). */
        RECOVERED,
        /** Back with a new incarnation: its process restarted. */
        RESTARTED,
        /** It announced a clean stop. */
        LEFT,
        /** A FLAPPING member had no failure for the hold-down window. */
        STABLE
    }

    /** A failure to page for: a FailureMessage goes with the transition. */
    boolean failure() {
        return reason == Reason.UNREACHABLE;
    }
}
