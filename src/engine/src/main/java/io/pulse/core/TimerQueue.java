package io.pulse.core;

import java.util.Arrays;

/**
 * The core's timers: deadlines on the monotonic clock, fired in order (by deadline, then by
 * scheduling order) by {@link #fireDue}. Cancelling marks a timer; marked timers are dropped at
 * the head, or all at once when they are more than half the queue, so that churn cannot fill the
 * heap with dead entries. Not thread-safe.
 *
 * <p>A 4-ary heap over primitive arrays: each entry is a deadline in a {@code long[]} and the
 * number of its timer's slot in an {@code int[]}; the {@link Timer} objects stay put in a slot
 * table and are read only to break a tie. At 10,000 targets the heap (a round timer per target
 * and a timeout per probe in flight) does not stay in the caches that the network stack shares
 * with it, so what a sift costs is the cache lines it touches: four children's deadlines are 32
 * adjacent bytes (one cache line, or two), and a 4-ary heap is half as deep as a binary one.
 * Moving ints rather than references also spares the garbage collector a card mark at every step
 * (the arrays are old, the timers young). Measured against the binary heap of timer references
 * before it: the timers' share of the monitor's CPU samples at 10,000 UDP targets went from about
 * 10 % to about 7 % (the JIT inlines them into the tick, so the split is approximate), and the
 * core alone ({@code CoreLoadMain}) from 1.86 to 1.60 us per PING (medians of 4). The arrays
 * shrink again when less than a quarter of them is in use, so an overload does not leave them at
 * its size.
 */
final class TimerQueue {
    /** Below this size, cancelled timers are left for the head to drop. */
    private static final int PURGE_THRESHOLD = 64;

    private static final int INITIAL_CAPACITY = 64;
    private static final int ARITY = 4;

    /** A scheduled action; {@link #cancel()} before it fires and it never will. */
    final class Timer {
        /** Scheduling order: the tie-break between equal deadlines (the heap holds the deadline). */
        private final long order;

        private final Runnable action;
        private boolean cancelled;
        private boolean done;

        private Timer(long order, Runnable action) {
            this.order = order;
            this.action = action;
        }

        boolean isCancelled() {
            return cancelled;
        }

        void cancel() {
            if (!cancelled && !done) {
                cancelled = true;
                cancelledInQueue++;
                if (cancelledInQueue > PURGE_THRESHOLD && cancelledInQueue > size / 2) {
                    compact();
                }
            }
        }
    }

    /** Heap entry {@code i}: its deadline, and the slot of its timer in {@link #bySlot}. */
    private long[] deadlines = new long[INITIAL_CAPACITY];

    private int[] slots = new int[INITIAL_CAPACITY];
    /** The timers, where they stay from scheduling to firing; free slots are null. */
    private Timer[] bySlot = new Timer[INITIAL_CAPACITY];
    /** A stack of the free slots below {@link #slotsUsed}. */
    private int[] freeSlots = new int[INITIAL_CAPACITY];

    private int freeCount;
    /** Slots at or above this were never handed out since the last compaction. */
    private int slotsUsed;

    private int size;
    private long scheduled;
    private int cancelledInQueue;
    private int compactions;

    Timer schedule(long deadlineNanos, Runnable action) {
        Timer timer = new Timer(scheduled++, action);
        if (size == deadlines.length) {
            grow();
        }
        int slot = freeCount > 0 ? freeSlots[--freeCount] : slotsUsed++;
        bySlot[slot] = timer;
        siftUp(size++, deadlineNanos, slot);
        return timer;
    }

    /** Runs every timer due at {@code nowNanos}, including ones that those schedule for no later. */
    void fireDue(long nowNanos) {
        while (size > 0 && deadlines[0] <= nowNanos) {
            Timer head = pollHead();
            if (!head.cancelled) {
                head.action.run();
            }
        }
    }

    /** The earliest live deadline, or {@link Long#MAX_VALUE} when nothing is scheduled. */
    long nextDeadlineNanos() {
        while (size > 0 && bySlot[slots[0]].cancelled) {
            pollHead();
        }
        return size == 0 ? Long.MAX_VALUE : deadlines[0];
    }

