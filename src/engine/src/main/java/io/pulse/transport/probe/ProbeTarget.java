package io.pulse.transport.probe;

/** One HTTP or TCP target on the event loop: starts attempts, and lets go of everything when removed. */
interface ProbeTarget {
    /** Where its probes go, as resolved when it was prepared. */
    java.util.List<java.net.InetSocketAddress> addresses();

    /** Takes what the target needs (pooled connections) when it is added. */
    void attach();

    /**
     * Starts one attempt, which reports exactly one result for {@code sequence} (none if the
     * target is forgotten first).
     *
     * @param askedNanos   when the core asked for it, on the engine's monotonic clock
     * @param timeoutNanos how long it may take
     */
    void start(long sequence, long askedNanos, long timeoutNanos);

    /** Abandons attempts in flight (no result) and releases connections. */
    void forget();
}
