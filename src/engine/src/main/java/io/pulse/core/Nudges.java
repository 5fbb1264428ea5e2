package io.pulse.core;

import java.net.InetSocketAddress;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Members this one observed until a decided change removed them: it pings them every
 * {@code cluster.removed.probe.interval} for {@code cluster.removed.probe.window}, so that a member
 * removed while it was cut off learns it from the PING's configuration as soon as it is reachable,
 * and joins again, instead of waiting to hear of it.
 */
final class Nudges {
    private final ClusterConfig config;
    private final Clock clock;
    private final Sequences sequences;
    private final PulseCore.Output output;
    private final InetSocketAddress self;
    /** Each removed member, with the monotonic deadline of its pings. */
    private final Map<InetSocketAddress, Long> until = new LinkedHashMap<>();

    Nudges(ClusterConfig config, Clock clock, Sequences sequences, PulseCore.Output output, InetSocketAddress self) {
        this.config = config;
        this.clock = clock;
        this.sequences = sequences;
        this.output = output;
        this.self = self;
    }

    /** The members {@code decision} removed that this member observed in {@code before}. */
    void removed(Decision decision, Configuration before, Configuration after) {
        long deadline = clock.monotonicNanos() + config.removedProbeWindow().toNanos();
        for (Verdict v : decision.verdicts()) {
            InetSocketAddress gone = v.member().address();
            if (!after.contains(gone) && observedIn(before, gone)) {
                until.put(gone, deadline);
            }
        }
    }

    private boolean observedIn(Configuration configuration, InetSocketAddress address) {
        int me = configuration.indexOf(self);
        int them = configuration.indexOf(address);
        if (me < 0 || them < 0) {
            return false;
        }
        for (int o : configuration.observersOf(them, config.observers())) {
            if (o == me) {
                return true;
            }
        }
        return false;
    }

    /** Pings every member still to nudge, in the terms of {@code current}. */
    void ping(Configuration current) {
        long now = clock.monotonicNanos();
        for (Iterator<Map.Entry<InetSocketAddress, Long>> it = until.entrySet().iterator(); it.hasNext(); ) {
            Map.Entry<InetSocketAddress, Long> e = it.next();
            if (e.getValue() < now || current.contains(e.getKey())) {
                it.remove();
            } else {
                output.send(e.getKey(), new Message.Ping(sequences.next(), clock.epochNanos(), current.ref()));
            }
        }
    }

    /** Whether an ACK from {@code from} answers a nudge. */
    boolean expects(InetSocketAddress from) {
        return until.containsKey(from);
    }
}
