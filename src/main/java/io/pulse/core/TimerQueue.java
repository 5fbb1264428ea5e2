package io.pulse.core;

import java.util.PriorityQueue;

/**
 * The core's timers: deadlines on the monotonic clock, fired in order by {@link #fireDue}.
 * Cancelling marks a timer; marked timers are dropped at the head, or all at once when they are
 * more than half the queue, so that churn cannot fill the heap with dead entries. Not thread-safe.
 */
final class TimerQueue {
    /** Below this size, cancelled timers are left for the head to drop. */
    private static final int PURGE_THRESHOLD = 64;

    /** A scheduled action; {@link #cancel()} before it fires and it never will. */
    final class Timer implements Comparable<Timer> {
        final long deadlineNanos;
        private final long order;
        private final Runnable action;
        private boolean cancelled;
        private boolean done;

        private Timer(long deadlineNanos, long order, Runnable action) {
            this.deadlineNanos = deadlineNanos;
            this.order = order;
            this.action = action;
        }

        void cancel() {
            if (!cancelled && !done) {
                cancelled = true;
                cancelledInQueue++;
                if (cancelledInQueue > PURGE_THRESHOLD && cancelledInQueue > queue.size() / 2) {
                    queue.removeIf(timer -> timer.cancelled);
                    cancelledInQueue = 0;
                }
            }
        }

        @Override
        public int compareTo(Timer other) {
            int byDeadline = Long.compare(deadlineNanos, other.deadlineNanos);
            return byDeadline != 0 ? byDeadline : Long.compare(order, other.order);
        }
    }

    private final PriorityQueue<Timer> queue = new PriorityQueue<>();
    private long scheduled;
    private int cancelledInQueue;

    Timer schedule(long deadlineNanos, Runnable action) {
        Timer timer = new Timer(deadlineNanos, scheduled++, action);
        queue.add(timer);
        return timer;
    }

    /** Runs every timer due at {@code nowNanos}, including ones that those schedule for no later. */
    void fireDue(long nowNanos) {
        Timer head;
        while ((head = queue.peek()) != null && head.deadlineNanos <= nowNanos) {
            queue.poll();
            head.done = true;
            if (head.cancelled) {
                cancelledInQueue--;
            } else {
                head.action.run();
            }
        }
    }

    /** The earliest live deadline, or {@link Long#MAX_VALUE} when nothing is scheduled. */
    long nextDeadlineNanos() {
        Timer head;
        while ((head = queue.peek()) != null && head.cancelled) {
            queue.poll();
            head.done = true;
            cancelledInQueue--;
        }
        return head == null ? Long.MAX_VALUE : head.deadlineNanos;
    }

    /** Timers in the heap, cancelled ones not yet dropped included. */
    int size() {
        return queue.size();
    }

    static void cancel(Timer timer) {
        if (timer != null) {
            timer.cancel();
        }
    }
}
