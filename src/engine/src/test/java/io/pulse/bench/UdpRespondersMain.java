package io.pulse.bench;

import io.netty.channel.EventLoopGroup;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollEventLoopGroup;
import io.netty.channel.nio.NioEventLoopGroup;
import io.netty.util.concurrent.DefaultThreadFactory;
import io.pulse.transport.PulseEngine;
import io.pulse.transport.PulseEngineBuilder;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.lang.management.ManagementFactory;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.StringJoiner;

/**
 * The targets the {@link UdpLoadHarness} probes, in a process of their own: {@code count}
 * responding {@link PulseEngine}s (no probing), each on its own UDP socket on 127.0.0.1 (port 0),
 * all sharing one event loop group of {@code threads} threads, so that 10,000 engines cost 10,000
 * sockets and not 10,000 threads. Prints {@code READY <port>,<port>,...}; on the line
 * {@code stats} prints {@code STATS <process cpu nanos> <datagrams rejected> <pipeline errors>};
 * exits when its stdin closes (so it never outlives the harness).
 *
 * <pre>{@code
 * java -cp ... io.pulse.bench.UdpRespondersMain 10000 1 [auth|plain]
 * }</pre>
 */
public final class UdpRespondersMain {
    /** The engine default (4 MiB) is meant for a monitor hearing from thousands; a responder hears from one. */
    private static final int SOCKET_BUFFER_BYTES = 64 * 1024;
    /** The keyring of {@code UdpLoadHarness --auth on}: one key, known to both JVMs. */
    static final io.pulse.protocol.Keyring BENCH_KEYRING =
            io.pulse.protocol.Keyring.of(new java.util.TreeMap<>(java.util.Map.of(1, new byte[32])), 1, "bench");

    private UdpRespondersMain() {}

    public static void main(String[] args) throws Exception {
        int count = args.length > 0 ? Integer.parseInt(args[0]) : 1;
        int threads = args.length > 1 ? Integer.parseInt(args[1]) : 1;
        boolean auth = args.length > 2 && args[2].equals("auth");
        // Same choice as the engine's own (epoll where it loads), so that its channel type fits the group.
        DefaultThreadFactory factory = new DefaultThreadFactory("responders", true);
        EventLoopGroup group = Epoll.isAvailable()
                ? new EpollEventLoopGroup(threads, factory)
                : new NioEventLoopGroup(threads, factory);
        List<PulseEngine> responders = new ArrayList<>(count);
        StringJoiner ports = new StringJoiner(",");
        for (int i = 0; i < count; i++) {
            PulseEngineBuilder builder = PulseEngine.builder()
                    .bind(new InetSocketAddress("127.0.0.1", 0))
                    .probing(false)
                    .socketBufferBytes(SOCKET_BUFFER_BYTES)
                    .eventLoopGroup(group);
            if (auth) {
                builder.keyring(BENCH_KEYRING, io.pulse.protocol.DatagramAuth.Mode.REQUIRED);
            }
            PulseEngine responder = builder.start();
            responders.add(responder);
            ports.add(Integer.toString(responder.localAddress().getPort()));
        }
        System.out.println("READY " + ports);
        System.out.flush();
        var os = (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
        try (BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8))) {
            String line;
            while ((line = in.readLine()) != null) {
                if (line.equals("stats")) {
                    long rejected = responders.stream()
                            .mapToLong(r -> r.rejects().total())
                            .sum();
                    long errors = responders.stream()
                            .mapToLong(PulseEngine::pipelineErrors)
                            .sum();
                    System.out.println("STATS " + os.getProcessCpuTime() + " " + rejected + " " + errors);
                    System.out.flush();
                }
            }
        }
        responders.forEach(PulseEngine::close);
        group.shutdownGracefully().syncUninterruptibly();
    }
}
