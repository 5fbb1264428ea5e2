package io.pulse.transport;

import io.netty.channel.Channel;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollDatagramChannel;
import io.netty.channel.epoll.EpollEventLoopGroup;
import io.netty.channel.epoll.EpollServerSocketChannel;
import io.netty.channel.epoll.EpollSocketChannel;
import io.netty.channel.nio.NioEventLoopGroup;
import io.netty.channel.socket.DatagramChannel;
import io.netty.channel.socket.ServerSocketChannel;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioDatagramChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.util.concurrent.DefaultThreadFactory;

/**
 * Native epoll where it loads (Linux), NIO everywhere else: one place that picks, so that every
 * Pulse loop and channel agree.
 *
 * <pre>{@code
 * EventLoopGroup group = Transports.newGroup(1, "pulse-api");
 * new ServerBootstrap().group(group).channel(Transports.serverChannelFor(group))...
 * }</pre>
 */
public final class Transports {
    private Transports() {}

    static boolean nativeEpoll() {
        return Epoll.isAvailable();
    }

    /** A group of {@code threads} daemon threads named {@code name-...}: epoll if it loads, else NIO. */
    public static EventLoopGroup newGroup(int threads, String name) {
        DefaultThreadFactory factory = new DefaultThreadFactory(name, true);
        return nativeEpoll() ? new EpollEventLoopGroup(threads, factory) : new NioEventLoopGroup(threads, factory);
    }

    /** The TCP server channel type that runs on {@code group} (epoll or NIO). */
    public static Class<? extends ServerSocketChannel> serverChannelFor(EventLoopGroup group) {
        return group instanceof EpollEventLoopGroup ? EpollServerSocketChannel.class : NioServerSocketChannel.class;
    }

    static Class<? extends DatagramChannel> datagramChannel() {
        return nativeEpoll() ? EpollDatagramChannel.class : NioDatagramChannel.class;
    }

    /** The TCP channel type that runs on the event loop of {@code datagram} (epoll or NIO). */
    static Class<? extends SocketChannel> socketChannelFor(Channel datagram) {
        return datagram instanceof EpollDatagramChannel ? EpollSocketChannel.class : NioSocketChannel.class;
    }
}
