package io.pulse.transport;

import io.pulse.core.NodeId;
import io.pulse.core.PulseCore;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * Cluster seeds whose host names do not resolve yet (their containers are not up, say): looked up
 * again every {@link #RETRY}, off the event loop (a DNS lookup may block), and handed to the core
 * as each resolves, until the engine closes. A seed that does not resolve never makes a member
 * found a cluster of its own.
 *
 * <pre>{@code
 * SeedResolver.Split seeds = SeedResolver.split(ids);
 * core.startCluster(config, self, seeds.resolved(), !ids.isEmpty());
 * new SeedResolver(handOff, core, sockets).retryLater(seeds.unresolved());
 * }</pre>
 */
final class SeedResolver {
    /** How often a cluster seed whose host name did not resolve is looked up again. */
    static final Duration RETRY = Duration.ofSeconds(5);
    /** The engine's: its operators configure that one. */
    private static final System.Logger LOG = System.getLogger(PulseEngine.class.getName());

    /** Seeds as far as they resolve now. */
    record Split(List<InetSocketAddress> resolved, List<NodeId> unresolved) {}

    private final EngineLoop handOff;
    private final PulseCore core;
    private final EngineSockets sockets;

    SeedResolver(EngineLoop handOff, PulseCore core, EngineSockets sockets) {
        this.handOff = handOff;
        this.core = core;
        this.sockets = sockets;
    }

    /** Resolves each seed now, on the calling thread. */
    static Split split(List<NodeId> seeds) {
        List<InetSocketAddress> resolved = new ArrayList<>();
        List<NodeId> unresolved = new ArrayList<>();
        for (NodeId seed : seeds) {
            try {
                resolved.add(Addresses.resolve(seed));
            } catch (IllegalArgumentException e) {
                unresolved.add(seed);
            }
        }
        return new Split(resolved, unresolved);
    }

    /** Says which seeds do not resolve yet and resolves them later ({@link #retry}); nothing if there are none. */
    void retryLater(List<NodeId> unresolved) {
        if (unresolved.isEmpty()) {
            return;
        }
        LOG.log(
                System.Logger.Level.WARNING,
                "cluster seed(s) " + unresolved + " do not resolve yet; trying again every " + RETRY.toSeconds()
                        + " s");
        retry(unresolved);
    }

    /** In {@link #RETRY}, off the loop, resolves {@code seeds} and hands the core those that resolved; again for the rest. */
    private void retry(List<NodeId> seeds) {
        handOff.loop()
                .schedule(
                        () -> CompletableFuture.runAsync(() -> {
                            Split now = split(seeds);
                            if (!sockets.isOpen()) {
                                return;
                            }
                            if (!now.resolved().isEmpty()) {
                                handOff.run(() -> core.addSeeds(now.resolved()));
                            }
                            if (!now.unresolved().isEmpty()) {
                                retry(now.unresolved());
                            }
                        }),
                        RETRY.toMillis(),
                        TimeUnit.MILLISECONDS);
    }
}
