package io.pulse.core;

import java.util.List;

/**
 * When this member proposes a change of the configuration it holds, as one of its coordinators: it
 * batches the news for {@code cluster.batch.window}, waits its turn (one consensus timeout per rank
 * between it and the coordinator that should propose), proposes through {@link Agreement}, and
 * proposes again with a doubling backoff while nothing is decided. {@link Coordination} says what
 * the news adds up to; this class says when.
 */
final class Proposer {
    private final ClusterConfig config;
    private final Clock clock;
    private final TimerQueue timers;
    private Configuration current;
    private int selfIndex = -1;
    private Agreement agreement;
    private Coordination coordination;
    private TimerQueue.Timer timer;
    private long timerAtNanos;
    private int attempt;
    private long undecidedSinceNanos = -1;
    private long proposals;
    private boolean stopped;

    Proposer(ClusterConfig config, Clock clock, TimerQueue timers) {
        this.config = config;
        this.clock = clock;
        this.timers = timers;
    }

    /** A new configuration, decided by {@code agreement}'s predecessor: the old news is void. */
    void reset(Configuration next, int selfIndex, Agreement agreement) {
        TimerQueue.cancel(timer);
        timer = null;
        attempt = 0;
        undecidedSinceNanos = -1;
        this.current = next;
        this.selfIndex = selfIndex;
        this.agreement = agreement;
        this.coordination = selfIndex >= 0 ? new Coordination(next, config, selfIndex) : null;
    }

    /** A member of the configuration is FLAPPING: look again after a batch window, and until it settles. */
    void reviewFlapping() {
        if (coordination != null && current.nextSettleMillis(config.holdDown().toMillis()) != Long.MAX_VALUE) {
            schedule(clock.monotonicNanos() + config.batchWindow().toNanos());
        }
    }

    /** Alert entries from member {@code from} (an index in the configuration), this one included. */
    void onAlert(int from, List<Message.AlertEntry> entries, long maxIncarnation) {
        if (coordination == null || agreement.isDecided()) {
            return;
        }
        if (coordination.onAlert(from, entries, clock.monotonicNanos(), maxIncarnation) && !agreement.proposing()) {
            schedule(Math.max(clock.monotonicNanos(), coordination.batchEndsNanos()));
        }
        // While a ballot of this member is under way, news waits for it: if it decides, the news is
        // told again in the next configuration; if not, its backoff timer proposes again with the news.
    }

    /** Member {@code index} answered an agreement message while reported down: it is not. */
    void forget(int index) {
        if (coordination != null) {
            coordination.forget(index);
        }
    }

    /** Some coordinator is trying to get a change decided. */
    void markUndecided() {
        if (undecidedSinceNanos < 0) {
            undecidedSinceNanos = clock.monotonicNanos();
        }
    }

    void stop() {
        stopped = true;
        TimerQueue.cancel(timer);
    }

    private void schedule(long atNanos) {
        if (timer != null && !timer.isCancelled() && timerAtNanos <= atNanos) {
            return;
        }
        TimerQueue.cancel(timer);
        timerAtNanos = atNanos;
        timer = timers.schedule(atNanos, this::coordinate);
    }

    /** Proposes the change the news adds up to, if this member is the one to coordinate it now. */
    private void coordinate() {
        timer = null;
        if (stopped || coordination == null || agreement.isDecided()) {
            return;
        }
        long now = clock.monotonicNanos();
        long nowMillis = clock.epochNanos() / 1_000_000;
        Proposal value = coordination.proposal(now, nowMillis);
        if (value.isEmpty()) {
            // Nothing to decide yet: look again when a member in flux times out or a flapping one settles.
            long expiry = coordination.nextExpiryNanos(now);
            long settle = current.nextSettleMillis(config.holdDown().toMillis());
            long settleNanos =
                    settle == Long.MAX_VALUE ? Long.MAX_VALUE : now + Math.max(0, settle - nowMillis) * 1_000_000;
            long next = Math.min(expiry, settleNanos);
            if (next != Long.MAX_VALUE) {
                schedule(Math.max(now + config.alertRetryInterval().toNanos(), next));
            }
            return;
        }
        int turn = coordination.turn(value);
        long timeout = config.consensusTimeout().toNanos();
        if (turn > 0 && attempt == 0) {
            // Another member should coordinate: give it one consensus timeout per rank before this one tries.
            attempt = 1;
            schedule(now + turn * timeout);
            return;
        }
        proposals++;
        markUndecided();
        agreement.propose(value, current.rankOf(selfIndex));
        attempt++;
        long backoff = timeout << Math.min(3, Math.max(0, attempt - 1));
        schedule(now + backoff);
    }

    long proposals() {
        return proposals;
    }

    /** How long a change has been undecided, 0 if none is under way. */
    long undecidedMillis() {
        return undecidedSinceNanos < 0 ? 0 : (clock.monotonicNanos() - undecidedSinceNanos) / 1_000_000;
    }

    /** A change has been undecided for three consensus timeouts: this member is likely in a minority. */
    boolean stuck() {
        return undecidedSinceNanos >= 0
                && clock.monotonicNanos() - undecidedSinceNanos
                        > 3 * config.consensusTimeout().toNanos();
    }
}
