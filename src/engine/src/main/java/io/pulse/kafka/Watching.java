package io.pulse.kafka;

/**
 * What a publisher's heartbeat says its observer watches, asked for at each heartbeat.
 *
 * <pre>{@code
 * PulsePublisher.builder()
 *         ...
 *         .watching(() -> new Watching(engine.nodes().size(), null))
 *         .build();
 * }</pre>
 *
 * @param nodes              how many nodes the observer watches: its targets in static mode, the members of the
 *                           agreed configuration in cluster mode; {@code >= 0}
 * @param configurationEpoch cluster mode: the epoch of the agreed configuration; null in static mode or before
 *                           the observer joined
 */
public record Watching(int nodes, Long configurationEpoch) {
    /** What a publisher told nothing says: no nodes, no configuration. */
    public static final Watching NOTHING = new Watching(0, null);

    public Watching {
        if (nodes < 0) {
            throw new IllegalArgumentException("nodes must be >= 0, got " + nodes);
        }
    }
}
