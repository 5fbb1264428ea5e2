package io.pulse.core;

import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * The messages nodes exchange, as values. {@code io.pulse.protocol} puts them on the wire.
 *
 * <pre>{@code
 * Message ping = new Message.Ping(42, clock.epochNanos(), ConfigRef.NONE);
 * }</pre>
 *
 * Timestamps are wall-clock nanoseconds since the epoch, each on the clock of the node that
 * took it; sequence numbers are random nonces chosen by the sender and echoed in the answer, so an
 * answer proves it answers our question.
 *
 * <p>Probing (every mode): PING, ACK, PING_REQ, NACK. Cluster mode adds the agreement: ALERTs to
 * the coordinators (observers' reports, joins and leaves), JOIN with its CHALLENGE, the Paxos round (PREPARE,
 * PROMISE, ACCEPT, ACCEPTED) and its DECIDED, the configuration's transfer (CONFIG_REQUEST,
 * CONFIG_PAGE), and PUBLISHED from a change's publisher to its backup. Every cluster message but
 * JOIN and CHALLENGE names the configuration it belongs to; one for another configuration is ignored.
 */
public sealed interface Message {

    long sequence();

    /**
     * "Are you there?" {@code sentEpochNanos} is t0 of the four timestamps; {@code config} is the
     * sender's configuration ({@link ConfigRef#NONE} outside a cluster).
     */
    record Ping(long sequence, long sentEpochNanos, ConfigRef config) implements Message {
        public Ping {
            Objects.requireNonNull(config, "config");
        }

        /** A PING outside a cluster. */
        public Ping(long sequence, long sentEpochNanos) {
            this(sequence, sentEpochNanos, ConfigRef.NONE);
        }
    }

    /**
     * The answer to a PING (or, relayed, to a PING_REQ): t0 echoed, the responder's receive time
     * t1 and send time t2, its incarnation (its start time: a restart makes a new one) and its
     * configuration.
     */
    record Ack(
            long sequence,
            long pingSentEpochNanos,
            long receivedEpochNanos,
            long sentEpochNanos,
            long incarnation,
            ConfigRef config)
            implements Message {
        public Ack {
            Objects.requireNonNull(config, "config");
        }

        /** An ACK outside a cluster. */
        public Ack(
                long sequence,
                long pingSentEpochNanos,
                long receivedEpochNanos,
                long sentEpochNanos,
                long incarnation) {
            this(sequence, pingSentEpochNanos, receivedEpochNanos, sentEpochNanos, incarnation, ConfigRef.NONE);
        }
    }

    /** "Probe {@code target} for me and relay its ACK, or NACK after {@code timeout}." */
    record PingReq(long sequence, InetSocketAddress target, Duration timeout) implements Message {
        /** The longest timeout a relay accepts; also what fits the wire's unsigned 32-bit millis. */
        public static final Duration MAX_TIMEOUT = Duration.ofSeconds(60);

        public PingReq {
            requireResolved("target", target);
            Objects.requireNonNull(timeout, "timeout");
            if (timeout.toMillis() < 1 || timeout.compareTo(MAX_TIMEOUT) > 0) {
                throw new IllegalArgumentException("timeout must be in 1 ms.." + MAX_TIMEOUT.toSeconds() + " s, got "
                        + timeout.toMillis() + " ms");
            }
        }
    }

    /** A relay's word that {@code target} did not answer the PING_REQ with this sequence in time. */
    record Nack(long sequence, InetSocketAddress target) implements Message {
        public Nack {
            requireResolved("target", target);
        }
    }

    /**
     * Cluster mode: what observers and the members a joiner asked tell the coordinators of
     * {@code config}: members found down (or answering again), members asking to join or to leave.
     * Answered by {@link AlertAck}; sent again, and to the next coordinators, until one is.
     */
    record Alert(long sequence, ConfigRef config, List<AlertEntry> entries) implements Message {
        /** The most entries of one datagram. */
        public static final int MAX_ENTRIES = 255;

        public Alert {
            requireConfig(config);
            entries = List.copyOf(entries);
            if (entries.isEmpty() || entries.size() > MAX_ENTRIES) {
                throw new IllegalArgumentException(
                        "an alert carries 1.." + MAX_ENTRIES + " entries, got " + entries.size());
            }
        }
    }

    /** One piece of an {@link Alert}. {@code labels} is {@link Labels#NONE} but for JOIN. */
    record AlertEntry(Kind kind, MemberInfo member) {
        public enum Kind {
            /** The sender observes the member and found it down. */
            DOWN,
            /** The sender observes the member, found it down before, and it answers again: the DOWN is withdrawn. */
            UP,
            /** The member asked to join (its address proven by a CHALLENGE, or by its MAC). */
            JOIN,
            /** The member leaves: sent by the member itself, so the entry's address is the sender's. */
            LEAVE
        }

        public AlertEntry {
            Objects.requireNonNull(kind, "kind");
            Objects.requireNonNull(member, "member");
            if (kind != Kind.JOIN && !member.labels().isEmpty()) {
                throw new IllegalArgumentException("only a JOIN entry carries labels, got " + kind);
            }
        }
    }

    /** A coordinator has the {@link Alert} with this sequence. */
    record AlertAck(long sequence, ConfigRef config) implements Message {
        public AlertAck {
            requireConfig(config);
        }
    }

