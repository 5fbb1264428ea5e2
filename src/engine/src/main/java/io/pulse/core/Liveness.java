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
    LEFT,
    /**
     * Cluster mode: the member failed again within the hold-down window after an earlier failure; it
     * is reported once and held here, whether it is in the configuration or not, until it has been
     * stable for the window.
     */
    FLAPPING
}
