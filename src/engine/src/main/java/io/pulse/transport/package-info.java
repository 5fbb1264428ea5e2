/**
 * The Netty driver of the detector: {@link io.pulse.transport.PulseEngine} runs one
 * {@link io.pulse.core.PulseCore} on one event loop, with its UDP sockets, its timers and its HTTP
 * and TCP probes, and no thread per node.
 *
 * <pre>{@code
 * try (PulseEngine engine = PulseEngine.builder().bind(new InetSocketAddress("0.0.0.0", 7946)).start()) {
 *     engine.onFailure(f -> System.out.println(f.node() + " is dead"));
 *     engine.addTarget("10.0.0.7:7946");
 * }
 * }</pre>
 *
 * <h2>The loop</h2>
 * Every call into the core happens on the engine's event loop: a datagram read from the socket
 * (up to 16 per wake-up), decoded by {@code io.pulse.protocol} and, with a keyring, checked first;
 * a probe result; a timer. Public methods called from other threads hand their work to the loop, so
 * every method of the engine is thread-safe and the core needs no lock. A malformed or unauthentic
 * datagram is dropped and counted by reason; it never changes a node's state or closes the socket.
 *
 * <p>Timers are coalesced: the loop wakes when the core's next deadline is due, rounded up to a
 * tick of a tenth of {@code probeTimeoutMin}, within 1 to 5 ms (5 ms with the defaults), so that
 * thousands of targets' PINGs leave in batches. RTTs are measured on the clock, not on ticks, and
 * are not affected.
 *
 * <h2>Sockets</h2>
 * The engine answers (and relays) probes at its bound address. In static mode a probing engine
 * sends its own PINGs and PING_REQs from a second UDP socket on a port the OS chooses, so that the
 * ACKs it waits for never queue behind a flood aimed at the bound port; a cluster member probes
 * from its bound address, which the other members know it by. {@link io.pulse.transport.Transports}
 * picks native epoll where it loads (Linux) and NIO elsewhere, for every Pulse loop and channel.
 * {@link io.pulse.transport.Cidr} blocks say which strangers may use the node as a relay; a
 * {@link io.pulse.transport.DatagramFilter} drops datagrams in and out, to stand in for a lossy or
 * partitioned network in tests and benchmarks.
 *
 * <h2>Listeners</h2>
 * {@code onStatusChange}, {@code onFailure}, {@code onRemoved} and {@code onRttSample} listeners run
 * on the event loop, after the core finished the transition, and must not block. One that throws
 * costs a count ({@code listenerErrors()}) and a warning, at most one every 10 s per kind of
 * listener, never a node's probing.
 *
 * <p>Services that do not speak Pulse are probed over HTTP(S) and TCP on the same loop
 * ({@code io.pulse.transport.probe}); {@code io.pulse.transport.health} is the {@code /health}
 * handler those probes read.
 *
 * <p>Nulls: parameters and results are non-null unless their javadoc says otherwise.
 */
package io.pulse.transport;
