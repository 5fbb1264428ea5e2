package io.pulse.sidecar;

import io.pulse.core.NodeId;
import io.pulse.core.Transition;
import java.util.Objects;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One INFO line per state change, so that an operator reads in the sidecar's log what it published:
 *
 * <pre>{@code
 * engine.onStatusChange(new StateChangeLog(observer));
 * // node 10.0.0.7:7946 ALIVE -> SUSPECT (PROBE_ROUND_FAILED), incarnation 3, observed by 10.0.0.1:7946
 * }</pre>
 *
 * A cluster verdict also names the agreed configuration that made it.
 */
final class StateChangeLog implements Consumer<Transition> {
    private static final Logger LOG = LoggerFactory.getLogger(StateChangeLog.class);

    private final NodeId observer;

    StateChangeLog(NodeId observer) {
        this.observer = Objects.requireNonNull(observer, "observer");
    }

    @Override
    public void accept(Transition change) {
        LOG.info(describe(change, observer));
    }

    /** The line for {@code change} as {@code observer} saw it. */
    static String describe(Transition change, NodeId observer) {
        StringBuilder line = new StringBuilder("node ")
                .append(change.node())
                .append(' ')
                .append(change.previous())
                .append(" -> ")
                .append(change.current())
                .append(" (")
                .append(change.reason())
                .append("), incarnation ")
                .append(change.incarnation());
        if (!change.change().isNone()) {
            line.append(", agreed in configuration ").append(change.change());
        } else if (change.clusterVerdict()) {
            line.append(", declared by ").append(change.declaredBy());
        }
        return line.append(", observed by ").append(observer).toString();
    }
}
