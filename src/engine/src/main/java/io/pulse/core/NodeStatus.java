package io.pulse.core;

import java.time.Duration;
import java.time.Instant;

/**
 * A snapshot of one watched node: its state and statistics.
 *
 * <pre>{@code
 * NodeStatus s = engine.status(NodeId.parse("10.0.0.7:7946"));
 * double loss = s.lossRatio();
 * }</pre>
 *
 * @param srtt            smoothed RTT (RFC 6298), or {@code null} before the first direct ACK
 * @param rttVariance     RTTVAR, or {@code null} before the first direct ACK
 * @param probeTimeout    the timeout the next probe will use (RTO clamped to the configured bounds)
 * @param clockOffset     the node's wall clock minus ours, or {@code null} before the first sample
 * @param clockOffsetError the estimate's error bound, or {@code null} before the first sample
 * @param firstContact    the first ACK ever, or {@code null}
 * @param lastContact     the latest ACK, direct or relayed, or {@code null}
 * @param incarnation     the node's incarnation from its latest ACK (0 before the first, and always for
 *                        external targets)
 * @param kind            how the node is probed
 * @param lastError       why the latest failed probe of an external target failed, or {@code null}
 * @param lastRetries     direct retries of the latest finished probe round (0 when its first probe was answered)
 */
public record NodeStatus(
        NodeId node,
        Liveness state,
        long incarnation,
        long totalProbes,
        long lostProbes,
        Duration srtt,
        Duration rttVariance,
        Duration probeTimeout,
        Duration clockOffset,
        Duration clockOffsetError,
        Instant firstContact,
        Instant lastContact,
        ProbeKind kind,
        String lastError,
        int lastRetries) {

    /** How a node is probed. */
    public enum ProbeKind {
        /** Pulse's own UDP protocol: PING/ACK, and a peer that relays PING_REQ. */
        PULSE,
        /** By the driver (HTTP, TCP), for services that do not speak the protocol; no indirect probes. */
        EXTERNAL
    }

    /** Lost direct PINGs over sent direct PINGs; 0 when none was sent. */
    public double lossRatio() {
        return totalProbes == 0 ? 0 : (double) lostProbes / totalProbes;
    }

    /** True when ALIVE: the latest probe round was answered. */
    public boolean healthy() {
        return state == Liveness.ALIVE;
    }
}
