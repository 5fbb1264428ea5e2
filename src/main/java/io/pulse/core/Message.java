package io.pulse.core;

import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.Objects;

/**
 * The messages nodes exchange, as values. {@code io.pulse.protocol} puts them on the wire.
 *
 * <pre>{@code
 * Message ping = new Message.Ping(42, clock.epochNanos());
 * }</pre>
 *
 * Timestamps are wall-clock nanoseconds since the epoch, each on the clock of the node that
 * took it; sequence numbers are chosen by the sender and echoed in the answer.
 */
public sealed interface Message {

    long sequence();

    /** "Are you there?" {@code sentEpochNanos} is t0 of the four timestamps. */
    record Ping(long sequence, long sentEpochNanos) implements Message {
    }

    /**
     * The answer to a PING (or, relayed, to a PING_REQ): t0 echoed, the responder's receive time
     * t1 and send time t2, and the responder's incarnation, which grows when it restarts.
     */
    record Ack(long sequence, long pingSentEpochNanos, long receivedEpochNanos, long sentEpochNanos,
               long incarnation) implements Message {
    }

    /** "Probe {@code target} for me and relay its ACK, or NACK after {@code timeout}." */
    record PingReq(long sequence, InetSocketAddress target, Duration timeout) implements Message {
        /** The longest timeout a relay accepts; also what fits the wire's unsigned 32-bit millis. */
        public static final Duration MAX_TIMEOUT = Duration.ofSeconds(60);

        public PingReq {
            Objects.requireNonNull(target, "target");
            Objects.requireNonNull(timeout, "timeout");
            if (target.isUnresolved()) {
                throw new IllegalArgumentException("target must be a resolved address, got " + target);
            }
            if (timeout.toMillis() < 1 || timeout.compareTo(MAX_TIMEOUT) > 0) {
                throw new IllegalArgumentException("timeout must be in 1 ms.." + MAX_TIMEOUT.toSeconds()
                        + " s, got " + timeout.toMillis() + " ms");
            }
        }
    }

    /** A relay's word that {@code target} did not answer the PING_REQ with this sequence in time. */
    record Nack(long sequence, InetSocketAddress target) implements Message {
        public Nack {
            Objects.requireNonNull(target, "target");
            if (target.isUnresolved()) {
                throw new IllegalArgumentException("target must be a resolved address, got " + target);
            }
        }
    }
}
