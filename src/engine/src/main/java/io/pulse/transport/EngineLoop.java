package io.pulse.transport;

import io.netty.channel.EventLoop;
import io.netty.channel.EventLoopGroup;
import io.netty.util.concurrent.ScheduledFuture;
import io.pulse.core.Clock;
import io.pulse.core.DetectorConfig;
import io.pulse.core.ProbeResult;
import io.pulse.core.PulseCore;
import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

/**
 * The engine's event loop (its own, unless it was given a group) and the hand-off between the
 * engine's callers and that one loop, which its {@link PulseCore} is confined to: a call from any
 * thread runs on the loop and is waited for, its exceptions come back as they are; after every
 * call into the core (and every batch of datagrams read) the datagrams it wrote are flushed and
 * its next timer is scheduled, rounded up to the tick.
 *
 * <pre>{@code
 * EngineLoop handOff = new EngineLoop(core, clock, EngineLoop.tickNanos(config), null);
 * handOff.attach(sockets);
 * List<NodeStatus> all = handOff.call(core::statusAll);
 * }</pre>
 */
final class EngineLoop {
    /**
     * The coarsest tick: timers are coalesced to it, so thousands of targets cost at most 200
     * wake-ups a second and their PINGs leave in batches (one {@code sendmmsg} each). Coarser
     * ticks wake both sides less often, in fewer and larger bursts; past 5 ms they saved no more
     * CPU, and the bursts began to queue at the responders, which shows in the measured RTTs.
     */
    static final long MAX_TICK_NANOS = TimeUnit.MILLISECONDS.toNanos(5);

    static final long MIN_TICK_NANOS = TimeUnit.MILLISECONDS.toNanos(1);

    private final EventLoopGroup group;
    private final boolean ownsGroup;
    private final PulseCore core;
    private final Clock clock;
    /** Timers fire at most this late: a tenth of the shortest probe timeout, within 1..5 ms. */
    private final long tickNanos;

    /** Null until {@link #attach}. */
    private EngineSockets sockets;

    private EventLoop loop;
    private ScheduledFuture<?> tickTimer;
    private long tickDeadlineNanos = Long.MAX_VALUE;

    /** @param group null: one of its own, with one thread, shut down by {@link #shutdown()} */
    EngineLoop(PulseCore core, Clock clock, long tickNanos, EventLoopGroup group) {
        this.ownsGroup = group == null;
        this.group = ownsGroup ? Transports.newGroup(1, "pulse-udp") : group;
        this.core = core;
        this.clock = clock;
        this.tickNanos = tickNanos;
    }

    static long tickNanos(DetectorConfig config) {
        return Math.max(
                MIN_TICK_NANOS,
                Math.min(MAX_TICK_NANOS, config.probeTimeoutMin().toNanos() / 10));
    }

    /** From now on calls run on the loop of {@code bound}, and flush its sockets. */
    void attach(EngineSockets bound) {
        this.sockets = bound;
        this.loop = bound.loop();
    }

    EventLoopGroup group() {
        return group;
    }

    EventLoop loop() {
        return loop;
    }

    /** Stops the event loop group if this made it; waits at most a second for its tasks. */
    void shutdown() {
        if (ownsGroup) {
            group.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
        }
    }

    /**
     * Asks {@code condition} on the loop every 5 ms until it holds; false if {@code timeout} passed
     * first or the calling thread was interrupted (its flag is set again).
     */
    boolean await(Callable<Boolean> condition, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!call(condition)) {
            if (System.nanoTime() - deadline >= 0) {
                return false;
            }
            try {
                Thread.sleep(5);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return false;
            }
        }
        return true;
    }

    /** {@link #call} for a task with no result. */
    void run(Runnable task) {
        call(() -> {
            task.run();
            return null;
        });
    }

    /** Runs {@code task} on the event loop and waits for it; the task's own exceptions come back as they are. */
    <T> T call(Callable<T> task) {
        if (loop == null) {
            throw new IllegalStateException("engine is not started");
        }
        if (loop.inEventLoop()) {
            return runAndSchedule(task);
        }
        try {
            return loop.submit(() -> runAndSchedule(task)).get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for the event loop", e);
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            if (cause instanceof RuntimeException runtime) {
                throw runtime;
            }
            if (cause instanceof Error error) {
                throw error;
            }
            throw new IllegalStateException(cause);
        }
    }

    private <T> T runAndSchedule(Callable<T> task) {
        try {
            return task.call();
        } catch (RuntimeException e) {
            throw e;
        } catch (Exception e) {
            throw new IllegalStateException(e);
        } finally {
            afterCoreCall();
        }
    }

    /** On the loop, after the core ran: flushes what it wrote and schedules its next timer. */
    void afterCoreCall() {
        if (sockets == null) {
            return;
        }
        sockets.flush();
        long next = core.nextDeadlineNanos();
        if (next == Long.MAX_VALUE || !sockets.isOpen()) {
            return;
        }
        // Round up to the tick: a due timer waits at most that long, ticks stay bounded.
        long deadline = (next / tickNanos + 1) * tickNanos;
        if (tickTimer != null && !tickTimer.isDone() && tickDeadlineNanos <= deadline) {
            return;
        }
        if (tickTimer != null) {
            tickTimer.cancel(false);
        }
        tickDeadlineNanos = deadline;
        long delay = Math.max(0, deadline - clock.monotonicNanos());
        tickTimer = loop.schedule(this::tick, delay, TimeUnit.NANOSECONDS);
    }

    private void tick() {
        tickDeadlineNanos = Long.MAX_VALUE;
        try {
            core.tick();
        } finally {
            afterCoreCall(); // whatever happened, the next tick is scheduled
        }
    }

    /** A result of an HTTP or TCP probe, from any thread: handed to the core on the loop. */
    void onProbeResult(ProbeResult result) {
        if (!loop.inEventLoop()) {
            loop.execute(() -> onProbeResult(result));
            return;
        }
        try {
            core.onProbeResult(result);
        } finally {
            afterCoreCall();
        }
    }

    /** On the loop, when the engine closes: no tick after this. */
    void stopTicking() {
        if (tickTimer != null) {
            tickTimer.cancel(false);
        }
    }
}
