package io.pulse.sidecar.dashboard;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.pulse.sidecar.http.Json;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.InetSocketAddress;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The dashboard's HTTP side over a real socket, with no broker to reach (nothing listens on
 * 127.0.0.1:1): the page and its assets, the JSON routes, errors, and the event stream that
 * starts with a snapshot and then says Kafka is down.
 */
class DashboardServerIT {
    static Dashboard dashboard;
    static final HttpClient CLIENT =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    @BeforeAll
    static void start() {
        java.util.Properties consumer = new java.util.Properties();
        consumer.put("bootstrap.servers", "127.0.0.1:1");
        dashboard = Dashboard.start(consumer, "pulse", new InetSocketAddress("127.0.0.1", 0), HistoryLimits.defaults());
    }

    @AfterAll
    static void stop() {
        dashboard.close();
    }

    static HttpResponse<String> send(String method, String path) throws Exception {
        return CLIENT.send(
                HttpRequest.newBuilder(dashboard.url().resolve(path))
                        .method(method, HttpRequest.BodyPublishers.noBody())
                        .timeout(Duration.ofSeconds(5))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void servesThePageAndItsAssetsFromTheJarWithTheirTypesAndAPolicy() throws Exception {
        HttpResponse<String> page = send("GET", "/");
        assertEquals(200, page.statusCode());
        assertEquals(
                "text/html; charset=utf-8",
                page.headers().firstValue("content-type").orElseThrow());
        assertTrue(page.body().contains("<title>Pulse dashboard</title>"), page.body());
        assertEquals(
                "nosniff", page.headers().firstValue("x-content-type-options").orElseThrow());
        assertTrue(page.headers()
                .firstValue("content-security-policy")
                .orElseThrow()
                .startsWith("default-src 'self'"));
        assertEquals(
                "text/javascript; charset=utf-8",
                send("GET", "/app.js").headers().firstValue("content-type").orElseThrow());
        assertEquals(
                "text/css; charset=utf-8",
                send("GET", "/app.css").headers().firstValue("content-type").orElseThrow());
        assertEquals("", send("HEAD", "/").body());
    }

    @Test
    void answersErrorsWithJsonAndTheRightStatus() throws Exception {
        HttpResponse<String> missing = send("GET", "/nope");
        assertEquals(404, missing.statusCode());
        assertEquals("{\"error\":\"no such path: /nope\"}", missing.body());
        HttpResponse<String> post = send("POST", "/api/snapshot");
        assertEquals(405, post.statusCode());
        assertEquals("GET, HEAD", post.headers().firstValue("allow").orElseThrow());
        HttpResponse<String> noId = send("GET", "/api/node");
        assertEquals(400, noId.statusCode());
        assertEquals("{\"error\":\"expected one parameter id=<node id>\"}", noId.body());
        assertEquals(
                "{\"id\":\"10.0.0.1:7946\",\"node\":null,\"events\":[],\"failure\":null}",
                send("GET", "/api/node?id=10.0.0.1%3A7946").body());
    }

    @Test
    void theEventStreamStartsWithASnapshotThenTellsThatKafkaIsDown() throws Exception {
        HttpResponse<java.io.InputStream> stream = CLIENT.send(
                HttpRequest.newBuilder(dashboard.url().resolve("/events")).build(),
                HttpResponse.BodyHandlers.ofInputStream());
        assertEquals(200, stream.statusCode());
        assertEquals(
                "text/event-stream; charset=utf-8",
                stream.headers().firstValue("content-type").orElseThrow());
        try (BufferedReader lines = new BufferedReader(new InputStreamReader(stream.body(), StandardCharsets.UTF_8))) {
            String first = lines.readLine();
            assertTrue(first.startsWith("data: {\"type\":\"snapshot\",\"seq\":0,"), first);
            long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
            String kafka = "";
            while (!kafka.equals("down") && System.nanoTime() < deadline) {
                String line = lines.readLine();
                if (line.startsWith("data: ")) {
                    Map<String, Object> batch = Json.object(line.substring("data: ".length()));
                    kafka = (String) ((Map<?, ?>) batch.get("connection")).get("kafka");
                }
            }
            assertEquals("down", kafka);
        }
    }
}
