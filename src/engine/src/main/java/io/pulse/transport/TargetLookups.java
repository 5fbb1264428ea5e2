package io.pulse.transport;

import io.pulse.core.NodeId;
import io.pulse.core.PulseCore;
import io.pulse.core.UnknownNodeException;
import io.pulse.transport.probe.ExternalProber;
import io.pulse.transport.probe.HttpProbeSpec;
import io.pulse.transport.probe.TcpProbeSpec;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * Targets given by host name, looked up again every {@code interval} on a thread of their own (a
 * DNS lookup may block): a target whose address is no longer among its name's answers (a pod that
 * moved, a DNS record that changed) is probed at the first of them from then on, its status kept.
 * A name with several addresses keeps the one in use while it is still among them, however the
 * answers are ordered. A name that does not resolve any more keeps its last address, said once.
 * The JVM keeps each answer for its {@code networkaddress.cache.ttl} (30 s unless set), so a move
 * is seen within that plus one interval. Targets given by address are never looked up.
 *
 * <pre>{@code
 * TargetLookups lookups = new TargetLookups(handOff, core, external, sockets, Duration.ofSeconds(10));
 * lookups.udp(id, address);      // after the target is added
 * lookups.forget(id);            // after it is removed
 * lookups.close();               // with the engine
 * }</pre>
 */
final class TargetLookups implements AutoCloseable {
    /** The engine's: its operators configure that one. */
    private static final System.Logger LOG = System.getLogger(PulseEngine.class.getName());

    /** Where a target is probed now, and how to move it when its name resolves elsewhere. */
    private static final class Named {
        final List<String> hosts;
        /** One per host, in the same order: the address in use. */
        volatile List<InetSocketAddress> current;
        /** Resolves the target again (blocking) into the move to make on the loop: once it moved. */
        final Supplier<Move> relocate;

        Named(List<String> hosts, List<InetSocketAddress> current, Supplier<Move> relocate) {
            this.hosts = hosts;
            this.current = current;
            this.relocate = relocate;
        }
    }

    /** What to run on the loop (it returns where the target was, or null), and where the target is then. */
    private record Move(Supplier<Object> onLoop, List<InetSocketAddress> to) {}

    private final EngineLoop handOff;
    private final PulseCore core;
    private final ExternalProber external;
    private final EngineSockets sockets;
    private final Duration interval;
    private final Map<NodeId, Named> named = new ConcurrentHashMap<>();
    /** Targets whose last lookup or move failed, to warn once until it works again. */
    private final Set<NodeId> warned = ConcurrentHashMap.newKeySet();
    /** Started with the first target given by name; none without. */
    private ScheduledExecutorService timer;

    private boolean closed;

    TargetLookups(
            EngineLoop handOff, PulseCore core, ExternalProber external, EngineSockets sockets, Duration interval) {
        this.handOff = handOff;
        this.core = core;
        this.external = external;
        this.sockets = sockets;
        this.interval = interval;
    }

    /** A pulse target added at {@code address}: looked up again if its host is a name. */
    void udp(NodeId id, InetSocketAddress address) {
        if (!Addresses.isLiteral(id.host())) {
            watch(id, new Named(List.of(id.host()), List.of(address), () -> {
                InetSocketAddress to = Addresses.resolve(id);
                return new Move(() -> core.readdressTarget(id, to), List.of(to));
            }));
        }
    }

    /** An HTTP target: looked up again if any endpoint's host is a name. */
    void http(NodeId id, HttpProbeSpec spec, List<InetSocketAddress> addresses) {
        if (!spec.hosts().stream().allMatch(Addresses::isLiteral)) {
            watch(id, new Named(spec.hosts(), addresses, () -> external(external.prepare(id, spec))));
        }
    }

    /** A TCP target: looked up again if its host is a name. */
    void tcp(NodeId id, TcpProbeSpec spec, List<InetSocketAddress> addresses) {
        if (!Addresses.isLiteral(spec.host())) {
            watch(id, new Named(List.of(spec.host()), addresses, () -> external(external.prepare(id, spec))));
        }
    }

    /** Resolved again by {@code prepare}, handed to the prober on the loop. */
    private Move external(ExternalProber.Registration registration) {
        return new Move(() -> external.readdress(registration), registration.addresses());
    }

    private synchronized void watch(NodeId id, Named target) {
        named.put(id, target);
        if (timer == null && !interval.isZero() && !closed) {
            timer = Executors.newSingleThreadScheduledExecutor(runnable -> {
                Thread thread = new Thread(runnable, "pulse-target-lookup");
                thread.setDaemon(true);
                return thread;
            });
            timer.scheduleWithFixedDelay(
                    this::lookUpAll, interval.toMillis(), interval.toMillis(), TimeUnit.MILLISECONDS);
        }
    }

    void forget(NodeId id) {
        named.remove(id);
        warned.remove(id);
    }

    void forgetAll() {
        named.clear();
        warned.clear();
    }

    @Override
    public synchronized void close() {
        closed = true;
        if (timer != null) {
            timer.shutdownNow();
        }
    }

    /** Looks every target given by name up now, on the calling thread, and moves those whose address is gone. */
    private void lookUpAll() {
        for (Map.Entry<NodeId, Named> entry : named.entrySet()) {
            if (!sockets.isOpen()) {
                return;
            }
            try {
                lookUp(entry.getKey(), entry.getValue());
            } catch (RuntimeException e) { // one target's trouble must not end the lookups of all
                warnOnce(entry.getKey(), "cannot be looked up again: " + e);
            }
        }
    }

    private void lookUp(NodeId id, Named target) {
        List<InetSocketAddress> current = target.current;
        boolean moved = false;
        for (int i = 0; i < current.size(); i++) {
            InetAddress[] answers;
            try {
                answers = InetAddress.getAllByName(target.hosts.get(i));
            } catch (UnknownHostException e) {
                warnOnce(id, "does not resolve now (" + e.getMessage() + "); probed at its last address until it does");
                return;
            }
            moved |= !Arrays.asList(answers).contains(current.get(i).getAddress());
        }
        if (!moved) {
            warned.remove(id);
            return;
        }
        Move move;
        try {
            move = target.relocate.get(); // at the first answer of each host
        } catch (IllegalArgumentException e) { // it stopped resolving between the two lookups
            warnOnce(id, "does not resolve now (" + e.getMessage() + "); probed at its last address until it does");
            return;
        }
        Object before;
        try {
            // on the loop, and only if the target was not removed or added again meanwhile
            before = handOff.call(() -> named.get(id) == target ? move.onLoop().get() : null);
        } catch (UnknownNodeException e) {
            named.remove(id, target); // removed meanwhile
            return;
        } catch (RuntimeException e) {
            warnOnce(id, "resolves to " + move.to() + " but cannot move there: " + e.getMessage());
            return;
        }
        target.current = move.to();
        warned.remove(id);
        if (before != null) {
            LOG.log(
                    System.Logger.Level.INFO,
                    "target " + id + " moved from " + before + " to "
                            + move.to().get(0)
                            + (move.to().size() > 1 ? " (and its other endpoints to " + move.to() + ")" : "")
                            + ": its name resolves there now");
        }
    }

    private void warnOnce(NodeId id, String what) {
        if (warned.add(id)) {
            LOG.log(System.Logger.Level.WARNING, "target " + id + " " + what);
        }
    }
}
