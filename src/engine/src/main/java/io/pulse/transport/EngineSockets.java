package io.pulse.transport;

import io.netty.bootstrap.Bootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoop;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.FixedRecvByteBufAllocator;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.socket.DatagramChannel;
import io.pulse.core.Message;
import io.pulse.core.PulseCore;
import io.pulse.protocol.DatagramAuth;
import io.pulse.protocol.DatagramCodec;
import io.pulse.protocol.Envelope;
import io.pulse.protocol.RejectCounters;
import java.net.InetSocketAddress;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The engine's UDP sockets: the one it answers (and relays) at, on its bound address, and, for
 * an engine built probing, a second one on an OS-chosen port that its own PINGs and PING_REQs
 * leave from, so that their answers arrive where no stranger aims: a flood at the engine's port
 * fills that socket's buffer, never the probe socket's. Both on one event loop, each with the
 * filter (if any), the codec and a handler that hands what was decoded to the core in its
 * pipeline; the counters of what arrived. Sending and flushing are loop-confined.
 *
 * <pre>{@code
 * EngineSockets sockets = EngineSockets.bind(settings, group, auth, core, handOff);
 * sockets.send(peer, new Message.Ping(sequence, epochNanos), true);
 * sockets.flush();
 * }</pre>
 */
final class EngineSockets {
    /** The engine's: its operators configure that one. */
    private static final System.Logger LOG = System.getLogger(PulseEngine.class.getName());

    /** Big enough that an oversize datagram arrives whole enough to be counted as oversize. */
    static final int RECEIVE_BUFFER_BYTES = 2048;
    /**
     * Datagrams read per wake-up before the loop turns to its other work: Netty's default for
     * datagram channels, which a {@link FixedRecvByteBufAllocator} of its own would otherwise
     * lower to 1. With 1, every ACK costs a loop iteration of its own (a task, an {@code epoll_wait},
     * a flush and a look at the timers); with 16, a burst of ACKs costs one.
     */
    static final int DATAGRAMS_PER_READ = 16;

    private final RejectCounters rejects = new RejectCounters();
    private final AtomicLong decoded = new AtomicLong();
    private final AtomicLong pipelineErrors = new AtomicLong();
    private Channel channel;
    /** Null: probes leave from {@link #channel} (a member's go from its advertised address, which members know it by). */
    private Channel probeChannel;

    private boolean flushPending;

    private EngineSockets() {}

    /**
     * Binds the answering socket on {@code group}, and the probe socket on the same loop if the
     * engine probes; nothing is left open if either fails. What they decode goes to {@code core},
     * and {@code handOff} follows each batch read.
     *
     * @throws IllegalStateException if a socket cannot be bound
     */
    static EngineSockets bind(
            EngineSettings settings, EventLoopGroup group, DatagramAuth auth, PulseCore core, EngineLoop handOff) {
        EngineSockets sockets = new EngineSockets();
        try {
            sockets.channel = sockets.bootstrap(settings, auth, core, handOff)
                    .group(group)
                    .bind(settings.bind())
                    .syncUninterruptibly()
                    .channel();
        } catch (RuntimeException e) {
            throw new IllegalStateException("cannot bind UDP " + settings.bind() + ": " + e.getMessage(), e);
        }
        if (settings.probing()) {
            try {
                sockets.probeChannel = sockets.bootstrap(settings, auth, core, handOff)
                        .group(sockets.channel.eventLoop()) // the core is confined to this one loop
                        .bind(new InetSocketAddress(settings.bind().getAddress(), 0))
                        .syncUninterruptibly()
                        .channel();
            } catch (RuntimeException e) {
                sockets.channel.close().syncUninterruptibly();
                throw new IllegalStateException(
                        "cannot bind the UDP probe socket on " + settings.bind().getAddress() + ": " + e.getMessage(),
                        e);
            }
        }
        return sockets;
    }

    /** A socket of this engine: its options, and the filter, codec and handler in its pipeline. */
    private Bootstrap bootstrap(EngineSettings settings, DatagramAuth auth, PulseCore core, EngineLoop handOff) {
        return new Bootstrap()
                .channel(Transports.datagramChannel())
                .option(ChannelOption.SO_RCVBUF, settings.socketBufferBytes())
                .option(ChannelOption.SO_SNDBUF, settings.socketBufferBytes())
                .option(
                        ChannelOption.RCVBUF_ALLOCATOR,
                        new FixedRecvByteBufAllocator(RECEIVE_BUFFER_BYTES).maxMessagesPerRead(DATAGRAMS_PER_READ))
                .handler(new ChannelInitializer<DatagramChannel>() {
                    @Override
                    protected void initChannel(DatagramChannel ch) {
                        if (settings.filter() != null) {
                            ch.pipeline().addLast(new DatagramFilterHandler(settings.filter()));
                        }
                        ch.pipeline().addLast(new DatagramCodec(rejects, auth), new InboundHandler(core, handOff));
                    }
                });
    }

    EventLoop loop() {
        return channel.eventLoop();
    }

    /** The answering socket, for the TCP and HTTP probes' channel type. */
    Channel channel() {
        return channel;
    }

    InetSocketAddress localAddress() {
        return (InetSocketAddress) channel.localAddress();
    }

    boolean isOpen() {
        return channel.isOpen();
    }

    /**
     * Writes {@code message} to {@code to}, from the probe socket if {@code ownProbe} and there is
     * one; flushed by the next {@link #flush()}, so that a loop iteration's datagrams leave together.
     */
    void send(InetSocketAddress to, Message message, boolean ownProbe) {
        Channel out = ownProbe && probeChannel != null ? probeChannel : channel;
        out.write(new Envelope(to, message), out.voidPromise());
        flushPending = true;
    }

    /** Sends what {@link #send} wrote since the last flush. */
    void flush() {
        if (flushPending) {
            flushPending = false;
            channel.flush();
            if (probeChannel != null) {
                probeChannel.flush();
            }
        }
    }

    /** Datagrams dropped as malformed, unauthenticated or replayed, by reason. */
    RejectCounters rejects() {
        return rejects;
    }

    /** Datagrams that reached a socket: those decoded and those rejected. */
    long datagramsReceived() {
        return decoded.get() + rejects.total();
    }

    /** Exceptions that reached the end of a pipeline; the channel stays open. */
    long pipelineErrors() {
        return pipelineErrors.get();
    }

    void close() {
        channel.close().syncUninterruptibly();
        if (probeChannel != null) {
            probeChannel.close().syncUninterruptibly();
        }
    }

    /** The last handler of each socket's pipeline: decoded datagrams into the core, on the loop. */
    private final class InboundHandler extends SimpleChannelInboundHandler<Envelope> {
        private final PulseCore core;
        private final EngineLoop handOff;

        InboundHandler(PulseCore core, EngineLoop handOff) {
            this.core = core;
            this.handOff = handOff;
        }

        @Override
        protected void channelRead0(ChannelHandlerContext ctx, Envelope envelope) {
            decoded.incrementAndGet();
            core.onMessage(envelope.peer(), envelope.message(), envelope.authenticated());
        }

        @Override
        public void channelReadComplete(ChannelHandlerContext ctx) {
            handOff.afterCoreCall();
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            // A UDP server never closes its channel over one datagram (e.g. ICMP port unreachable).
            pipelineErrors.incrementAndGet();
            LOG.log(System.Logger.Level.DEBUG, "UDP channel error (kept open): {0}", cause.toString());
        }
    }
}
