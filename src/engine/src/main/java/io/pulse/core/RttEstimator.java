package io.pulse.core;

import java.time.Duration;

/**
 * Smoothed round-trip time and retransmission timeout, as RFC 6298 section 2 defines them:
 * the first sample R sets SRTT = R and RTTVAR = R/2; each later sample R' sets
 * RTTVAR = 3/4 RTTVAR + 1/4 |SRTT - R'| and then SRTT = 7/8 SRTT + 1/8 R';
 * RTO = SRTT + max(G, 4 RTTVAR) with a clock granularity G of 1 ms.
 *
 * <p>RFC 6298's 1 s minimum RTO is for TCP on the open Internet; the detector clamps the RTO to
 * its own floor and ceiling instead ({@link DetectorConfig}). Not thread-safe.
 */
final class RttEstimator {
    static final long GRANULARITY_NANOS = Duration.ofMillis(1).toNanos();
    /** RFC 6298 2.1: before any sample, RTO is 1 s. */
    static final long INITIAL_RTO_NANOS = Duration.ofSeconds(1).toNanos();

    private double srttNanos;
    private double rttvarNanos;
    private long samples;

    void addSample(long rttNanos) {
        if (rttNanos < 0) {
            throw new IllegalArgumentException("rttNanos must be >= 0, got " + rttNanos);
        }
        if (samples == 0) {
            srttNanos = rttNanos;
            rttvarNanos = rttNanos / 2.0;
        } else {
            rttvarNanos = 0.75 * rttvarNanos + 0.25 * Math.abs(srttNanos - rttNanos);
            srttNanos = 0.875 * srttNanos + 0.125 * rttNanos;
        }
        samples++;
    }

    boolean hasSample() {
        return samples > 0;
    }

    long samples() {
        return samples;
    }

    /** SRTT, or -1 before the first sample. */
    long srttNanos() {
        return samples == 0 ? -1 : Math.round(srttNanos);
    }

    /** RTTVAR, or -1 before the first sample. */
    long rttvarNanos() {
        return samples == 0 ? -1 : Math.round(rttvarNanos);
    }

    long rtoNanos() {
        if (samples == 0) {
            return INITIAL_RTO_NANOS;
        }
        return Math.round(srttNanos + Math.max(GRANULARITY_NANOS, 4 * rttvarNanos));
    }

    void reset() {
        srttNanos = 0;
        rttvarNanos = 0;
        samples = 0;
    }
}
