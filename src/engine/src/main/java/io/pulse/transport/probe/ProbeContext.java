package io.pulse.transport.probe;

import io.netty.bootstrap.Bootstrap;
import io.netty.channel.EventLoop;
import io.pulse.core.Clock;
import io.pulse.core.ProbeResult;
import java.util.function.Consumer;

/** What every attempt shares: the event loop it is confined to, the clock, counters, connections, and where results go. */
final class ProbeContext {
    final EventLoop loop;
    final Clock clock;
    final Tally tally = new Tally();
    /** Unconnected sockets on {@link #loop}; cloned for each connection. */
    final Bootstrap bootstrap;

    final ConnectionPool pool;
    final Consumer<ProbeResult> results;

    ProbeContext(EventLoop loop, Clock clock, Bootstrap bootstrap, Consumer<ProbeResult> results) {
        this.loop = loop;
        this.clock = clock;
        this.bootstrap = bootstrap;
        this.pool = new ConnectionPool(bootstrap, tally);
        this.results = results;
    }

    static long millis(long nanos) {
        return Math.round(nanos / 1e6);
    }
}
