package io.pulse.transport.probe;

import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;

/** A TCP target: where to connect, what to send and expect, and its attempts in flight. */
final class TcpProbeTarget implements ProbeTarget {
    private final ProbeContext ctx;
    final TcpProbeSpec spec;
    final InetSocketAddress address;
    private final List<TcpAttempt> inFlight = new ArrayList<>(2);

    TcpProbeTarget(ProbeContext ctx, TcpProbeSpec spec, InetSocketAddress address) {
        this.ctx = ctx;
        this.spec = spec;
        this.address = address;
    }

    @Override
    public List<InetSocketAddress> addresses() {
        return List.of(address);
    }

    @Override
    public void attach() {}

    @Override
    public void start(long sequence, long askedNanos, long timeoutNanos) {
        long capped = spec.timeout() == null
                ? timeoutNanos
                : Math.min(timeoutNanos, spec.timeout().toNanos());
        TcpAttempt attempt = new TcpAttempt(ctx, this, sequence, capped);
        inFlight.add(attempt);
        attempt.start();
    }

    void finished(TcpAttempt attempt) {
        inFlight.remove(attempt);
    }

    @Override
    public void forget() {
        for (TcpAttempt attempt : List.copyOf(inFlight)) {
            attempt.abandon();
        }
        inFlight.clear();
    }
}
