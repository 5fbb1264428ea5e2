package io.pulse.transport;

import io.pulse.core.Clock;
import io.pulse.core.WarningLimiter;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;

/**
 * The listeners of one kind of engine event: registration by {@link PulseEngine.Subscription},
 * delivery on the event loop, and a listener's exception counted and logged at most once per
 * {@link WarningLimiter#DEFAULT_INTERVAL_NANOS} (one limiter per kind, so that an RTT listener
 * failing on every ACK hides no other kind's failure).
 *
 * <pre>{@code
 * Listeners<NodeFailure> failures = new Listeners<>(LOG, clock, listenerErrors);
 * PulseEngine.Subscription s = failures.subscribe(f -> page(f));
 * failures.deliver(failure); // on the loop
 * }</pre>
 */
final class Listeners<T> {
    private final List<Consumer<T>> registered = new CopyOnWriteArrayList<>();
    private final WarningLimiter warnings = new WarningLimiter(WarningLimiter.DEFAULT_INTERVAL_NANOS);
    private final System.Logger log;
    private final Clock clock;
    /** Shared by every kind: the engine reports one total. */
    private final AtomicLong errors;

    Listeners(System.Logger log, Clock clock, AtomicLong errors) {
        this.log = log;
        this.clock = clock;
        this.errors = errors;
    }

    PulseEngine.Subscription subscribe(Consumer<T> listener) {
        Objects.requireNonNull(listener, "listener");
        // A wrapper of its own, so that closing removes this registration even if the same
        // listener was added twice.
        Consumer<T> registration = listener::accept;
        registered.add(registration);
        return () -> registered.remove(registration);
    }

    /** Calls every listener with {@code event}; one that throws costs a count and now and then a log line. */
    void deliver(T event) {
        for (Consumer<T> listener : registered) {
            try {
                listener.accept(event);
            } catch (VirtualMachineError fatal) {
                throw fatal;
            } catch (Throwable e) {
                // One listener's bug costs a log line now and then, never the engine or the other listeners.
                errors.incrementAndGet();
                long held = warnings.tryAcquire(clock.monotonicNanos());
                if (held >= 0) {
                    log.log(
                            System.Logger.Level.WARNING,
                            "listener failed on " + event
                                    + (held > 0 ? " (and " + held + " more times since the last warning)" : "")
                                    + "; such failures are logged at most every "
                                    + TimeUnit.NANOSECONDS.toSeconds(warnings.intervalNanos())
                                    + " s, and counted in listenerErrors()",
                            e);
                }
            }
        }
    }
}
