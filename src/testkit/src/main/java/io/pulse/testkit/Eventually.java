package io.pulse.testkit;

import java.time.Duration;
import java.util.function.Predicate;
import java.util.function.Supplier;

/**
 * Polls a value until it matches, with a deadline: for state that no listener announces (counters, sockets).
 *
 * <pre>{@code
 * NodeStatus alive = Eventually.await("node alive", () -> engine.status(id), s -> s.healthy(), Duration.ofSeconds(2));
 * }</pre>
 */
public final class Eventually {
    private static final long POLL_MILLIS = 10;

    private Eventually() {}

    public static <T> T await(String what, Supplier<T> value, Predicate<T> match, Duration limit)
            throws InterruptedException {
        long deadline = System.nanoTime() + limit.toNanos();
        T last = value.get();
        while (!match.test(last)) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError(what + " not reached within " + limit + "; last seen " + last);
            }
            Thread.sleep(POLL_MILLIS);
            last = value.get();
        }
        return last;
    }
}
