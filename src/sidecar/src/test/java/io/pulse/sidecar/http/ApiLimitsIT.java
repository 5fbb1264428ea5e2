package io.pulse.sidecar.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.pulse.testkit.Eventually;
import io.pulse.transport.PulseEngine;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The API's defences on real sockets: idle and slow connections closed, the cap, the token, nosniff. */
class ApiLimitsIT {
    private static final Duration LIMIT = Duration.ofSeconds(10);
    private final HttpClient http =
            HttpClient.newBuilder().connectTimeout(LIMIT).build();
    private final List<Socket> sockets = new ArrayList<>();
    private PulseEngine engine;
    private ApiServer api;
    private String token;

    private void start(ApiLimits limits) {
        token = limits.token().orElse(null);
        engine = PulseEngine.builder()
                .bind(new InetSocketAddress("127.0.0.1", 0))
                .probing(false)
                .start();
        api = ApiServer.start(new InetSocketAddress("127.0.0.1", 0), engine, () -> null, PulseMetrics.create(), limits);
    }

    @AfterEach
    void stop() throws Exception {
        for (Socket socket : sockets) {
            socket.close();
        }
        if (api != null) {
            api.close();
        }
        if (engine != null) {
            engine.close();
        }
    }

    private Socket connect() throws Exception {
        return connectFrom(null);
    }

    /** A connection from {@code source} (a loopback address: all of 127/8 is this machine's on Linux), or any. */
    private Socket connectFrom(String source) throws Exception {
        Socket socket = new Socket();
        if (source != null) {
            socket.bind(new InetSocketAddress(source, 0));
        }
        socket.connect(api.localAddress(), (int) LIMIT.toMillis());
        socket.setSoTimeout((int) LIMIT.toMillis());
        sockets.add(socket);
        return socket;
    }

    /** True once the server closed the socket (a read sees end of stream or a reset). */
    private static boolean closedByServer(Socket socket) {
        try {
            InputStream in = socket.getInputStream();
            while (true) {
                int b = in.read();
                if (b < 0) {
                    return true;
                }
            }
        } catch (SocketTimeoutException stillOpen) {
            return false;
        } catch (java.io.IOException reset) {
            return true;
        }
    }

    @Test
    void threeHundredIdleConnectionsAreClosedAfterTheIdleTimeout() throws Exception {
        start(new ApiLimits(
                Duration.ofMillis(500), Duration.ofSeconds(5), 400, 400, Optional.empty(), Optional.empty()));
        for (int i = 0; i < 300; i++) {
            connect();
        }
        long started = System.nanoTime();
        for (Socket socket : sockets) {
            assertTrue(closedByServer(socket), "connection still open");
        }
        assertTrue(System.nanoTime() - started < LIMIT.toNanos());
        Eventually.await("metric", () -> metric("pulse_http_connections_idle_closed_total"), v -> v >= 300, LIMIT);
        assertEquals(0.0, metric("pulse_http_connections_rejected_total"));
    }

    @Test
    void connectionsPastTheCapAreClosedAtOnceAndTheOthersStillWork() throws Exception {
        start(new ApiLimits(Duration.ofSeconds(30), Duration.ofSeconds(5), 5, 5, Optional.empty(), Optional.empty()));
        for (int i = 0; i < 4; i++) {
            connect();
        }
        Eventually.await("5 open: 4 idle and the client's", () -> metric("pulse_http_connections"), v -> v == 5, LIMIT);
        Socket sixth = connect();
        Socket seventh = connect();
        assertTrue(closedByServer(sixth), "the 6th connection was kept");
        assertTrue(closedByServer(seventh), "the 7th connection was kept");
        assertEquals(
                2.0, metric("pulse_http_connections_rejected_total"), "the client's kept-alive connection still works");
    }

