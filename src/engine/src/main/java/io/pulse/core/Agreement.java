package io.pulse.core;

import java.net.InetSocketAddress;
import java.util.BitSet;
import java.util.Objects;

/**
 * Paxos on the change of one configuration: every member is an acceptor, and the member that
 * coordinates the change is the proposer. A change is decided when a majority of the
 * configuration accepted it; a side of a partition without a majority never gets there.
 *
 * <pre>{@code
 * Agreement agreement = new Agreement(configuration, myIndex, sequences, network);
 * agreement.propose(proposal, ballot);                  // the coordinator
 * agreement.onPrepare(from, prepare);                   // every member
 * }</pre>
 *
 * <p>Always both phases: a coordinator first gathers promises from a majority, so that it never
 * has acceptors take a value it cannot get decided, which after a partition healed would decide a
 * change made while the members it removes were only out of reach. The first ballot of a change
 * costs two round trips, on a LAN about a millisecond against the seconds of detection. Answers
 * must echo the sequence of the request they answer. Pure: no clock, no I/O, one thread.
 */
final class Agreement {
    /** A value (PROMISE, ACCEPT, DECIDED) fits one datagram with room for header, fields and trailer. */
    static final int MAX_VALUE_BYTES = 1280;

    /** What it asks of the member. */
    interface Network {
        void send(InetSocketAddress to, Message message);

        /** A majority accepted {@code value}: tell everyone, apply it. */
        void decided(Proposal value);

        /** Member {@code index}, which our proposal removes as down, answered it: its reports are stale. */
        void answeredWhileDown(int index);
    }

    private final Configuration configuration;
    private final int self;
    private final Sequences sequences;
    private final Network network;
    /** Whether this member's datagrams are signed: unsigned, a PREPARE is padded to the largest PROMISE. */
    private final boolean signed;
    // Acceptor
    private Ballot promised = Ballot.ZERO;
    private Ballot acceptedBallot = Ballot.ZERO;
    private Proposal acceptedValue;
    // Proposer
    private Ballot ballot;
    private Proposal proposal;
    private long phaseSequence;
    private int phase;
    private final BitSet answered;
    private int answers;
    private Ballot highestAccepted = Ballot.ZERO;
    private Proposal highestValue;
    /** The highest ballot any acceptor told us of: a next attempt goes above it. */
    private Ballot highestSeen = Ballot.ZERO;

    private boolean decided;

    Agreement(Configuration configuration, int self, Sequences sequences, Network network, boolean signed) {
        this.configuration = configuration;
        this.signed = signed;
        this.self = self;
        this.sequences = sequences;
        this.network = network;
        this.answered = new BitSet(configuration.size());
    }

    /** Whether {@code value} can apply to this configuration (indices in range, the right size). */
    static boolean valid(Configuration configuration, Proposal value) {
        if (value.encodedBytes() > MAX_VALUE_BYTES || value.isEmpty()) {
            return false;
        }
        int n = configuration.size();
        for (int i = 0; i < value.downCount(); i++) {
            if (value.down(i) >= n) {
                return false;
            }
        }
        for (int i = 0; i < value.leftCount(); i++) {
            if (value.left(i) >= n) {
                return false;
            }
        }
        int removed = value.downCount() + value.leftCount();
        return removed < n || !value.joined().isEmpty();
    }

    /**
     * Whether {@code value} could ever be decided: the members it removes as down never accept it,
     * so it needs a majority among the others. One that cannot (a split in halves, healed) is no
     * value a later ballot must carry on, and must not hold the configuration up for good.
     */
    private boolean choosable(Proposal value) {
        return configuration.size() - value.downCount() >= configuration.majority();
    }

    // ---- proposer ----

    /**
     * Starts a ballot above every one seen, for {@code value} (or for a value some acceptor took
     * earlier, as Paxos requires). A ballot already running is abandoned.
     */
    void propose(Proposal value, int rank) {
        Objects.requireNonNull(value, "value");
        if (decided) {
            return;
        }
        Ballot base = highestSeen.above(promised) ? highestSeen : promised;
        ballot = base.next(rank);
        proposal = value;
        phase = 1;
        answered.clear();
        answers = 0;
        highestAccepted = Ballot.ZERO;
        highestValue = null;
        phaseSequence = sequences.next();
        int padding = signed ? 0 : WireSizes.MAX_PROMISE - WireSizes.PREPARE;
        for (MemberInfo m : configuration.members()) {
            network.send(m.address(), new Message.Prepare(phaseSequence, configuration.ref(), ballot, padding));
        }
    }

