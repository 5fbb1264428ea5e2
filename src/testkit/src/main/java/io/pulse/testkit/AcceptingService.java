package io.pulse.testkit;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;

/**
 * A TCP service on 127.0.0.1 (port 0) that accepts every connection and closes it: up, as a TCP
 * probe sees it, until {@link #close()}.
 *
 * <pre>{@code
 * try (AcceptingService service = AcceptingService.start()) {
 *     engine.addTcpTarget(TcpProbeSpec.of("127.0.0.1:" + service.port()), TargetOptions.defaults());
 * }
 * }</pre>
 */
public final class AcceptingService implements AutoCloseable {
    private final ServerSocket server;

    private AcceptingService(ServerSocket server) {
        this.server = server;
    }

    public static AcceptingService start() {
        ServerSocket server;
        try {
            server = new ServerSocket(0, 50, InetAddress.getByName("127.0.0.1"));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        Thread acceptor = new Thread(
                () -> {
                    while (!server.isClosed()) {
                        try (Socket ignored = server.accept()) {
                            // accepted: that is all a TCP probe asks
                        } catch (IOException e) {
                            return; // closed
                        }
                    }
                },
                "accepting-service");
        acceptor.setDaemon(true);
        acceptor.start();
        return new AcceptingService(server);
    }

    public int port() {
        return server.getLocalPort();
    }

    @Override
    public void close() {
        try {
            server.close();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
