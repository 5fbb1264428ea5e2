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
    private record Scheduled(long deadline, int order, TimerQueue.Timer timer) {}

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
            for (int k = 0; k < 2; k++) { // up to two cancels per timer, some of them twice: purges run
                if (random.nextInt(4) != 0) {
                    Scheduled victim = all.get(random.nextInt(all.size()));
                    victim.timer().cancel();
                    victim.timer().cancel();
                }
            }
        }
        assertTrue(queue.compactions() > 0, "no purge ran");
        List<Integer> expected = all.stream()
                .filter(s -> !s.timer().isCancelled())
                .sorted(Comparator.comparingLong(Scheduled::deadline).thenComparingInt(Scheduled::order))
                .map(Scheduled::order)
                .toList();

        assertEquals(
                expected.isEmpty() ? Long.MAX_VALUE : all.get(expected.get(0)).deadline(), queue.nextDeadlineNanos());
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
        assertTrue(queue.compactions() >= 3, "compactions: " + queue.compactions());
    }

    @Test
    void aFiringTimerThatCancelsMostOthersPurgesTheQueueUnderItAndTheRestStillFireInOrder() {
        TimerQueue queue = new TimerQueue();
        List<Integer> fired = new ArrayList<>();
        List<TimerQueue.Timer> timers = new ArrayList<>();
        queue.schedule(0, () -> {
            fired.add(-1);
            for (int i = 0; i < 150; i++) {
                if (i % 5 != 0) {
                    timers.get(i).cancel(); // 120 of 150: a purge, from inside fireDue
                }
            }
            queue.schedule(3, () -> fired.add(-2)); // scheduled after the purge, fires among the rest
        });
        for (int i = 0; i < 150; i++) {
            int id = i;
            timers.add(queue.schedule(1 + (i * 7) % 10, () -> fired.add(id)));
        }

        queue.fireDue(0);
        assertEquals(1, queue.compactions(), "the cancels inside the action purged the queue");
        queue.fireDue(100);

        List<Integer> expected = new ArrayList<>(List.of(-1));
        List<Integer> kept = new ArrayList<>();
        for (int i = 0; i < 150; i += 5) {
            kept.add(i);
        }
        kept.add(-2);
        kept.sort(Comparator.comparingLong((Integer id) -> id == -2 ? 3 : 1 + (id * 7L) % 10)
                .thenComparingInt(id -> id == -2 ? Integer.MAX_VALUE : id));
        expected.addAll(kept);
        assertEquals(expected, fired);
        assertEquals(0, queue.size());
    }
}
