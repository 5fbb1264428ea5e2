package io.pulse.core;

import java.security.SecureRandom;
import java.util.function.LongSupplier;

/**
 * Sequence numbers for outgoing requests: unpredictable 64-bit numbers, so that an answer's echoed
 * sequence proves it answers a request this node sent. A counter would not: any host could read the
 * current number off one PING (a PING_REQ naming itself makes a relay send one) and forge the ACKs
 * of the next ones, keeping a dead node ALIVE.
 *
 * <pre>{@code
 * Sequences probes = Sequences.secure();
 * long nonce = probes.next();
 * }</pre>
 *
 * Numbers come from a {@link SecureRandom}, drawn {@value #BATCH} at a time so that the cost per
 * probe is a few nanoseconds. Two draws are equal with probability 2<sup>-64</sup>; a collision
 * with a request still in flight is harmless (one of the two answers is then counted unmatched).
 * Not thread-safe: each core uses its own from its one thread.
 */
final class Sequences {
    static final int BATCH = 512;
    private final LongSupplier source;

    private Sequences(LongSupplier source) {
        this.source = source;
    }

    /** Unpredictable numbers, for every real node. */
    static Sequences secure() {
        SecureRandom random = new SecureRandom();
        long[] batch = new long[BATCH];
        int[] used = {BATCH};
        byte[] bytes = new byte[BATCH * Long.BYTES];
        return new Sequences(() -> {
            if (used[0] == BATCH) {
                random.nextBytes(bytes);
                java.nio.ByteBuffer.wrap(bytes).asLongBuffer().get(batch);
                used[0] = 0;
            }
            return batch[used[0]++];
        });
    }

    long next() {
        return source.getAsLong();
    }
}
