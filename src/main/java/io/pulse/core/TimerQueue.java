package io.pulse.core;

import java.util.Arrays;

/**
 * The core's timers: deadlines on the monotonic clock, fired in order (by deadline, then by
 * scheduling order) by {@link #fireDue}. Cancelling marks a timer; marked timers are dropped at
 * the head, or all at once when they are more than half the queue, so that churn cannot fill the
 * heap with dead entries. Not thread-safe.
 *
 * <p>A binary heap over primitive arrays: sifting compares deadlines in a {@code long[]}, not
 * through a reference to each timer, because at 10,000 targets the timers are spread over the
 * heap memory and every dereference is a likely cache miss (two of them per level of a
 * {@code PriorityQueue<Timer>}, about 14 levels deep).
 */
final class TimerQueue {
    /** Below this size, cancelled timers are left for the head to drop. */
    private static final int PURGE_THRESHOLD = 64;
    private static final int INITIAL_CAPACITY = 64;

    /** A scheduled action; {@link #cancel()} before it fires and it never will. */
    final class Timer {
        final long deadlineNanos;
        private final Runnable action;
        private boolean cancelled;
        private boolean done;

        private Timer(long deadlineNanos, Runnable action) {
            this.deadlineNanos = deadlineNanos;
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
                    purgeCancelled();
                }
            }
        }
    }

    /** Entry {@code i} of the heap: its deadline, its scheduling order (the tie-break) and its timer. */
    private long[] deadlines = new long[INITIAL_CAPACITY];
    private long[] orders = new long[INITIAL_CAPACITY];
    private Timer[] timers = new Timer[INITIAL_CAPACITY];
    private int size;
    private long scheduled;
    private int cancelledInQueue;

    Timer schedule(long deadlineNanos, Runnable action) {
        Timer timer = new Timer(deadlineNanos, action);
        if (size == timers.length) {
            int capacity = size * 2;
            deadlines = Arrays.copyOf(deadlines, capacity);
            orders = Arrays.copyOf(orders, capacity);
            timers = Arrays.copyOf(timers, capacity);
        }
        siftUp(size++, deadlineNanos, scheduled++, timer);
        return timer;
    }

    /** Runs every timer due at {@code nowNanos}, including ones that those schedule for no later. */
    void fireDue(long nowNanos) {
        while (size > 0 && deadlines[0] <= nowNanos) {
            Timer head = pollHead();
            if (head.cancelled) {
                cancelledInQueue--;
            } else {
                head.action.run();
            }
        }
    }

    /** The earliest live deadline, or {@link Long#MAX_VALUE} when nothing is scheduled. */
    long nextDeadlineNanos() {
        while (size > 0 && timers[0].cancelled) {
            pollHead();
            cancelledInQueue--;
        }
        return size == 0 ? Long.MAX_VALUE : deadlines[0];
    }

    /** Timers in the heap, cancelled ones not yet dropped included. */
    int size() {
        return size;
    }

    static void cancel(Timer timer) {
        if (timer != null) {
            timer.cancel();
        }
    }

    /** Removes the head, marks it done and returns it. */
    private Timer pollHead() {
        Timer head = timers[0];
        head.done = true;
        int last = --size;
        Timer moved = timers[last];
        timers[last] = null;
        if (last > 0) {
            siftDown(0, deadlines[last], orders[last], moved);
        }
        return head;
    }

    private void purgeCancelled() {
        int kept = 0;
        for (int i = 0; i < size; i++) {
            Timer timer = timers[i];
            if (timer.cancelled) {
                timer.done = true;
            } else {
                deadlines[kept] = deadlines[i];
                orders[kept] = orders[i];
                timers[kept] = timer;
                kept++;
            }
        }
        Arrays.fill(timers, kept, size, null);
        size = kept;
        cancelledInQueue = 0;
        for (int i = (size >>> 1) - 1; i >= 0; i--) {
            siftDown(i, deadlines[i], orders[i], timers[i]);
        }
    }

    private static boolean before(long deadline, long order, long otherDeadline, long otherOrder) {
        return deadline != otherDeadline ? deadline < otherDeadline : order < otherOrder;
    }

    private void siftUp(int index, long deadline, long order, Timer timer) {
        while (index > 0) {
            int parent = (index - 1) >>> 1;
            if (!before(deadline, order, deadlines[parent], orders[parent])) {
                break;
            }
            set(index, deadlines[parent], orders[parent], timers[parent]);
            index = parent;
        }
        set(index, deadline, order, timer);
    }

    private void siftDown(int index, long deadline, long order, Timer timer) {
        int half = size >>> 1;
        while (index < half) {
            int child = 2 * index + 1;
            int right = child + 1;
            if (right < size && before(deadlines[right], orders[right], deadlines[child], orders[child])) {
                child = right;
            }
            if (!before(deadlines[child], orders[child], deadline, order)) {
                break;
            }
            set(index, deadlines[child], orders[child], timers[child]);
            index = child;
        }
        set(index, deadline, order, timer);
    }

    private void set(int index, long deadline, long order, Timer timer) {
        deadlines[index] = deadline;
        orders[index] = order;
        timers[index] = timer;
    }
}
