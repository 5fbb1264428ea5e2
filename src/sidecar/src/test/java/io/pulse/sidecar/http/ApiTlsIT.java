package io.pulse.sidecar.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.pulse.testkit.SelfSignedPem;
import io.pulse.transport.PulseEngine;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import javax.net.ssl.SSLHandshakeException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The API over HTTPS, a real TLS handshake on a real socket, with a certificate and PKCS#8 key made in
 * the test as PEM files ({@link SelfSignedPem}): what a client that trusts it gets, and what one that does
 * not, or that speaks plain HTTP, gets.
 */
class ApiTlsIT {
    private static final Duration LIMIT = Duration.ofSeconds(10);

    @TempDir
    Path dir;

    private SelfSignedPem pem;
    private PulseEngine engine;
    private ApiServer api;

    @BeforeEach
    void start() {
        pem = SelfSignedPem.create(dir, "pulse-api", "EC");
        ServerTls tls = ServerTls.fromPem("cert", pem.certFile(), "key", pem.keyFile());
        engine = PulseEngine.builder()
                .bind(new InetSocketAddress("127.0.0.1", 0))
                .probing(false)
                .start();
        api = ApiServer.start(
                new InetSocketAddress("127.0.0.1", 0),
                engine,
                () -> null,
                PulseMetrics.create(),
                ApiLimits.defaults().withToken("s3cret-t0ken").withTls(tls));
    }

    @AfterEach
    void stop() {
        api.close();
        engine.close();
    }

    private HttpResponse<String> get(HttpClient client, String scheme, String path, String token) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(
                        URI.create(scheme + "://127.0.0.1:" + api.localAddress().getPort() + path))
                .timeout(LIMIT);
        if (token != null) {
            request.header("Authorization", "Bearer " + token);
        }
        return client.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void aClientThatTrustsTheCertificateGetsTheApiOverHttps() throws Exception {
        HttpClient trusting = HttpClient.newBuilder()
                .sslContext(pem.trusting())
                .connectTimeout(LIMIT)
                .build();
        HttpResponse<String> status = get(trusting, "https", "/status", "s3cret-t0ken");
        assertEquals(200, status.statusCode(), status.body());
        assertTrue(status.body().startsWith("{\"node\":\"" + engine.localId() + "\""), status.body());
        assertEquals("TLSv1.3", status.sslSession().orElseThrow().getProtocol());
        assertEquals(pem.certificate(), status.sslSession().orElseThrow().getPeerCertificates()[0]);
        assertEquals(401, get(trusting, "https", "/status", null).statusCode(), "TLS is no token");
        assertEquals(200, get(trusting, "https", "/health", null).statusCode());
    }

    @Test
    void aClientThatDoesNotTrustItOrSpeaksPlainHttpGetsNothing() {
        HttpClient defaults = HttpClient.newBuilder().connectTimeout(LIMIT).build();
        assertThrows(SSLHandshakeException.class, () -> get(defaults, "https", "/health", null));
        assertThrows(java.io.IOException.class, () -> get(defaults, "http", "/health", null));
    }
}
