package io.pulse.core;

/** Where a watched node stands. */
public enum Liveness {
    /** Added, never answered yet. */
    PENDING,
    /** Answered its latest probe round. */
    ALIVE,
    /** Missed a whole probe round (direct retries and indirect probes); may still refute. */
    SUSPECT,
    /** Stayed silent for the suspicion timeout. Still probed, at a slower rate, to see recovery. */
    DEAD,
    /** Cluster mode: the member announced that it is leaving (a clean stop). Not a failure. */
    LEFT
}
