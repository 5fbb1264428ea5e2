package io.pulse.sidecar.http;

import io.pulse.core.NodeId;
import io.pulse.core.NodeStatus;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Probes sent and lost over the life of the process, from per-node counts that fall back when a
 * node is removed or its statistics are reset: each update adds what grew since the previous one,
 * so the totals only grow, as Prometheus counters must ({@code rate()} reads a fall as a restart
 * and would show a burst of every probe ever sent).
 *
 * <p>A node whose probe count fell was reset: all its counts are new. A lost count may fall by
 * itself (a late ACK takes a loss back); the total lost reported holds at its high-water mark
 * until the losses that follow pass it again. Not knowable from snapshots: a node reset, or
 * removed and added again, that sent more probes between two updates than it had before; its
 * earlier probes then go uncounted. Thread-safe.
 */
final class ProbeTotals {
    private record Seen(long total, long lost) {}

    private Map<NodeId, Seen> seen = new HashMap<>();
    private long sent;
    private long lostNet;
    private long lost;

    synchronized void update(List<NodeStatus> nodes) {
        Map<NodeId, Seen> next = new HashMap<>(nodes.size() * 2);
        for (NodeStatus node : nodes) {
            Seen before = seen.get(node.node());
            if (before == null || node.totalProbes() < before.total()) {
                sent += node.totalProbes();
                lostNet += node.lostProbes();
            } else {
                sent += node.totalProbes() - before.total();
                lostNet += node.lostProbes() - before.lost();
            }
            next.put(node.node(), new Seen(node.totalProbes(), node.lostProbes()));
        }
        seen = next; // removed nodes are forgotten; what they sent stays in the totals
        lost = Math.max(lost, lostNet);
    }

    synchronized long sent() {
        return sent;
    }

    synchronized long lost() {
        return lost;
    }
}
