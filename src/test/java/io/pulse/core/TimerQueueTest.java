package io.pulse.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * The heap against a sorted list: deadline order, scheduling order on ties, cancelled timers never
 * fire, through growth, purges and shrinking.
 */
class TimerQueueTest {
    private record Scheduled(long deadline, int order, TimerQueue.Timer timer) {
    }

    @Test
    void firesLiveTimersByDeadlineThenBySchedulingOrderThroughChurnAndPurges() {
        SplittableRandom random = new SplittableRandom(3);
        TimerQueue queue = new TimerQueue();
        List<Scheduled> all = new ArrayList<>();
        List<Integer> fired = new ArrayList<>();
        for (int i = 0; i < 5_000; i++) {
            int order = i;
            long deadline = random.nextInt(500); // many ties
            all.add(new Scheduled(deadline, order, queue.schedule(deadline, () -> fired.add(order))));
            if (random.nextInt(3) == 0) { // a third cancelled, some of them twice: purges run on the way
                Scheduled victim = all.get(random.nextInt(all.size()));
                victim.timer().cancel();
                victim.timer().cancel();
            }
        }
        List<Integer> expected = all.stream()
                .filter(s -> !s.timer().isCancelled())
                .sorted(Comparator.comparingLong(Scheduled::deadline).thenComparingInt(Scheduled::order))
                .map(Scheduled::order).toList();

        assertEquals(expected.isEmpty() ? Long.MAX_VALUE : all.get(expected.get(0)).deadline(),
                queue.nextDeadlineNanos());
        queue.fireDue(250);
        queue.fireDue(1_000);
        assertEquals(expected, fired);
        assertEquals(Long.MAX_VALUE, queue.nextDeadlineNanos());
        assertEquals(0, queue.size());
    }

    @Test
    void aTimerScheduledByAFiringOneForNoLaterFiresInTheSameCall() {
        TimerQueue queue = new TimerQueue();
        List<String> fired = new ArrayList<>();
        queue.schedule(10, () -> {
            fired.add("first");
            queue.schedule(10, () -> fired.add("scheduled by first"));
            queue.schedule(11, () -> fired.add("later"));
        });
        queue.fireDue(10);
        assertEquals(List.of("first", "scheduled by first"), fired);
        assertEquals(11, queue.nextDeadlineNanos());
    }

    @Test
    void keepsItsOrderWhileTimersComeAndGoAndShrinksBackAfterABurst() {
        SplittableRandom random = new SplittableRandom(11);
        TimerQueue queue = new TimerQueue();
        int initialCapacity = queue.capacity();
        List<Scheduled> live = new ArrayList<>();
        List<Integer> fired = new ArrayList<>();
        List<Integer> expected = new ArrayList<>();
        long now = 0;
        int order = 0;
        // Three bursts: grow to thousands of timers, then drain while scheduling and cancelling a few.
        for (int burst = 0; burst < 3; burst++) {
            for (int i = 0; i < 4_000; i++) {
                int id = order++;
                long deadline = now + 1 + random.nextInt(1_000);
                live.add(new Scheduled(deadline, id, queue.schedule(deadline, () -> fired.add(id))));
            }
            assertTrue(queue.capacity() >= 4_000, "grew to " + queue.capacity());
            for (int step = 0; step < 2_000; step++) {
                now += 1;
                if (random.nextInt(4) == 0) {
                    int id = order++;
                    long deadline = now + random.nextInt(20);
                    live.add(new Scheduled(deadline, id, queue.schedule(deadline, () -> fired.add(id))));
                }
                if (!live.isEmpty() && random.nextInt(3) == 0) {
                    live.get(random.nextInt(live.size())).timer().cancel();
                }
                long due = now;
                live.stream()
                        .filter(s -> s.deadline() <= due && !s.timer().isCancelled())
                        .sorted(Comparator.comparingLong(Scheduled::deadline).thenComparingInt(Scheduled::order))
                        .forEach(s -> expected.add(s.order()));
                live.removeIf(s -> s.deadline() <= due || s.timer().isCancelled());
                queue.fireDue(now);
                assertEquals(expected, fired, "at " + now);
            }
        }
        queue.fireDue(Long.MAX_VALUE - 1);
        assertEquals(Long.MAX_VALUE, queue.nextDeadlineNanos());
        assertEquals(initialCapacity, queue.capacity(), "shrank back once empty");
    }
}
