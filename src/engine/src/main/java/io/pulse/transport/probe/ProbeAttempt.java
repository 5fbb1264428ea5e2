package io.pulse.transport.probe;

import io.netty.util.concurrent.ScheduledFuture;
import io.pulse.core.ProbeResult;
import java.util.concurrent.TimeUnit;

/**
 * What every HTTP and TCP probe attempt shares: it is counted in flight from its start, times out
 * on the loop, ends exactly once (a result, or abandoned when its target is removed), and then
 * lets go of what it holds. Subclasses say what they probe and what they hold. Loop-confined.
 */
abstract class ProbeAttempt {
    final ProbeContext ctx;
    final long sequence;
    final long timeoutNanos;

    private ScheduledFuture<?> timer;
    private boolean done;

    ProbeAttempt(ProbeContext ctx, long sequence, long timeoutNanos) {
        this.ctx = ctx;
        this.sequence = sequence;
        this.timeoutNanos = timeoutNanos;
    }

    /** The probed endpoint, at the start of every failure's reason. */
    abstract String subject();

    /** Tells the target this attempt ended. */
    abstract void finished(boolean successful);

    /** Closes (or gives back) what the attempt holds; called once, when it ends. */
    abstract void release();

    /** Counts the attempt in flight and arms its timeout: the first thing a start does. */
    final void startTimer() {
        ctx.tally.probesInFlight++;
        timer = ctx.loop.schedule(this::timedOut, timeoutNanos, TimeUnit.NANOSECONDS);
    }

    /** True once the attempt has a result or was abandoned: whatever happens then is ignored. */
    final boolean done() {
        return done;
    }

    private void timedOut() {
        timer = null;
        if (!done) {
            ctx.tally.timeouts++;
            fail("timeout after " + ProbeContext.millis(timeoutNanos) + " ms");
        }
    }

    final void fail(String why) {
        complete(ProbeResult.failure(sequence, subject() + ": " + why), false);
    }

    final void complete(ProbeResult result, boolean successful) {
        if (done) {
            return;
        }
        end();
        if (successful) {
            ctx.tally.succeeded++;
        } else {
            ctx.tally.failed++;
        }
        finished(successful);
        ctx.results.accept(result);
    }

    /** The target was removed: no result, nothing left open. */
    final void abandon() {
        if (!done) {
            end();
        }
    }

    private void end() {
        done = true;
        ctx.tally.probesInFlight--;
        if (timer != null) {
            timer.cancel(false);
            timer = null;
        }
        release();
    }
}
