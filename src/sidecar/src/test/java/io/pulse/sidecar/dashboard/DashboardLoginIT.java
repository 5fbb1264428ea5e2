package io.pulse.sidecar.dashboard;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.pulse.sidecar.http.ApiLimits;
import io.pulse.sidecar.http.ServerTls;
import io.pulse.testkit.SelfSignedPem;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.InetSocketAddress;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Properties;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The dashboard with a token and TLS over a real socket (no broker: nothing listens on 127.0.0.1:1):
 * HTTPS, the login form, the Secure cookie, and the event stream and JSON closed without it.
 */
class DashboardLoginIT {
    private static final Duration LIMIT = Duration.ofSeconds(10);

    @TempDir
    Path dir;

    @Test
    void overHttpsTheStreamAndJsonNeedTheCookieOfTheLoginForm() throws Exception {
        SelfSignedPem pem = SelfSignedPem.create(dir, "dashboard", "EC");
        Properties consumer = new Properties();
        consumer.put("bootstrap.servers", "127.0.0.1:1");
        ApiLimits http = ApiLimits.defaults()
                .withToken("d4shb0ard")
                .withTls(ServerTls.fromPem("cert", pem.certFile(), "key", pem.keyFile()));
        try (Dashboard dashboard = Dashboard.start(
                consumer, "pulse", new InetSocketAddress("127.0.0.1", 0), HistoryLimits.defaults(), http)) {
            assertTrue(
                    dashboard.url().toString().startsWith("https://127.0.0.1:"),
                    dashboard.url().toString());
            HttpClient client = HttpClient.newBuilder()
                    .sslContext(pem.trusting())
                    .connectTimeout(LIMIT)
                    .build();

            HttpResponse<String> page = client.send(get(dashboard, "/", null), HttpResponse.BodyHandlers.ofString());
            assertEquals(303, page.statusCode());
            assertEquals("login", page.headers().firstValue("location").orElseThrow());
            HttpResponse<String> snapshot =
                    client.send(get(dashboard, "/api/snapshot", null), HttpResponse.BodyHandlers.ofString());
            assertEquals(401, snapshot.statusCode());
            assertEquals("{\"error\":\"log in at /login (or send Authorization: Bearer <token>)\"}", snapshot.body());
            assertEquals(
                    401,
                    client.send(get(dashboard, "/events", null), HttpResponse.BodyHandlers.ofString())
                            .statusCode());

            HttpResponse<String> in = client.send(
                    HttpRequest.newBuilder(dashboard.url().resolve("/login"))
                            .header("Content-Type", "application/x-www-form-urlencoded")
                            .POST(HttpRequest.BodyPublishers.ofString("token=d4shb0ard"))
                            .timeout(LIMIT)
                            .build(),
                    HttpResponse.BodyHandlers.ofString());
            assertEquals(303, in.statusCode());
            String setCookie = in.headers().firstValue("set-cookie").orElseThrow();
            for (String attribute : new String[] {"; secure", "; httponly", "; samesite=strict"}) {
                assertTrue(setCookie.toLowerCase(java.util.Locale.ROOT).contains(attribute), setCookie);
            }
            String cookie = setCookie.substring(0, setCookie.indexOf(';'));

            assertEquals(
                    200,
                    client.send(get(dashboard, "/api/snapshot", cookie), HttpResponse.BodyHandlers.ofString())
                            .statusCode());
            HttpResponse<java.io.InputStream> stream =
                    client.send(get(dashboard, "/events", cookie), HttpResponse.BodyHandlers.ofInputStream());
            assertEquals(200, stream.statusCode());
            try (BufferedReader lines =
                    new BufferedReader(new InputStreamReader(stream.body(), StandardCharsets.UTF_8))) {
                String first = lines.readLine();
                assertTrue(first.startsWith("data: {\"type\":\"snapshot\""), first);
            }
        }
    }

    private static HttpRequest get(Dashboard dashboard, String path, String cookie) {
        HttpRequest.Builder request =
                HttpRequest.newBuilder(dashboard.url().resolve(path)).timeout(LIMIT);
        if (cookie != null) {
            request.header("Cookie", cookie);
        }
        return request.build();
    }
}
