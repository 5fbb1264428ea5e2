package io.pulse.transport.probe;

import java.util.ArrayList;
import java.util.List;

/** An HTTP target: its resolved endpoints, the one probed now, and its attempts in flight. */
final class HttpProbeTarget implements ProbeTarget {
    private final ProbeContext ctx;
    final HttpProbeSpec spec;
    private final List<HttpEndpoint> endpoints;
    private final List<HttpAttempt> inFlight = new ArrayList<>(2);
    private int current;

    HttpProbeTarget(ProbeContext ctx, HttpProbeSpec spec, List<HttpEndpoint> endpoints) {
        this.ctx = ctx;
        this.spec = spec;
        this.endpoints = List.copyOf(endpoints);
    }

    @Override
    public List<java.net.InetSocketAddress> addresses() {
        return endpoints.stream().map(e -> e.key().address()).toList();
    }

    @Override
    public void attach() {
        endpoints.forEach(e -> ctx.pool.retain(e.key()));
    }

    @Override
    public void start(long sequence, long askedNanos, long timeoutNanos) {
        long capped = spec.timeout() == null
                ? timeoutNanos
                : Math.min(timeoutNanos, spec.timeout().toNanos());
        HttpAttempt attempt = new HttpAttempt(ctx, this, current, endpoints.get(current), sequence, askedNanos, capped);
        inFlight.add(attempt);
        attempt.start();
    }

    /** An attempt ended; a failed one moves the target on to the next endpoint (once per endpoint failure). */
    void finished(HttpAttempt attempt, boolean successful) {
        inFlight.remove(attempt);
        if (!successful && attempt.endpointIndex == current) {
            current = (current + 1) % endpoints.size();
        }
    }

    @Override
    public void forget() {
        for (HttpAttempt attempt : List.copyOf(inFlight)) {
            attempt.abandon();
        }
        inFlight.clear();
        endpoints.forEach(e -> ctx.pool.unretain(e.key()));
    }
}
