package io.pulse.core;

import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * A coordinator's side of one configuration: the news it was told (observers' reports through a
 * {@link CutDetector}, vouched joins, leaves), the change they add up to, and when to propose it.
 *
 * <pre>{@code
 * coordination.onAlert(fromIndex, alert.entries(), nowNanos, nowMillis);
 * coordination.evaluate(nowNanos, nowMillis);   // after the batch window
 * }</pre>
 *
 * <p>The change is coordinated by the lowest-ranked member that it does not remove, which for a
 * crash of rank 0 is rank 1, at once, because the crash is in the cut. Any other coordinator that
 * holds the same news waits one consensus timeout per rank between it and the one that should
 * coordinate, then tries itself (Paxos keeps the two from deciding different changes). Pure.
 */
final class Coordination {
    private final Configuration configuration;
    private final ClusterConfig config;
    private final int self;
    private final CutDetector cut;
    private final TreeMap<InetSocketAddress, MemberInfo> joins = new TreeMap<>(Configuration.ADDRESS_ORDER);
    private final TreeSet<Integer> leaves = new TreeSet<>();
    private long firstNewsNanos = -1;
    private long reportsReceived;

    Coordination(Configuration configuration, ClusterConfig config, int self) {
        this.configuration = configuration;
        this.config = config;
        this.self = self;
        this.cut = new CutDetector(configuration, config);
    }

    /**
     * News from member {@code from} (an index in this configuration). DOWN and UP count only from an
     * observer of the subject about the incarnation in this configuration; LEAVE only from the member
     * itself; a JOIN of a member already in, with the same incarnation, is nothing new.
     *
     * @return whether anything changed
     */
    boolean onAlert(int from, List<Message.AlertEntry> entries, long nowNanos, long maxIncarnation) {
        boolean changed = false;
        for (Message.AlertEntry entry : entries) {
            MemberInfo member = entry.member();
            int index = configuration.indexOf(member.address());
            switch (entry.kind()) {
                case DOWN -> {
                    if (index >= 0
                            && configuration.member(index).incarnation() == member.incarnation()
                            && cut.report(index, from, nowNanos)) {
                        reportsReceived++;
                        changed = true;
                    }
                }
                case UP -> {
                    if (index >= 0) {
                        cut.withdraw(index, from);
                        changed = true;
                    }
                }
                case JOIN -> {
                    boolean known = index >= 0 && configuration.member(index).incarnation() == member.incarnation();
                    MemberInfo pending = joins.get(member.address());
                    if (!known
                            && member.incarnation() <= maxIncarnation
                            && (pending == null || pending.incarnation() < member.incarnation())) {
                        joins.put(member.address(), member);
                        changed = true;
                    }
                }
                case LEAVE -> {
                    if (index >= 0
                            && index == from
                            && configuration.member(index).incarnation() == member.incarnation()
                            && leaves.add(index)) {
                        changed = true;
                    }
                }
            }
        }
        if (changed && firstNewsNanos < 0) {
            firstNewsNanos = nowNanos;
        }
        return changed;
    }

    /** Member {@code index} answered this coordinator: every report that it is down is stale. */
    void forget(int index) {
        cut.forget(index);
    }

    long reportsReceived() {
        return reportsReceived;
    }

    /** When the batch window after the first news ends, or -1 if there is no news. */
    long batchEndsNanos() {
        return firstNewsNanos < 0 ? -1 : firstNewsNanos + config.batchWindow().toNanos();
    }

    /** When the next member in flux stops holding the cut back, after {@code nowNanos}, or {@link Long#MAX_VALUE}. */
    long nextExpiryNanos(long nowNanos) {
        return cut.nextExpiryNanos(nowNanos);
    }

    /**
     * The change the news adds up to now (flapping members due to settle included), within what one
     * value may hold; empty if there is nothing to decide yet.
     */
    Proposal proposal(long nowNanos, long nowMillis) {
        int[] leaving = leaves.stream().mapToInt(Integer::intValue).toArray();
        int[] down = cut.stable(nowNanos, leaving);
        down = Arrays.stream(down).filter(i -> !leaves.contains(i)).toArray();
        List<MemberInfo> joined = new ArrayList<>(joins.values());
        List<InetSocketAddress> settled =
                configuration.settledBy(nowMillis, config.holdDown().toMillis());
        Proposal value = new Proposal(nowMillis, down, leaving, joined, settled);
        // What does not fit one datagram waits for the next change: joins first, then the settled, then down members.
        while (value.encodedBytes() > Agreement.MAX_VALUE_BYTES && !joined.isEmpty()) {
            joined.remove(joined.size() - 1);
            value = new Proposal(nowMillis, down, leaving, joined, settled);
        }
        while (value.encodedBytes() > Agreement.MAX_VALUE_BYTES && !settled.isEmpty()) {
            settled = settled.subList(0, settled.size() - 1);
            value = new Proposal(nowMillis, down, leaving, joined, settled);
        }
        while (value.encodedBytes() > Agreement.MAX_VALUE_BYTES && down.length > 0) {
            down = Arrays.copyOf(down, down.length - 1);
            value = new Proposal(nowMillis, down, leaving, joined, settled);
        }
        return value;
    }

    /**
     * How many consensus timeouts this member waits before it coordinates {@code value} itself: 0 if
     * it is the lowest-ranked member the change keeps, 1 for the next such rank, and so on.
     */
    int turn(Proposal value) {
        int turn = 0;
        for (int rank = 0; rank < configuration.size(); rank++) {
            int index = configuration.byRank(rank);
            if (value.isDown(index) || value.isLeft(index)) {
                continue;
            }
            if (index == self) {
                return turn;
            }
            turn++;
        }
        return turn;
    }

    boolean hasNews() {
        return !cut.isEmpty() || !joins.isEmpty() || !leaves.isEmpty();
    }
}
