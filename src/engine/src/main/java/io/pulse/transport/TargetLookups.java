package io.pulse.transport;

import io.pulse.core.NodeId;
import io.pulse.core.PulseCore;
import io.pulse.core.UnknownNodeException;
import io.pulse.transport.probe.ExternalProber;
import io.pulse.transport.probe.HttpProbeSpec;
import io.pulse.transport.probe.TcpProbeSpec;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * Targets given by host name, looked up again every {@code interval} off the event loop (a DNS
 * lookup may block): a target whose name resolves elsewhere now (a pod that moved, a DNS record
 * that changed) is probed at its new address from then on, its status kept. A name that does not
 * resolve any more keeps its last address, said once per name. The JVM keeps each answer for its
 * {@code networkaddress.cache.ttl} (30 s unless set), so a move is seen within that plus one
 * interval. Targets given by address are never looked up.
 *
 * <pre>{@code
 * TargetLookups lookups = new TargetLookups(handOff, core, external, sockets, Duration.ofSeconds(10));
 * lookups.udp(id);               // after the target is added
 * lookups.forget(id);            // after it is removed
 * lookups.start();               // every interval from now on, until the sockets close
 * }</pre>
 */
final class TargetLookups {
    /** The engine's: its operators configure that one. */
    private static final System.Logger LOG = System.getLogger(PulseEngine.class.getName());

    private final EngineLoop handOff;
    private final PulseCore core;
    private final ExternalProber external;
    private final EngineSockets sockets;
    private final Duration interval;
    /** Per target given by name: looks it up (blocking) and returns the move to make on the loop. */
    private final Map<NodeId, Supplier<Runnable>> named = new ConcurrentHashMap<>();
    /** Names that failed to resolve at the last look, to warn once per failure. */
    private final Set<NodeId> unresolvable = ConcurrentHashMap.newKeySet();

    TargetLookups(
            EngineLoop handOff, PulseCore core, ExternalProber external, EngineSockets sockets, Duration interval) {
        this.handOff = handOff;
        this.core = core;
        this.external = external;
        this.sockets = sockets;
        this.interval = interval;
    }

    /** A pulse target: looked up again if its host is a name. */
    void udp(NodeId id) {
        if (Addresses.isLiteral(id.host())) {
            return;
        }
        named.put(id, () -> {
            InetSocketAddress now = Addresses.resolve(id);
            return () -> moved(id, core.readdressTarget(id, now), now);
        });
    }

    /** An HTTP target: looked up again if any endpoint's host is a name. */
    void http(NodeId id, HttpProbeSpec spec) {
        if (!spec.hosts().stream().allMatch(Addresses::isLiteral)) {
            external(id, () -> external.prepare(id, spec));
        }
    }

    /** A TCP target: looked up again if its host is a name. */
    void tcp(NodeId id, TcpProbeSpec spec) {
        if (!Addresses.isLiteral(spec.host())) {
            external(id, () -> external.prepare(id, spec));
        }
    }

    private void external(NodeId id, Supplier<ExternalProber.Registration> prepare) {
        named.put(id, () -> {
            ExternalProber.Registration now = prepare.get();
            return () -> moved(id, external.readdress(now), now.addresses());
        });
    }

    void forget(NodeId id) {
        named.remove(id);
        unresolvable.remove(id);
    }

    void forgetAll() {
        named.clear();
        unresolvable.clear();
    }

    /** Looks every name up again every interval, until the sockets close; nothing if the interval is zero. */
    void start() {
        if (!interval.isZero()) {
            schedule();
        }
    }

    private void schedule() {
        handOff.loop()
                .schedule(
                        () -> CompletableFuture.runAsync(() -> {
                            if (sockets.isOpen()) {
                                lookUpAll();
                                schedule();
                            }
                        }),
                        interval.toMillis(),
                        TimeUnit.MILLISECONDS);
    }

    /** Looks every target given by name up now, on the calling thread, and moves those that resolve elsewhere. */
    private void lookUpAll() {
        for (Map.Entry<NodeId, Supplier<Runnable>> entry : named.entrySet()) {
            NodeId id = entry.getKey();
            Runnable move;
            try {
                move = entry.getValue().get();
            } catch (IllegalArgumentException e) {
                if (unresolvable.add(id)) {
                    LOG.log(
                            System.Logger.Level.WARNING,
                            "target " + id + " does not resolve now (" + e.getMessage()
                                    + "); probed at its last address until it does");
                }
                continue;
            }
            unresolvable.remove(id);
            try {
                handOff.run(move);
            } catch (UnknownNodeException e) {
                named.remove(id, entry.getValue()); // removed meanwhile
            } catch (RuntimeException e) {
                LOG.log(System.Logger.Level.WARNING, "target " + id + " cannot move: " + e.getMessage());
            }
        }
    }

    private static void moved(NodeId id, Object before, Object now) {
        if (before != null) {
            LOG.log(
                    System.Logger.Level.INFO,
                    "target " + id + " moved from " + before + " to " + now + ": its name resolves there now");
        }
    }
}
