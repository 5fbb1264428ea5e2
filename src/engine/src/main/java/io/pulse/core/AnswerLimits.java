package io.pulse.core;

import java.net.InetSocketAddress;
import java.util.HashMap;
import java.util.Iterator;
import java.util.Map;

/**
 * Token buckets on the answers a node gives to requests it did not ask for (an ACK to a PING, a
 * relayed PING to a PING_REQ): one per source address and one for all sources, so that no sender,
 * and no crowd of forged senders, makes this node send more than a bounded rate at anyone. Answers
 * only; the ACKs to this node's own probes are never limited, so a flood costs answers, not
 * detection. A member's (or a watched node's, or an authenticated sender's) answers draw on its own
 * bucket alone, never on the one for all sources: a crowd of strangers that empties that bucket
 * cannot starve the answers a member's observers wait for, and get it declared DEAD.
 *
 * <pre>{@code
 * AnswerLimits limits = new AnswerLimits(100, 50_000);
 * if (limits.allow(from, clock.monotonicNanos())) { answer(); }
 * }</pre>
 *
 * Each bucket holds a second's worth of tokens. At most {@value #MAX_SOURCES} sources are tracked;
 * past that, idle ones are forgotten, and while every one is busy new sources share one bucket.
 */
final class AnswerLimits {
    static final int MAX_SOURCES = 16_384;
    static final int DEFAULT_PER_SOURCE = 200;
    static final int DEFAULT_TOTAL = 50_000;

    private static final class Bucket {
        double tokens;
        long refilledNanos;

        Bucket(double tokens, long now) {
            this.tokens = tokens;
            this.refilledNanos = now;
        }

        boolean take(double perSecond, long now) {
            tokens = Math.min(perSecond, tokens + (now - refilledNanos) * perSecond / 1e9);
            refilledNanos = now;
            if (tokens < 1) {
                return false;
            }
            tokens--;
            return true;
        }
    }

    private final double perSource;
    private final double total;
    private final Map<InetSocketAddress, Bucket> sources = new HashMap<>();
    private final Bucket all;
    private final Bucket crowd;
    private long limited;

    /** @param perSource answers a second to one address; {@code total} to all together */
    AnswerLimits(int perSource, int total) {
        if (perSource < 1 || total < perSource) {
            throw new IllegalArgumentException("answer limits " + perSource + " per source and " + total
                    + " in all (expected: 1 <= per source <= in all)");
        }
        this.perSource = perSource;
        this.total = total;
        this.all = new Bucket(total, Long.MIN_VALUE / 4);
        this.crowd = new Bucket(perSource, Long.MIN_VALUE / 4);
    }

    /** Takes a token for an answer to stranger {@code from}; false, and counted, if either bucket is empty. */
    boolean allow(InetSocketAddress from, long nowNanos) {
        return allow(from, nowNanos, false);
    }

    /**
     * Takes a token for an answer to {@code from}; false, and counted, if its bucket is empty, or (a
     * stranger) the bucket for all sources is.
     *
     * @param member {@code from} is a member, a watched node or an authenticated sender
     */
    boolean allow(InetSocketAddress from, long nowNanos, boolean member) {
        Bucket source = sources.get(from);
        if (source == null) {
            if (sources.size() >= MAX_SOURCES) {
                forgetIdle(nowNanos);
            }
            if (sources.size() < MAX_SOURCES) {
                source = new Bucket(perSource, nowNanos);
                sources.put(from, source);
            } else {
                source = crowd;
            }
        }
        if (!source.take(perSource, nowNanos) || (!member && !all.take(total, nowNanos))) {
            limited++;
            return false;
        }
        return true;
    }

    long limited() {
        return limited;
    }

    /** Sources whose bucket has refilled completely are as good as new: dropped. */
    private void forgetIdle(long nowNanos) {
        for (Iterator<Bucket> it = sources.values().iterator(); it.hasNext(); ) {
            Bucket bucket = it.next();
            if (bucket.tokens + (nowNanos - bucket.refilledNanos) * perSource / 1e9 >= perSource) {
                it.remove();
            }
        }
    }
}