    /** Timers in the heap, cancelled ones not yet dropped included. */
    int size() {
        return size;
    }

    /** Entries the arrays have room for: it follows the size down as well as up. */
    int capacity() {
        return deadlines.length;
    }

    /** How many times the cancelled timers were dropped all at once (or the arrays shrunk): for tests. */
    int compactions() {
        return compactions;
    }

    static void cancel(Timer timer) {
        if (timer != null) {
            timer.cancel();
        }
    }

    /** Removes the head, marks it done and returns it. */
    private Timer pollHead() {
        int slot = slots[0];
        Timer head = bySlot[slot];
        if (head.cancelled) {
            cancelledInQueue--; // before a compaction below, which counts afresh
        }
        head.done = true;
        bySlot[slot] = null;
        freeSlots[freeCount++] = slot;
        int last = --size;
        if (last > 0) {
            siftDown(0, deadlines[last], slots[last]);
        }
        if (size < deadlines.length / 4 && deadlines.length > INITIAL_CAPACITY) {
            compact(); // after an overload, so that the arrays do not keep its size for good
        }
        return head;
    }

    /**
     * Drops the cancelled timers, gives the others slots 0 to n-1, fits the arrays to at most twice
     * what is left (at least {@value #INITIAL_CAPACITY}), and rebuilds the heap.
     */
    private void compact() {
        compactions++;
        Timer[] renumbered = new Timer[size];
        int kept = 0;
        for (int i = 0; i < size; i++) {
            Timer timer = bySlot[slots[i]];
            if (timer.cancelled) {
                timer.done = true;
            } else {
                set(kept, deadlines[i], kept);
                renumbered[kept] = timer;
                kept++;
            }
        }
        int capacity = Math.max(INITIAL_CAPACITY, Integer.highestOneBit(Math.max(1, kept)) * 2);
        size = kept;
        cancelledInQueue = 0;
        slotsUsed = kept;
        freeCount = 0;
        bySlot = Arrays.copyOf(renumbered, capacity);
        deadlines = Arrays.copyOf(deadlines, capacity);
        slots = Arrays.copyOf(slots, capacity);
        freeSlots = new int[capacity];
        for (int i = (size - 2) / ARITY; size > 1 && i >= 0; i--) {
            siftDown(i, deadlines[i], slots[i]);
        }
    }

    private void grow() {
        int capacity = deadlines.length * 2;
        deadlines = Arrays.copyOf(deadlines, capacity);
        slots = Arrays.copyOf(slots, capacity);
        bySlot = Arrays.copyOf(bySlot, capacity);
        freeSlots = Arrays.copyOf(freeSlots, capacity);
    }

    /** Whether the entry (deadline, slot) fires before (otherDeadline, otherSlot). */
    private boolean before(long deadline, int slot, long otherDeadline, int otherSlot) {
        return deadline != otherDeadline ? deadline < otherDeadline : bySlot[slot].order < bySlot[otherSlot].order;
    }

    private void siftUp(int index, long deadline, int slot) {
        while (index > 0) {
            int parent = (index - 1) / ARITY;
            if (!before(deadline, slot, deadlines[parent], slots[parent])) {
                break;
            }
            set(index, deadlines[parent], slots[parent]);
            index = parent;
        }
        set(index, deadline, slot);
    }

    private void siftDown(int index, long deadline, int slot) {
        while (true) {
            int first = ARITY * index + 1;
            if (first >= size) {
                break;
            }
            int best = first;
            int end = Math.min(first + ARITY, size);
            for (int child = first + 1; child < end; child++) {
                if (before(deadlines[child], slots[child], deadlines[best], slots[best])) {
                    best = child;
                }
            }
            if (!before(deadlines[best], slots[best], deadline, slot)) {
                break;
            }
            set(index, deadlines[best], slots[best]);
            index = best;
        }
        set(index, deadline, slot);
    }

    private void set(int index, long deadline, int slot) {
        deadlines[index] = deadline;
        slots[index] = slot;
    }
}
