package io.pulse.bench;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.ServerChannel;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollEventLoopGroup;
import io.netty.channel.epoll.EpollServerSocketChannel;
import io.netty.channel.nio.NioEventLoopGroup;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.pulse.transport.health.HealthHandler;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.lang.management.ManagementFactory;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.StringJoiner;

/**
 * The servers the {@link HttpLoadHarness} probes, in a process of their own: {@code ports}
 * listening sockets on 127.0.0.1 (port 0 each), all serving {@link HealthHandler} on one event
 * loop thread. Prints {@code READY <port>,<port>,...}; on the line {@code cpu} prints
 * {@code CPU <process cpu nanos>}; exits when its stdin closes (so it never outlives the harness).
 *
 * <pre>{@code
 * java -cp ... io.pulse.bench.HealthServerMain 2000
 * }</pre>
 */
public final class HealthServerMain {
    private HealthServerMain() {}

    public static void main(String[] args) throws Exception {
        int ports = args.length > 0 ? Integer.parseInt(args[0]) : 1;
        boolean epoll = Epoll.isAvailable();
        EventLoopGroup group = epoll ? new EpollEventLoopGroup(1) : new NioEventLoopGroup(1);
        Class<? extends ServerChannel> type = epoll ? EpollServerSocketChannel.class : NioServerSocketChannel.class;
        ServerBootstrap bootstrap = new ServerBootstrap()
                .group(group)
                .channel(type)
                .childHandler(HealthHandler.server(HealthHandler.create()));
        List<Channel> servers = new ArrayList<>(ports);
        StringJoiner list = new StringJoiner(",");
        for (int i = 0; i < ports; i++) {
            Channel server = bootstrap
                    .bind(new InetSocketAddress("127.0.0.1", 0))
                    .syncUninterruptibly()
                    .channel();
            servers.add(server);
            list.add(Integer.toString(((InetSocketAddress) server.localAddress()).getPort()));
        }
        System.out.println("READY " + list);
        System.out.flush();
        var os = (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
        try (BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8))) {
            String line;
            while ((line = in.readLine()) != null) {
                if (line.equals("cpu")) {
                    System.out.println("CPU " + os.getProcessCpuTime());
                    System.out.flush();
                }
            }
        }
        servers.forEach(Channel::close);
        group.shutdownGracefully().syncUninterruptibly();
    }
}
