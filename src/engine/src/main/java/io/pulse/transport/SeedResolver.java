package io.pulse.transport;

import io.pulse.core.NodeId;
import io.pulse.core.PulseCore;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * Cluster seeds given by name: each name stands for every address it resolves to (a headless
 * Kubernetes Service names all its pods), and names are looked up again every {@link #RETRY}, off
 * the event loop (a DNS lookup may block), while this member has not joined: a seed that does not
 * resolve yet (its container is not up), or a name that lists only this member so far, is handed
 * to the core as its addresses appear. A seed that does not resolve never makes a member found a
 * cluster of its own.
 *
 * <pre>{@code
 * SeedResolver.Split seeds = SeedResolver.split(ids);
 * core.startCluster(config, self, seeds.resolved(), !ids.isEmpty());
 * new SeedResolver(handOff, core, sockets).lookUpWhileJoining(ids, seeds.unresolved());
 * }</pre>
 */
final class SeedResolver {
    /** How often cluster seeds given by name are looked up again while this member has not joined. */
    static final Duration RETRY = Duration.ofSeconds(5);
    /** The engine's: its operators configure that one. */
    private static final System.Logger LOG = System.getLogger(PulseEngine.class.getName());

    /** Seeds as far as they resolve now: every address of each, and those that do not resolve. */
    record Split(List<InetSocketAddress> resolved, List<NodeId> unresolved) {}

    private final EngineLoop handOff;
    private final PulseCore core;
    private final EngineSockets sockets;

    SeedResolver(EngineLoop handOff, PulseCore core, EngineSockets sockets) {
        this.handOff = handOff;
        this.core = core;
        this.sockets = sockets;
    }

    /** Resolves each seed now, to every address of its host, on the calling thread. */
    static Split split(List<NodeId> seeds) {
        List<InetSocketAddress> resolved = new ArrayList<>();
        List<NodeId> unresolved = new ArrayList<>();
        for (NodeId seed : seeds) {
            try {
                for (InetAddress address : InetAddress.getAllByName(seed.host())) {
                    InetSocketAddress one = new InetSocketAddress(address, seed.port());
                    if (!resolved.contains(one)) {
                        resolved.add(one);
                    }
                }
            } catch (UnknownHostException e) {
                unresolved.add(seed);
            }
        }
        return new Split(resolved, unresolved);
    }

    /**
     * Says which seeds do not resolve yet, and looks every seed given by name up again every
     * {@link #RETRY} until this member has joined; nothing if all seeds are address literals.
     */
    void lookUpWhileJoining(List<NodeId> seeds, List<NodeId> unresolved) {
        if (!unresolved.isEmpty()) {
            LOG.log(
                    System.Logger.Level.WARNING,
                    "cluster seed(s) " + unresolved + " do not resolve yet; trying again every " + RETRY.toSeconds()
                            + " s");
        }
        List<NodeId> names =
                seeds.stream().filter(seed -> !Addresses.isLiteral(seed.host())).toList();
        if (!names.isEmpty()) {
            lookUp(names);
        }
    }

    /** In {@link #RETRY}, off the loop, resolves {@code names} and hands the core what they name; again until joined. */
    private void lookUp(List<NodeId> names) {
        handOff.loop()
                .schedule(
                        () -> CompletableFuture.runAsync(() -> {
                            if (!sockets.isOpen()
                                    || handOff.call(() -> core.clusterStats().joined())) {
                                return;
                            }
                            Split now = split(names);
                            if (!now.resolved().isEmpty()) {
                                handOff.run(() -> core.addSeeds(now.resolved()));
                            }
                            lookUp(names);
                        }),
                        RETRY.toMillis(),
                        TimeUnit.MILLISECONDS);
    }
}
