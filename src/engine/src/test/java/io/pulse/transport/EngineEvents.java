package io.pulse.transport;

import io.pulse.core.NodeFailure;
import io.pulse.core.Transition;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/** Records an engine's events, and waits on them with a deadline (real sockets, real time). */
final class EngineEvents {
    final List<Transition> changes = new CopyOnWriteArrayList<>();
    final List<NodeFailure> failures = new CopyOnWriteArrayList<>();

    EngineEvents(PulseEngine engine) {
        engine.onStatusChange(change -> {
            changes.add(change);
            synchronized (this) {
                notifyAll();
            }
        });
        engine.onFailure(failure -> {
            failures.add(failure);
            synchronized (this) {
                notifyAll();
            }
        });
    }

    /** Waits until a status change matches, and returns it. */
    Transition awaitChange(Predicate<Transition> match, Duration limit) throws InterruptedException {
        long deadline = System.nanoTime() + limit.toNanos();
        synchronized (this) {
            while (true) {
                for (Transition change : changes) {
                    if (match.test(change)) {
                        return change;
                    }
                }
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    throw new AssertionError("no matching status change within " + limit + "; saw " + changes);
                }
                TimeUnit.NANOSECONDS.timedWait(this, left);
            }
        }
    }

    /**
     * Waits until a failure matches, and returns it. A DEAD status change is announced just before
     * its failure, so a test that saw the change must still wait for the failure.
     */
    NodeFailure awaitFailure(Predicate<NodeFailure> match, Duration limit) throws InterruptedException {
        long deadline = System.nanoTime() + limit.toNanos();
        synchronized (this) {
            while (true) {
                for (NodeFailure failure : failures) {
                    if (match.test(failure)) {
                        return failure;
                    }
                }
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    throw new AssertionError("no matching failure within " + limit + "; saw " + failures);
                }
                TimeUnit.NANOSECONDS.timedWait(this, left);
            }
        }
    }

    long count(Predicate<Transition> match) {
        return changes.stream().filter(match).count();
    }
}
