package io.pulse.core;

/**
 * A Paxos ballot of one configuration's agreement: rounds are tried in order, and within a round the
 * coordinator's rank breaks the tie, so that two coordinators never use the same ballot.
 *
 * <pre>{@code
 * Ballot first = new Ballot(1, myRank);
 * Ballot next = first.next(myRank);   // a higher round, after a failed attempt
 * }</pre>
 *
 * @param round 1 or more ({@link #ZERO}: nothing promised or accepted yet)
 * @param rank  the coordinator's rank in the configuration, 0..65535
 */
public record Ballot(int round, int rank) implements Comparable<Ballot> {
    /** Below every real ballot: what an acceptor has promised before any PREPARE. */
    public static final Ballot ZERO = new Ballot(0, 0);

    public static final int MAX_RANK = 0xffff;

    public Ballot {
        if (round < 0) {
            throw new IllegalArgumentException("round must be >= 0, got " + round);
        }
        if (rank < 0 || rank > MAX_RANK) {
            throw new IllegalArgumentException("rank must be in 0.." + MAX_RANK + ", got " + rank);
        }
    }

    /** The next round for coordinator {@code rank}: above this ballot. */
    public Ballot next(int rank) {
        return new Ballot(round + 1, rank);
    }

    @Override
    public int compareTo(Ballot other) {
        int byRound = Integer.compare(round, other.round);
        return byRound != 0 ? byRound : Integer.compare(rank, other.rank);
    }

    public boolean above(Ballot other) {
        return compareTo(other) > 0;
    }

    @Override
    public String toString() {
        return round + "." + rank;
    }
}
