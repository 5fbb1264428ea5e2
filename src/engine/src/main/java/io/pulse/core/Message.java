package io.pulse.core;

import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;
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
    record Ping(long sequence, long sentEpochNanos) implements Message {}

    /**
     * The answer to a PING (or, relayed, to a PING_REQ): t0 echoed, the responder's receive time
     * t1 and send time t2, and the responder's incarnation, which grows when it restarts.
     */
    record Ack(long sequence, long pingSentEpochNanos, long receivedEpochNanos, long sentEpochNanos, long incarnation)
            implements Message {}

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
                throw new IllegalArgumentException("timeout must be in 1 ms.." + MAX_TIMEOUT.toSeconds() + " s, got "
                        + timeout.toMillis() + " ms");
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

    /**
     * Cluster mode: membership news with nothing else, sent every gossip interval to a few random
     * members while there is news to spread.
     */
    record Gossip(long sequence, List<MemberUpdate> updates) implements Message {
        public Gossip {
            updates = List.copyOf(updates);
            if (updates.isEmpty()) {
                throw new IllegalArgumentException("a gossip message carries at least one update");
            }
        }
    }

    /**
     * Cluster mode: one page of a member's whole view (push-pull anti-entropy, and the join). The
     * pages of one exchange share {@code sequence}; {@code replyWanted} asks the receiver to send
     * its own view back, which the first page alone does.
     */
    record Sync(long sequence, boolean replyWanted, int page, int pages, List<MemberUpdate> members)
            implements Message {
        /** The most pages one view may take: 65,535 x 29 worst-case entries is far beyond any cluster. */
        public static final int MAX_PAGES = 0xffff;

        public Sync {
            members = List.copyOf(members);
            if (members.isEmpty()) {
                throw new IllegalArgumentException("a sync page carries at least one member (the sender's own entry)");
            }
            if (pages < 1 || pages > MAX_PAGES || page < 0 || page >= pages) {
                throw new IllegalArgumentException("page must be in 0..pages-1 and pages in 1.." + MAX_PAGES
                        + ", got page " + page + " of " + pages);
            }
        }
    }

    /**
     * Cluster mode: a PING, ACK, PING_REQ or NACK with membership news riding along, so that
     * dissemination costs no datagram of its own.
     */
    record Piggybacked(Message message, List<MemberUpdate> updates) implements Message {
        public Piggybacked {
            Objects.requireNonNull(message, "message");
            updates = List.copyOf(updates);
            if (message instanceof Piggybacked || message instanceof Gossip || message instanceof Sync) {
                throw new IllegalArgumentException("only PING, ACK, PING_REQ and NACK carry piggybacked updates, got "
                        + message.getClass().getSimpleName());
            }
            if (updates.isEmpty()) {
                throw new IllegalArgumentException("a piggybacked message carries at least one update");
            }
        }

        @Override
        public long sequence() {
            return message.sequence();
        }
    }
}