    @Test
    void oneSourceAddressCannotTakeEveryConnectionAndItsExtraOnesAreClosedBeforeTheTokenIsLookedAt() throws Exception {
        start(ApiLimits.defaults().withMaxConnections(10, 4).withToken("s3cret-t0ken"));
        List<Socket> greedy = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            greedy.add(connectFrom("127.0.0.2"));
        }
        Eventually.await("4 open from 127.0.0.2", () -> metric("pulse_http_connections"), v -> v >= 4, LIMIT);
        for (int i = 0; i < 3; i++) {
            Socket extra = connectFrom("127.0.0.2");
            extra.getOutputStream()
                    .write("GET /status HTTP/1.1\r\nHost: x\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
            assertTrue(closedByServer(extra), "a 5th connection from one address was kept");
        }
        for (Socket kept : greedy) {
            kept.setSoTimeout(200);
            assertTrue(!closedByServer(kept), "a connection within the cap was closed");
        }
        // Another address still gets in, and is answered.
        Socket other = connectFrom("127.0.0.3");
        other.getOutputStream()
                .write("GET /health HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n"
                        .getBytes(StandardCharsets.US_ASCII));
        String answer = new String(other.getInputStream().readAllBytes(), StandardCharsets.US_ASCII);
        assertTrue(answer.startsWith("HTTP/1.1 200 OK"), answer);
        assertEquals(3.0, metric("pulse_http_connections_source_rejected_total"));
        assertEquals(0.0, metric("pulse_http_connections_rejected_total"));
        assertEquals(0.0, metric("pulse_http_requests_unauthorized_total"), "the refused requests were never read");
    }

    @Test
    void aRequestTrickledByteByByteIsClosedAtTheRequestTimeout() throws Exception {
        start(new ApiLimits(
                Duration.ofMillis(400), Duration.ofMillis(800), 10, 10, Optional.empty(), Optional.empty()));
        Socket slow = connect();
        slow.setSoTimeout(100);
        OutputStream out = slow.getOutputStream();
        byte[] request = "GET /status HTTP/1.1\r\nHost: x\r\nX-Filler: ".getBytes(StandardCharsets.US_ASCII);
        long started = System.nanoTime();
        boolean closed = false;
        for (int i = 0; i < 40 && !closed; i++) { // one byte every 100 ms: never idle for 400 ms
            try {
                out.write(request[Math.min(i, request.length - 1)]);
                out.flush();
            } catch (java.io.IOException e) {
                closed = true;
                break;
            }
            closed = closedByServer(slow);
        }
        assertTrue(closed, "a request that never ends was not closed");
        long tookMillis = (System.nanoTime() - started) / 1_000_000;
        assertTrue(tookMillis >= 700 && tookMillis < 3000, tookMillis + " ms");
        Eventually.await("metric", () -> metric("pulse_http_requests_slow_closed_total"), v -> v >= 1, LIMIT);
    }

    @Test
    void aTokenIsRequiredEverywhereButHealthAndEveryResponseSaysNosniff() throws Exception {
        start(ApiLimits.defaults().withToken("s3cret-t0ken"));
        HttpResponse<String> none = get("/status", null);
        assertEquals(401, none.statusCode());
        assertEquals(
                "Bearer realm=\"pulse\"",
                none.headers().firstValue("www-authenticate").orElse(null));
        assertEquals(401, get("/metrics", "wrong").statusCode());
        assertEquals(401, get("/nothing", null).statusCode(), "no path is told apart without the token");
        HttpResponse<String> ok = get("/status", "s3cret-t0ken");
        assertEquals(200, ok.statusCode());
        assertEquals(200, get("/health", null).statusCode());
        assertEquals(200, get("/ready", null).statusCode(), "a readiness probe sends no token either");
        assertEquals(404, get("/nothing", "s3cret-t0ken").statusCode());
        for (HttpResponse<String> response : List.of(none, ok, get("/health", null), get("/nothing", "s3cret-t0ken"))) {
            assertEquals(
                    "nosniff",
                    response.headers().firstValue("x-content-type-options").orElse(null),
                    response.uri().toString());
        }
        assertTrue(get("/metrics", "s3cret-t0ken").body().contains("pulse_http_requests_unauthorized_total 3.0"));
    }

    private HttpResponse<String> get(String path, String token) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(
                        URI.create("http://127.0.0.1:" + api.localAddress().getPort() + path))
                .timeout(LIMIT);
        if (token != null) {
            request.header("Authorization", "Bearer " + token);
        }
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    private double metric(String name) {
        String body;
        try {
            body = get("/metrics", token).body();
        } catch (Exception e) {
            throw new AssertionError("GET /metrics failed", e);
        }
        for (String line : body.split("\n")) {
            if (line.startsWith(name + " ")) {
                return Double.parseDouble(line.substring(name.length() + 1));
            }
        }
        return Double.NaN;
    }
}
