package io.pulse.sidecar.cli;

import io.pulse.sidecar.http.Json;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.time.Duration;
import java.util.Collection;
import java.util.Map;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

/** GETs one JSON document from a running sidecar's HTTP API, for {@code pulse status} and {@code pulse members}. */
final class ApiClient {
    private ApiClient() {}

    /**
     * The body of {@code GET http://api/path} ({@code https} with a {@code --ca-file}), with the token of
     * {@code options}; errors name the URL and say what went wrong.
     */
    static String get(ApiOptions options, String path) throws IOException, InterruptedException {
        String api = options.api;
        URI uri;
        try {
            uri = URI.create((options.caFile == null ? "http://" : "https://") + api + path);
        } catch (IllegalArgumentException e) {
            throw new UsageException("--api: got \"" + api + "\" (expected: host:port)");
        }
        HttpClient.Builder builder = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5));
        if (options.caFile != null) {
            builder.sslContext(trusting(options.caFile));
        }
        HttpClient client = builder.build();
        HttpResponse<String> response;
        try {
            HttpRequest.Builder request =
                    HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(10)).GET();
            if (options.tokenFile != null) {
                request.header("Authorization", "Bearer " + token(options.tokenFile));
            }
            response = client.send(request.build(), HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new IOException(
                    "cannot reach the sidecar's API at " + uri + ": "
                            + (e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage()),
                    e);
        }
        if (response.statusCode() != 200) {
            throw new IOException(uri + " answered HTTP " + response.statusCode() + ": " + response.body());
        }
        return response.body();
    }

    /** A TLS context that trusts the certificates of {@code file} (PEM) alone. */
    private static SSLContext trusting(Path file) {
        Collection<? extends Certificate> certificates;
        try (InputStream in = Files.newInputStream(file)) {
            certificates = CertificateFactory.getInstance("X.509").generateCertificates(in);
        } catch (IOException e) {
            throw new UsageException(
                    "--ca-file: cannot read " + file + " (" + e.getClass().getSimpleName() + ")");
        } catch (GeneralSecurityException notCertificates) {
            certificates = java.util.List.of();
        }
        if (certificates.isEmpty()) {
            throw new UsageException(
                    "--ca-file: no certificate in " + file + " (expected: PEM, -----BEGIN CERTIFICATE-----)");
        }
        try {
            KeyStore trusted = KeyStore.getInstance(KeyStore.getDefaultType());
            trusted.load(null, null);
            int n = 0;
            for (Certificate certificate : certificates) {
                trusted.setCertificateEntry("ca-" + n++, certificate);
            }
            TrustManagerFactory trust = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            trust.init(trusted);
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(null, trust.getTrustManagers(), null);
            return context;
        } catch (GeneralSecurityException | IOException e) {
            throw new IllegalStateException("cannot trust the certificates of " + file, e);
        }
    }

    private static String token(java.nio.file.Path file) {
        try {
            return java.nio.file.Files.readString(file).strip();
        } catch (IOException e) {
            throw new UsageException(
                    "--token-file: cannot read " + file + " (" + e.getClass().getSimpleName() + ")");
        }
    }

    /** {@code body} as a JSON object; {@code what} names the document in the error. */
    static Map<String, Object> object(String api, String path, String body, String what) throws IOException {
        try {
            return Json.object(body);
        } catch (IllegalArgumentException e) {
            throw new IOException("http://" + api + path + " answered what is not " + what + ": " + e.getMessage(), e);
        }
    }
}
