package io.pulse.transport;

import java.net.InetSocketAddress;

/**
 * Decides, datagram by datagram, which ones reach the engine's socket or leave it: a stand-in for
 * a lossy or partitioned network in tests and benchmarks, where the kernel offers no netem. It
 * sees raw datagrams, before decoding (inbound) and after encoding (outbound), so a dropped one
 * is as if the network lost it: nothing is decoded, counted or answered.
 *
 * <pre>{@code
 * // 10 % of datagrams lost at random, in both directions:
 * PulseEngine engine = PulseEngine.builder()
 *         .bind(new InetSocketAddress("127.0.0.1", 0))
 *         .datagramFilter((direction, peer) -> ThreadLocalRandom.current().nextDouble() >= 0.10)
 *         .start();
 * }</pre>
 *
 * <p>It runs on the engine's event loop for every datagram, so it must be cheap and must not
 * block; an exception it throws is counted in {@link PulseEngine#pipelineErrors()} and the
 * datagram is dropped. An engine built without one has no filtering handler at all.
 */
@FunctionalInterface
public interface DatagramFilter {
    /** Which way a datagram goes. */
    enum Direction {
        /** Arrived at the engine's socket, from {@code peer}. */
        INBOUND,
        /** Sent by the engine, to {@code peer}. */
        OUTBOUND
    }

    /** True to let the datagram through, false to drop it silently. */
    boolean pass(Direction direction, InetSocketAddress peer);
}
