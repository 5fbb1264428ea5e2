package io.pulse.core;

import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/**
 * The membership news waiting to be spread, at most one update per member (a newer one replaces
 * the older), handed out least-sent first and newest first among equals, each until it has been
 * sent a given number of times (memberlist's TransmitLimitedQueue).
 *
 * <pre>{@code
 * broadcasts.add(update);
 * List<MemberUpdate> ride = broadcasts.take(512, config.retransmits(members));
 * }</pre>
 */
final class Broadcasts {

    private static final class Entry {
        final MemberUpdate update;
        final long order;
        int transmits;

        Entry(MemberUpdate update, long order) {
            this.update = update;
            this.order = order;
        }
    }

    private final TreeSet<Entry> queue = new TreeSet<>((a, b) ->
            a.transmits != b.transmits ? Integer.compare(a.transmits, b.transmits) : Long.compare(b.order, a.order));
    private final Map<InetSocketAddress, Entry> byMember = new HashMap<>();
    /** The member whose news is counted beyond the queue (this node: how far its LEFT went). */
    private final InetSocketAddress counted;
    /** How often the latest update about {@link #counted} was sent, kept after it left the queue. */
    private int countedTransmits;

    private long order;

    Broadcasts(InetSocketAddress counted) {
        this.counted = counted;
    }

    /** Queues {@code update}, replacing any older news about the same member. */
    void add(MemberUpdate update) {
        Entry old = byMember.remove(update.member());
        if (old != null) {
            queue.remove(old);
        }
        Entry entry = new Entry(update, order++);
        queue.add(entry);
        byMember.put(update.member(), entry);
        if (update.member().equals(counted)) {
            countedTransmits = 0;
        }
    }

    /**
     * Up to {@code budgetBytes} of updates for one message, least-sent first; each counts as sent
     * once more, and leaves the queue when it reaches {@code limit}.
     */
    List<MemberUpdate> take(int budgetBytes, int limit) {
        if (queue.isEmpty()) {
            return List.of();
        }
        List<Entry> taken = new ArrayList<>();
        int left = budgetBytes;
        for (Entry entry : queue) {
            int size = entry.update.wireBytes();
            if (size <= left) {
                taken.add(entry);
                left -= size;
                if (left < MemberUpdate.FIXED_WIRE_BYTES + 14) {
                    break; // not even the smallest IPv4 update fits any more
                }
            }
        }
        List<MemberUpdate> updates = new ArrayList<>(taken.size());
        for (Entry entry : taken) {
            queue.remove(entry);
            entry.transmits++;
            if (entry.update.member().equals(counted)) {
                countedTransmits = entry.transmits;
            }
            if (entry.transmits < limit) {
                queue.add(entry);
            } else {
                byMember.remove(entry.update.member());
            }
            updates.add(entry.update);
        }
        return updates;
    }

    boolean isEmpty() {
        return queue.isEmpty();
    }

    int size() {
        return queue.size();
    }

    /** How many times the latest update about the counted member has been sent (0 if none was queued). */
    int countedTransmits() {
        return countedTransmits;
    }

    /** Forgets a member's news, when the member is reaped. */
    void forget(InetSocketAddress member) {
        Entry old = byMember.remove(member);
        if (old != null) {
            queue.remove(old);
        }
    }
}
