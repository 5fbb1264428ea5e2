package io.pulse.core;

import java.util.PriorityQueue;

/**
 * The core's timers: deadlines on the monotonic clock, fired in order by {@link #fireDue}.
 * Cancelling marks a timer; it is dropped when it reaches the head. Not thread-safe.
 */
final class TimerQueue {

    /** A scheduled action; {@link #cancel()} before it fires and it never will. */
    static final class Timer implements Comparable<Timer> {
        final long deadlineNanos;
        private final long order;
        private final Runnable action;
        private boolean cancelled;

        private Timer(long deadlineNanos, long order, Runnable action) {
            this.deadlineNanos = deadlineNanos;
            this.order = order;
            this.action = action;
        }

        void cancel() {
            cancelled = true;
        }

        @Override
        public int compareTo(Timer other) {
            int byDeadline = Long.compare(deadlineNanos, other.deadlineNanos);
            return byDeadline != 0 ? byDeadline : Long.compare(order, other.order);
        }
    }

    private final PriorityQueue<Timer> queue = new PriorityQueue<>();
    private long scheduled;

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
            if (!head.cancelled) {
                head.action.run();
            }
        }
    }

    /** The earliest live deadline, or {@link Long#MAX_VALUE} when nothing is scheduled. */
    long nextDeadlineNanos() {
        Timer head;
        while ((head = queue.peek()) != null && head.cancelled) {
            queue.poll();
        }
        return head == null ? Long.MAX_VALUE : head.deadlineNanos;
    }

    static void cancel(Timer timer) {
        if (timer != null) {
            timer.cancel();
        }
    }
}
