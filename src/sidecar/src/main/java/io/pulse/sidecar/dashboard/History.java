package io.pulse.sidecar.dashboard;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Set;
import java.util.function.Predicate;

/**
 * The timeline's events in the order they were read, bounded by {@link HistoryLimits}: an event
 * older than the window is not taken, the oldest are dropped past the window or past
 * {@code maxEvents}, and an event id seen already (a topic read again) is not taken twice. Not
 * thread-safe: {@link DashboardModel} guards it.
 */
final class History {
    private final HistoryLimits limits;
    private final ArrayDeque<Entry> entries = new ArrayDeque<>();
    private final Set<String> eventIds = new HashSet<>();

    History(HistoryLimits limits) {
        this.limits = limits;
    }

    /** Whether {@code entry} is new and within the window at {@code nowMillis}; if so it is kept. */
    boolean add(Entry entry, long nowMillis) {
        prune(nowMillis);
        if (entry.atMillis() < cutoff(nowMillis)) {
            return false;
        }
        if (entry.eventId() != null && !eventIds.add(entry.eventId())) {
            return false;
        }
        entries.addLast(entry);
        while (entries.size() > limits.maxEvents()) {
            forget(entries.removeFirst());
        }
        return true;
    }

    /** Drops the events that left the window (those read in time order; a late one leaves with its successors). */
    void prune(long nowMillis) {
        long cutoff = cutoff(nowMillis);
        while (!entries.isEmpty() && entries.peekFirst().atMillis() < cutoff) {
            forget(entries.removeFirst());
        }
    }

    int size() {
        return entries.size();
    }

    /** The latest {@code max} events that match, oldest first. */
    List<Entry> latest(int max, Predicate<Entry> match) {
        List<Entry> found = new ArrayList<>();
        Iterator<Entry> newestFirst = entries.descendingIterator();
        while (newestFirst.hasNext() && found.size() < max) {
            Entry entry = newestFirst.next();
            if (match.test(entry)) {
                found.add(entry);
            }
        }
        java.util.Collections.reverse(found);
        return found;
    }

    Iterable<Entry> all() {
        return entries;
    }

    long cutoff(long nowMillis) {
        return nowMillis - limits.window().toMillis();
    }

    private void forget(Entry entry) {
        if (entry.eventId() != null) {
            eventIds.remove(entry.eventId());
        }
    }
}