    /** The ballot this member is trying, or null. */
    Ballot ballot() {
        return phase == 0 ? null : ballot;
    }

    boolean proposing() {
        return phase != 0 && !decided;
    }

    void onPromise(InetSocketAddress from, Message.Promise promise) {
        int index = configuration.indexOf(from);
        if (phase != 1
                || index < 0
                || promise.sequence() != phaseSequence
                || !promise.ballot().equals(ballot)
                || answered.get(index)) {
            return;
        }
        answered.set(index);
        answers++;
        if (promise.value() != null
                && promise.accepted().above(highestAccepted)
                && valid(configuration, promise.value())
                && choosable(promise.value())) {
            highestAccepted = promise.accepted();
            highestValue = promise.value();
        }
        if (proposal.isDown(index)) {
            // A member this proposal removes as down answered: it is not down, and the reports are stale
            // (a partition healed, a stall ended). Give up this ballot; the coordinator looks again.
            phase = 0;
            network.answeredWhileDown(index);
            return;
        }
        if (answers >= configuration.majority()) {
            phase = 2;
            Proposal value = highestValue != null ? highestValue : proposal;
            proposal = value;
            answered.clear();
            answers = 0;
            phaseSequence = sequences.next();
            for (MemberInfo m : configuration.members()) {
                network.send(m.address(), new Message.Accept(phaseSequence, configuration.ref(), ballot, value));
            }
        }
    }

    void onAccepted(InetSocketAddress from, Message.Accepted accepted) {
        int index = configuration.indexOf(from);
        if (index < 0
                || accepted.sequence() != phaseSequence
                || !accepted.ballot().equals(ballot)) {
            return;
        }
        if (!accepted.ok()) {
            if (accepted.promised().above(highestSeen)) {
                highestSeen = accepted.promised(); // someone else coordinates higher; the next attempt goes above
            }
            return;
        }
        if (phase != 2 || answered.get(index)) {
            return;
        }
        answered.set(index);
        answers++;
        if (answers >= configuration.majority() && !decided) {
            decided = true;
            phase = 0;
            network.decided(proposal);
        }
    }

    /** How many members answered the current phase so far: what a coordinator without a majority reports. */
    int answers() {
        return answers;
    }

    // ---- acceptor ----

    void onPrepare(InetSocketAddress from, Message.Prepare prepare) {
        if (!configuration.contains(from)) {
            return;
        }
        Ballot b = prepare.ballot();
        if (b.above(highestSeen)) {
            highestSeen = b;
        }
        if (b.above(promised)) {
            promised = b;
            network.send(
                    from,
                    new Message.Promise(prepare.sequence(), configuration.ref(), b, acceptedBallot, acceptedValue));
        } else {
            network.send(from, new Message.Accepted(prepare.sequence(), configuration.ref(), b, false, promised));
        }
    }

    void onAccept(InetSocketAddress from, Message.Accept accept) {
        if (!configuration.contains(from)) {
            return;
        }
        Ballot b = accept.ballot();
        if (b.above(highestSeen)) {
            highestSeen = b;
        }
        // A member never accepts its own removal as down: it is alive to say so. (Leaving, it accepts its removal.)
        boolean ok = b.compareTo(promised) >= 0
                && valid(configuration, accept.value())
                && (self < 0 || !accept.value().isDown(self));
        if (ok) {
            promised = b;
            acceptedBallot = b;
            acceptedValue = accept.value();
        }
        network.send(from, new Message.Accepted(accept.sequence(), configuration.ref(), b, ok, promised));
    }

    /** A decision came (from the coordinator, or learned otherwise): nothing more to do here. */
    void decided() {
        decided = true;
        phase = 0;
    }

    boolean isDecided() {
        return decided;
    }

    /** Whether this acceptor took a value: a change is under way in this configuration. */
    boolean hasAccepted() {
        return acceptedValue != null;
    }
}
