package io.pulse.core;

import java.lang.ref.WeakReference;
import java.util.HashMap;
import java.util.Map;

/**
 * The configurations members hold, by id, so that members holding the same configuration share
 * one instance and what it derives (rings, ranks, pages). One per engine in production; one for
 * all members of a simulated network, which is what lets 10,000 members fit: each holds a
 * reference, not its own copy of a 10,000-entry table.
 *
 * <pre>{@code
 * Configurations shared = new Configurations();
 * core.startCluster(clusterConfig, me, seeds, true, shared);
 * }</pre>
 */
public final class Configurations {
    private final Map<Long, WeakReference<Configuration>> byId = new HashMap<>();

    /** The instance already held for {@code configuration}'s id, or {@code configuration} itself. */
    public synchronized Configuration intern(Configuration configuration) {
        WeakReference<Configuration> held = byId.get(configuration.id());
        Configuration existing = held == null ? null : held.get();
        if (existing != null && existing.epoch() == configuration.epoch()) {
            return existing;
        }
        if (byId.size() > 64) {
            byId.values().removeIf(r -> r.get() == null);
        }
        byId.put(configuration.id(), new WeakReference<>(configuration));
        return configuration;
    }
}
