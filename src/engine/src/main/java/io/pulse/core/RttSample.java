package io.pulse.core;

import java.time.Duration;
import java.util.Objects;

/**
 * One measured round trip: a direct probe of {@code node} answered after {@code rtt}. The same
 * sample feeds the node's smoothed RTT ({@link NodeStatus#srtt()}); relayed answers give none.
 *
 * <pre>{@code
 * engine.onRttSample(sample -> histogram.record(sample.rtt()));
 * }</pre>
 *
 * @param kind how the node is probed: a UDP PING/ACK, or the driver's HTTP or TCP probe (request
 *             to answer, or TCP connect), which costs more than a datagram on the same path
 */
public record RttSample(NodeId node, NodeStatus.ProbeKind kind, Duration rtt) {

    public RttSample {
        Objects.requireNonNull(node, "node");
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(rtt, "rtt");
    }
}
