package io.pulse.sidecar.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.pulse.core.DetectorConfig;
import io.pulse.core.Liveness;
import io.pulse.core.NodeId;
import io.pulse.core.TargetOptions;
import io.pulse.kafka.PublisherStats;
import io.pulse.testkit.AcceptingService;
import io.pulse.testkit.Eventually;
import io.pulse.transport.PulseEngine;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/** The API of a real engine watching two real responders, all on 127.0.0.1, through a real HTTP client. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ApiServerIT {
    /** Fast rounds; the 100 ms timeout floor is what a loopback RTO clamps to. */
    private static final DetectorConfig FAST = DetectorConfig.builder()
            .probeInterval(Duration.ofMillis(100))
            .probeTimeoutMin(Duration.ofMillis(100))
            .probeTimeoutMax(Duration.ofMillis(200))
            .build();

    private static final Duration LIMIT = Duration.ofSeconds(5);
    private static final PublisherStats STATS = new PublisherStats(10, 7, 1, 3, 2, 2, 512, 1 << 20, 1, 4, 6, 1);
    private static final List<String> NODE_FIELDS = List.of(
            "id",
            "state",
            "kind",
            "incarnation",
            "totalProbes",
            "lostProbes",
            "lossRatio",
            "srttMs",
            "rttVarianceMs",
            "probeTimeoutMs",
            "clockOffsetMs",
            "clockOffsetErrorMs",
            "firstContact",
            "lastContact",
            "lastError",
            "lastRetries");

    private final HttpClient http =
            HttpClient.newBuilder().connectTimeout(LIMIT).build();
    private final AtomicReference<PublisherStats> publisher = new AtomicReference<>(STATS);
    /** RTT samples the monitor delivered, counted by a listener of the test's own. */
    private final AtomicLong samples = new AtomicLong();

    private PulseEngine monitor;
    private PulseEngine first;
    private PulseEngine second;
    private ApiServer api;

    @BeforeAll
    void start() throws Exception {
        monitor = PulseEngine.builder()
                .bind(new InetSocketAddress("127.0.0.1", 0))
                .config(FAST)
                .start();
        first = responder();
        second = responder();
        monitor.onRttSample(sample -> samples.incrementAndGet());
        api = ApiServer.start(new InetSocketAddress("127.0.0.1", 0), monitor, publisher::get, PulseMetrics.create());
        for (PulseEngine responder : List.of(second, first)) {
            NodeId id = monitor.addTarget(responder.localId(), TargetOptions.defaults());
            Eventually.await(id + " alive", () -> monitor.status(id).state(), s -> s == Liveness.ALIVE, LIMIT);
        }
    }

    private static PulseEngine responder() {
        return PulseEngine.builder()
                .bind(new InetSocketAddress("127.0.0.1", 0))
                .config(FAST)
                .probing(false)
                .start();
    }

    @AfterAll
    void stop() {
        for (AutoCloseable closeable : new AutoCloseable[] {api, monitor, first, second}) {
            try {
                if (closeable != null) {
                    closeable.close();
                }
            } catch (Exception e) {
                throw new AssertionError(e);
            }
        }
    }

    private HttpResponse<String> send(String method, String path) throws IOException, InterruptedException {
        URI uri = URI.create("http://127.0.0.1:" + api.localAddress().getPort() + path);
        HttpRequest request = HttpRequest.newBuilder(uri)
                .timeout(LIMIT)
                .method(method, HttpRequest.BodyPublishers.noBody())
                .build();
        return http.send(request, HttpResponse.BodyHandlers.ofString());
    }

    private HttpResponse<String> get(String path) throws IOException, InterruptedException {
        return send("GET", path);
    }

    private static String contentType(HttpResponse<?> response) {
        return response.headers().firstValue("content-type").orElse(null);
    }

    private void assertError(HttpResponse<String> response, int status, String body) {
        assertEquals(
                List.of(status, "application/json", body),
                List.of(response.statusCode(), contentType(response), response.body()));
    }

    @Test
    void healthIsOkWithTheWallClock() throws Exception {
        HttpResponse<String> response = get("/health");
        assertEquals(200, response.statusCode());
        assertEquals("application/json", contentType(response));
        Map<String, Object> body = Json.object(response.body());
        assertEquals(List.of("ok", "now"), List.copyOf(body.keySet()));
        assertEquals(true, body.get("ok"));
        Instant now = Instant.parse((String) body.get("now"));
        assertTrue(Duration.between(now, Instant.now()).abs().compareTo(LIMIT) < 0, "now: " + now);
    }

    /** /ready answers like /health while the outbox has room, and 503 once it is nearly full. */
    @Test
    void readyIsOkUntilTheOutboxIsNearlyFull() throws Exception {
        HttpResponse<String> response = get("/ready");
        assertEquals(200, response.statusCode(), response.body());
        assertEquals(true, Json.object(response.body()).get("ok"));
        PublisherStats before = publisher.get();
        try {
            publisher.set(new PublisherStats(0, 0, 0, 0, 0, 1_000, 950, 1_000, 0, 0, 0, 0));
            response = get("/ready");
            assertEquals(503, response.statusCode(), response.body());
            assertEquals(false, Json.object(response.body()).get("ok"));
        } finally {
            publisher.set(before);
        }
        assertEquals(200, get("/ready").statusCode());
    }

    @Test
    void statusListsEveryNodeByIdWithEveryField() throws Exception {
        HttpResponse<String> response = get("/status");
        assertEquals(200, response.statusCode());
        assertEquals("application/json", contentType(response));
        assertEquals("no-store", response.headers().firstValue("cache-control").orElse(null));
        Map<String, Object> body = Json.object(response.body());
        assertEquals(List.of("node", "localHealthMultiplier", "nodes"), List.copyOf(body.keySet()));
        assertEquals(monitor.localId().toString(), body.get("node"));
        assertEquals(1, ((Number) body.get("localHealthMultiplier")).intValue());
        @SuppressWarnings("unchecked")
        List<Map<String, Object>> nodes = (List<Map<String, Object>>) body.get("nodes");
        List<PulseEngine> byPort =
                first.localAddress().getPort() < second.localAddress().getPort()
                        ? List.of(first, second)
                        : List.of(second, first);
        assertEquals(
                byPort.stream().map(e -> e.localId().toString()).toList(),
                nodes.stream().map(n -> n.get("id")).toList(),
                "sorted by id");
        for (int i = 0; i < 2; i++) {
            assertAliveNode(nodes.get(i), byPort.get(i));
        }
    }

    /** A loopback responder that answered: exact where the value is known, bounds where it is measured. */
    private void assertAliveNode(Map<String, Object> node, PulseEngine responder) {
        assertEquals(NODE_FIELDS, List.copyOf(node.keySet()));
        assertEquals(responder.localId().toString(), node.get("id"));
        assertEquals("ALIVE", node.get("state"));
        assertEquals("PULSE", node.get("kind"));
        assertEquals(responder.incarnation(), node.get("incarnation"));
        assertTrue((Long) node.get("totalProbes") >= 1, node.toString());
        assertTrue((Long) node.get("lostProbes") <= (Long) node.get("totalProbes"), node.toString());
        assertTrue(node.get("lossRatio") instanceof Double ratio && ratio >= 0 && ratio <= 1, node.toString());
        assertTrue(node.get("srttMs") instanceof Double srtt && srtt > 0 && srtt < 200, node.toString());
        assertTrue(node.get("rttVarianceMs") instanceof Double, node.toString());
        assertTrue(
                node.get("probeTimeoutMs") instanceof Double timeout && timeout >= 100 && timeout <= 200,
                "the RTO within the configured floor and ceiling: " + node);
        assertTrue(node.get("clockOffsetMs") instanceof Double, node.toString());
        assertTrue(node.get("clockOffsetErrorMs") instanceof Double error && error >= 0, node.toString());
        Instant firstContact = Instant.parse((String) node.get("firstContact"));
        Instant lastContact = Instant.parse((String) node.get("lastContact"));
        assertTrue(((String) node.get("firstContact")).endsWith("Z"), "UTC: " + node);
        assertFalse(lastContact.isBefore(firstContact), node.toString());
        assertEquals(null, node.get("lastError"));
    }

    @Test
    void statusOfOneNodeIsThatNodeAlone() throws Exception {
        HttpResponse<String> response = get("/status/" + first.localId());
        assertEquals(200, response.statusCode());
        assertEquals("application/json", contentType(response));
        assertAliveNode(Json.object(response.body()), first);
    }

    @Test
    void anUnknownNodeIs404AndAMalformedIdIs400() throws Exception {
        assertError(get("/status/127.0.0.1:9"), 404, "{\"error\":\"unknown node 127.0.0.1:9\"}");
        assertError(get("/status/%5B::1%5D:7946"), 404, "{\"error\":\"unknown node [::1]:7946\"}");
        assertError(
                get("/status/not-a-node"),
                400,
                "{\"error\":\"node id must be host:port (IPv6 in brackets), got \\\"not-a-node\\\"\"}");
        assertError(get("/status/127.0.0.1:99999"), 400, "{\"error\":\"port must be in 1..65535, got 99999\"}");
    }

    @Test
    void otherPathsAre404AndOtherMethods405() throws Exception {
        assertError(get("/nope"), 404, "{\"error\":\"no such path: /nope\"}");
        assertError(send("POST", "/nope"), 404, "{\"error\":\"no such path: /nope\"}");
        HttpResponse<String> post = send("POST", "/status");
        assertError(post, 405, "{\"error\":\"method POST not allowed on /status\"}");
        assertEquals("GET, HEAD", post.headers().firstValue("allow").orElse(null));
        HttpResponse<String> delete = send("DELETE", "/metrics");
        assertEquals(405, delete.statusCode());
        assertEquals("GET, HEAD", delete.headers().firstValue("allow").orElse(null));
        HttpResponse<String> health = send("PUT", "/health");
        assertEquals(405, health.statusCode());
        assertEquals("GET, HEAD", health.headers().firstValue("allow").orElse(null));
    }

    @Test
    void headHasTheHeadersOfGetAndNoBody() throws Exception {
        HttpResponse<String> head = send("HEAD", "/status/" + first.localId());
        assertEquals(200, head.statusCode());
        assertEquals("application/json", contentType(head));
        assertEquals("", head.body());
        long length = head.headers().firstValueAsLong("content-length").orElse(-1);
        assertTrue(length > 100, "the length of the GET body: " + length);
    }

    @Test
    void aBadRequestCostsItsAnswerAndTheConnectionStaysOpen() throws Exception {
        try (Socket socket = new Socket("127.0.0.1", api.localAddress().getPort())) {
            socket.setSoTimeout((int) LIMIT.toMillis());
            OutputStream out = socket.getOutputStream();
            out.write(("GET /nope HTTP/1.1\r\nHost: x\r\n\r\nGET /status/bad HTTP/1.1\r\nHost: x\r\n\r\n"
                            + "GET /status/%zz HTTP/1.1\r\nHost: x\r\n\r\nGET /health HTTP/1.1\r\nHost: x\r\n\r\n")
                    .getBytes(StandardCharsets.US_ASCII));
            out.flush();
            InputStream in = socket.getInputStream();
            assertEquals("HTTP/1.1 404 Not Found", readResponse(in));
            assertEquals("HTTP/1.1 400 Bad Request", readResponse(in));
            assertEquals("HTTP/1.1 400 Bad Request", readResponse(in), "a malformed %-escape");
            assertEquals("HTTP/1.1 200 OK", readResponse(in));
        }
        try (Socket socket = new Socket("127.0.0.1", api.localAddress().getPort())) {
            socket.setSoTimeout((int) LIMIT.toMillis());
            socket.getOutputStream().write("NOT HTTP AT ALL\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
            InputStream in = socket.getInputStream();
            assertEquals("HTTP/1.1 400 Bad Request", readResponse(in));
            assertEquals(-1, in.read(), "a request that cannot be read closes its connection");
        }
        assertEquals(200, get("/health").statusCode(), "and only that connection");
    }

    /** Reads one response with a Content-Length body; returns its status line. */
    private static String readResponse(InputStream in) throws IOException {
        StringBuilder head = new StringBuilder();
        while (!head.toString().endsWith("\r\n\r\n")) {
            int b = in.read();
            if (b < 0) {
                throw new AssertionError("connection closed after " + head);
            }
            head.append((char) b);
        }
        String[] lines = head.toString().split("\r\n");
        int length = Arrays.stream(lines)
                .filter(l -> l.toLowerCase().startsWith("content-length:"))
                .mapToInt(l -> Integer.parseInt(l.substring(15).trim()))
                .findFirst()
                .orElse(0);
        assertEquals(length, in.readNBytes(length).length);
        return lines[0];
    }

    @Test
    void metricsHaveEveryPromisedNameWithPlausibleValues() throws Exception {
        monitor.stopProbing();
        try {
            assertMetricsOfAQuietEngine();
        } finally {
            monitor.startProbing();
        }
    }

    private void assertMetricsOfAQuietEngine() throws Exception {
        // Once the last ACK in flight has landed, every probe sent was answered (one RTT sample) or lost.
        Eventually.await(
                "the last ACK in flight",
                () -> monitor.statusAll().stream()
                        .mapToLong(n -> n.totalProbes() - n.lostProbes())
                        .sum(),
                answered -> answered == samples.get(),
                LIMIT);
        try (DatagramSocket socket = new DatagramSocket(new InetSocketAddress("127.0.0.1", 0))) {
            byte[] garbage = new byte[24];
            socket.send(new DatagramPacket(garbage, garbage.length, monitor.localAddress()));
        }
        Map<String, Double> metrics = Eventually.await(
                "the bad datagram counted",
                this::scrape,
                m -> Double.valueOf(1).equals(m.get("pulse_datagrams_rejected_total{reason=\"BAD_MAGIC\"}")),
                LIMIT);

        assertEquals(2.0, metrics.get("pulse_nodes{state=\"ALIVE\"}"));
        for (String state : List.of("PENDING", "SUSPECT", "DEAD")) {
            assertEquals(0.0, metrics.get("pulse_nodes{state=\"" + state + "\"}"), state);
        }
        assertEquals(0.0, metrics.get("pulse_datagrams_rejected_total{reason=\"OVERSIZE\"}"));
        double sent = metrics.get("pulse_probes_sent_total");
        double answered = metrics.get("pulse_probes_answered_total");
        assertEquals((double) samples.get(), answered);
        assertTrue(answered >= 2, "both responders answered: " + answered);
        assertEquals(sent, answered + metrics.get("pulse_probes_lost_total"));
        assertEquals(answered, metrics.get("pulse_rtt_seconds_count{kind=\"PULSE\"}"));
        assertEquals(answered, metrics.get("pulse_rtt_seconds_bucket{kind=\"PULSE\",le=\"+Inf\"}"));
        assertEquals(0.0, metrics.get("pulse_rtt_seconds_count{kind=\"EXTERNAL\"}"));
        assertTrue(metrics.get("pulse_rtt_seconds_bucket{kind=\"PULSE\",le=\"0.25\"}") > 0, "loopback: under 250 ms");
        assertEquals(0.0, metrics.get("pulse_listener_errors_total"));
        assertEquals(1.0, metrics.get("pulse_local_health_multiplier"), "healthy: nothing stretched");
        assertTrue(metrics.get("pulse_datagrams_received_total") >= answered + 1, "the ACKs and the bad datagram");
        for (String quiet : List.of(
                "pulse_answers_limited_total",
                "pulse_relays_refused_total",
                "pulse_relays_dropped_total",
                "pulse_acks_unmatched_total",
                "pulse_acks_misaddressed_total",
                "pulse_acks_implausible_total")) {
            assertEquals(0.0, metrics.get(quiet), quiet);
        }
        assertEquals(null, metrics.get("pulse_datagrams_authenticated_total"), "no keyring, no authentication meters");
        assertEquals(
                1.0,
                metrics.get("pulse_build_info{version=\"" + BuildInfo.current().version() + "\"}"));
        assertTrue(metrics.get("process_uptime_seconds") > 0, "JVM and process meters on the same page");
        assertTrue(metrics.get("jvm_threads_live_threads") > 0);
        assertTrue(metrics.get("jvm_classes_loaded_classes") > 0);
        assertTrue(
                metrics.keySet().stream().anyMatch(name -> name.startsWith("jvm_memory_used_bytes{area=\"heap\"")),
                metrics.keySet().toString());

        Map<String, Double> publisherMetrics = new LinkedHashMap<>();
        metrics.forEach((name, value) -> {
            if (name.startsWith("pulse_outbox_")
                    || name.startsWith("pulse_events_")
                    || name.startsWith("pulse_kafka_")) {
                publisherMetrics.put(name, value);
            }
        });
        assertEquals(
                Map.of(
                        "pulse_outbox_pending_events",
                        2.0,
                        "pulse_outbox_pending_bytes",
                        512.0,
                        "pulse_outbox_max_bytes",
                        1048576.0,
                        "pulse_events_published_total",
                        10.0,
                        "pulse_events_acknowledged_total",
                        7.0,
                        "pulse_kafka_send_errors_total",
                        3.0,
                        "pulse_events_dropped_total",
                        1.0,
                        "pulse_events_poisoned_total",
                        2.0,
                        "pulse_outbox_corruptions_total",
                        1.0,
                        "pulse_outbox_lost_events_total",
                        4.0),
                publisherMetrics);
    }

    @Test
    void withoutAPublisherItsMetricsAreLeftOut() throws Exception {
        publisher.set(null);
        try {
            Map<String, Double> metrics = scrape();
            assertEquals(
                    List.of(),
                    metrics.keySet().stream()
                            .filter(name -> name.startsWith("pulse_outbox_") || name.startsWith("pulse_kafka_"))
                            .toList());
            assertEquals(2.0, metrics.get("pulse_nodes{state=\"ALIVE\"}"));
        } finally {
            publisher.set(STATS);
        }
        assertEquals(2.0, scrape().get("pulse_outbox_pending_events"), "back with the publisher");
    }

    @Test
    void theMetricsObjectServesOneServer() {
        PulseMetrics metrics = PulseMetrics.create();
        try (ApiServer other = ApiServer.start(new InetSocketAddress("127.0.0.1", 0), first, () -> null, metrics)) {
            assertEquals(
                    "these metrics are bound to an engine already (one PulseMetrics per ApiServer)",
                    assertThrows(
                                    IllegalStateException.class,
                                    () -> ApiServer.start(
                                            new InetSocketAddress("127.0.0.1", 0), first, () -> null, metrics))
                            .getMessage());
            assertTrue(other.localAddress().getPort() > 0);
        }
    }

    @Test
    void eachHttpOrTcpTargetHasItsOwnUpAndRttSeriesWhilePulsePeersAreOnlyCounted() throws Exception {
        try (AcceptingService service = AcceptingService.start();
                PulseEngine watcher = PulseEngine.builder()
                        .bind(new InetSocketAddress("127.0.0.1", 0))
                        .config(FAST)
                        .start();
                ApiServer server = ApiServer.start(
                        new InetSocketAddress("127.0.0.1", 0), watcher, () -> null, PulseMetrics.create())) {
            NodeId tcp = watcher.addTcpTarget(
                    io.pulse.transport.probe.TcpProbeSpec.of("127.0.0.1:" + service.port()), TargetOptions.defaults());
            NodeId peer = watcher.addTarget(first.localId(), TargetOptions.defaults());
            String up = "pulse_target_up{node=\"" + tcp + "\"}";
            String rtt = "pulse_target_rtt_seconds{node=\"" + tcp + "\"}";
            Map<String, Double> metrics = Eventually.await(
                    "the TCP target up with an RTT", () -> scrape(server), m -> m.containsKey(rtt), LIMIT);
            assertEquals(1.0, metrics.get(up));
            assertTrue(metrics.get(rtt) > 0 && metrics.get(rtt) < 1, rtt + " " + metrics.get(rtt));
            assertFalse(metrics.containsKey("pulse_target_up{node=\"" + peer + "\"}"), "a Pulse peer has no series");

            service.close();
            Eventually.await("the TCP target down", () -> scrape(server).get(up), v -> v != null && v == 0.0, LIMIT);
            watcher.remove(tcp);
            assertEquals(
                    List.of(),
                    scrape(server).keySet().stream()
                            .filter(name -> name.startsWith("pulse_target_"))
                            .toList(),
                    "a removed target's series go");
        }
    }

    /** GET /metrics, checked for its content type, as sample name (with labels) to value. */
    private Map<String, Double> scrape() {
        return scrape(api);
    }

    private Map<String, Double> scrape(ApiServer server) {
        try {
            HttpResponse<String> response = http.send(
                    HttpRequest.newBuilder(URI.create(
                                    "http://127.0.0.1:" + server.localAddress().getPort() + "/metrics"))
                            .timeout(LIMIT)
                            .build(),
                    HttpResponse.BodyHandlers.ofString());
            assertEquals(200, response.statusCode());
            assertEquals("text/plain; version=0.0.4; charset=utf-8", contentType(response));
            Map<String, Double> samples = new LinkedHashMap<>();
            for (String line : response.body().split("\n")) {
                if (!line.isEmpty() && !line.startsWith("#")) {
                    int space = line.lastIndexOf(' ');
                    samples.put(line.substring(0, space), Double.parseDouble(line.substring(space + 1)));
                }
            }
            return samples;
        } catch (IOException e) {
            throw new AssertionError(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }
}
