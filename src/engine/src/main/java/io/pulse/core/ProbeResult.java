package io.pulse.core;

import java.util.Objects;

/**
 * The outcome of one probe of an external target (HTTP, TCP), which the driver performs when
 * {@link PulseCore.Output#probe} asks for it and reports with {@link PulseCore#onProbeResult}.
 *
 * <pre>{@code
 * core.onProbeResult(ProbeResult.success(sequence, rttNanos));
 * core.onProbeResult(ProbeResult.successWithPeerTime(sequence, rttNanos, peerEpochNanos));
 * core.onProbeResult(ProbeResult.failure(sequence, "HTTP 500"));
 * }</pre>
 *
 * @param rttNanos       request sent to answer received (connect time for TCP), when successful
 * @param peerEpochNanos the peer's wall clock as it answered, when {@code hasPeerTime}
 * @param error          why it failed, or {@code null} on success
 */
public record ProbeResult(
        long sequence, boolean successful, long rttNanos, boolean hasPeerTime, long peerEpochNanos, String error) {

    public ProbeResult {
        if (successful && rttNanos < 0) {
            throw new IllegalArgumentException("rttNanos must be >= 0, got " + rttNanos);
        }
        if (!successful) {
            Objects.requireNonNull(error, "error");
        }
    }

    public static ProbeResult success(long sequence, long rttNanos) {
        return new ProbeResult(sequence, true, rttNanos, false, 0, null);
    }

    public static ProbeResult successWithPeerTime(long sequence, long rttNanos, long peerEpochNanos) {
        return new ProbeResult(sequence, true, rttNanos, true, peerEpochNanos, null);
    }

    public static ProbeResult failure(long sequence, String error) {
        return new ProbeResult(sequence, false, 0, false, 0, error);
    }
}
