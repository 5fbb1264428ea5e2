package io.pulse.core;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** The heap against a sorted list: deadline order, scheduling order on ties, cancelled timers never fire. */
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
}