    /**
     * Cluster mode: "let me in" to any member (a seed, or the member that told the sender it is no
     * longer in the configuration). {@code cookie} is 0 at first; the receiver answers with a
     * {@link Challenge}, and the JOIN sent again with that cookie proves the sender receives at its
     * address. A signed JOIN needs no cookie.
     */
    record Join(long sequence, long incarnation, long cookie, Labels labels) implements Message {
        public Join {
            Objects.requireNonNull(labels, "labels");
            if (incarnation < 1) {
                throw new IllegalArgumentException("incarnation must be >= 1, got " + incarnation);
            }
        }
    }

    /** The answer to a JOIN without a valid cookie: send it again with this one. */
    record Challenge(long sequence, long cookie) implements Message {}

    /** Paxos phase 1a from coordinator to every member of {@code config}; padded, unsigned, to the size of its answer. */
    record Prepare(long sequence, ConfigRef config, Ballot ballot, int paddingBytes) implements Message {
        public Prepare {
            requireConfig(config);
            Objects.requireNonNull(ballot, "ballot");
            if (paddingBytes < 0) {
                throw new IllegalArgumentException("paddingBytes must be >= 0, got " + paddingBytes);
            }
        }
    }

    /**
     * Paxos phase 1b: the acceptor will take no ballot below {@code ballot}, and tells what it
     * accepted before ({@code accepted} {@link Ballot#ZERO} and {@code value} null if nothing).
     */
    record Promise(long sequence, ConfigRef config, Ballot ballot, Ballot accepted, Proposal value) implements Message {
        public Promise {
            requireConfig(config);
            Objects.requireNonNull(ballot, "ballot");
            Objects.requireNonNull(accepted, "accepted");
            if ((value == null) != accepted.equals(Ballot.ZERO)) {
                throw new IllegalArgumentException("a promise carries a value exactly when it accepted one");
            }
        }
    }

    /** Paxos phase 2a: accept {@code value} at {@code ballot}. */
    record Accept(long sequence, ConfigRef config, Ballot ballot, Proposal value) implements Message {
        public Accept {
            requireConfig(config);
            Objects.requireNonNull(ballot, "ballot");
            Objects.requireNonNull(value, "value");
        }
    }

    /**
     * Paxos phase 2b, and the refusal of either phase: {@code ok} when the acceptor took the ballot;
     * otherwise {@code promised} is the higher ballot it holds to.
     */
    record Accepted(long sequence, ConfigRef config, Ballot ballot, boolean ok, Ballot promised) implements Message {
        public Accepted {
            requireConfig(config);
            Objects.requireNonNull(ballot, "ballot");
            Objects.requireNonNull(promised, "promised");
        }
    }

    /** The change of {@code config} that a majority accepted: apply it. */
    record Decided(long sequence, ConfigRef config, Proposal value) implements Message {
        public Decided {
            requireConfig(config);
            Objects.requireNonNull(value, "value");
        }
    }

    /**
     * "Bring me up to date": {@code config} is the configuration the sender holds ({@link ConfigRef#NONE}
     * if none). The answer is the DECIDED that followed it, if the receiver is one change ahead and
     * remembers it, else page {@code page} of the receiver's configuration. Padded, unsigned, to the
     * size of the largest page, so that no answer is larger than its question.
     */
    record ConfigRequest(long sequence, ConfigRef config, int page, int paddingBytes) implements Message {
        public ConfigRequest {
            Objects.requireNonNull(config, "config");
            if (page < 0 || page > ConfigPage.MAX_PAGES - 1 || paddingBytes < 0) {
                throw new IllegalArgumentException("page must be in 0.." + (ConfigPage.MAX_PAGES - 1)
                        + " and paddingBytes >= 0, got " + page + " and " + paddingBytes);
            }
        }
    }

    /**
     * One page of a configuration, its members and standings in the configuration's order, members
     * first; the requester assembles them and checks the whole against {@code config}'s id.
     */
    record ConfigPage(
            long sequence, ConfigRef config, int page, int pages, List<MemberInfo> members, List<Standing> standings)
            implements Message {
        public static final int MAX_PAGES = 0xffff;

        public ConfigPage {
            requireConfig(config);
            members = List.copyOf(members);
            standings = List.copyOf(standings);
            if (pages < 1 || pages > MAX_PAGES || page < 0 || page >= pages) {
                throw new IllegalArgumentException("page must be in 0..pages-1 and pages in 1.." + MAX_PAGES
                        + ", got page " + page + " of " + pages);
            }
        }
    }

    /** From a change's publisher to its backup: the events of the change that made {@code config} are in Kafka. */
    record Published(long sequence, ConfigRef config) implements Message {
        public Published {
            requireConfig(config);
        }
    }

    private static void requireResolved(String name, InetSocketAddress address) {
        Objects.requireNonNull(address, name);
        if (address.isUnresolved()) {
            throw new IllegalArgumentException(name + " must be a resolved address, got " + address);
        }
    }

    private static void requireConfig(ConfigRef config) {
        Objects.requireNonNull(config, "config");
        if (config.isNone()) {
            throw new IllegalArgumentException("a cluster message names a configuration, got none");
        }
    }
}
