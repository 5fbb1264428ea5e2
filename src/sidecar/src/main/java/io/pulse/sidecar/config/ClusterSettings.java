package io.pulse.sidecar.config;

import io.pulse.core.ClusterConfig;
import io.pulse.core.Labels;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * The sidecar's cluster-mode settings ({@code cluster.*}), validated.
 *
 * <pre>{@code
 * if (config.cluster().enabled()) engine.startCluster(config.cluster().config(), advertise, config.cluster().join());
 * }</pre>
 *
 * @param enabled      {@code cluster.enabled}
 * @param join         seeds as {@code host:port} (empty: this member founds the cluster)
 * @param advertise    {@code cluster.advertise}, unresolved, or empty for the default
 * @param config       the protocol parameters
 * @param leaveTimeout how long a clean stop waits for LEFT to spread
 * @param labels       {@code node.labels.*}: what this member says about itself, in every event about it
 */
public record ClusterSettings(
        boolean enabled,
        List<String> join,
        Optional<InetSocketAddress> advertise,
        ClusterConfig config,
        Duration leaveTimeout,
        Labels labels) {
    public ClusterSettings {
        join = List.copyOf(join);
    }
}
