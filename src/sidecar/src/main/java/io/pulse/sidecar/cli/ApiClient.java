package io.pulse.sidecar.cli;

import io.pulse.sidecar.http.Json;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;

/** GETs one JSON document from a running sidecar's HTTP API, for {@code pulse status} and {@code pulse members}. */
final class ApiClient {
    private ApiClient() {}

    /** The body of {@code GET http://api/path}, with the token of {@code options}; errors name the URL and say what went wrong. */
    static String get(ApiOptions options, String path) throws IOException, InterruptedException {
        String api = options.api;
        URI uri;
        try {
            uri = URI.create("http://" + api + path);
        } catch (IllegalArgumentException e) {
            throw new UsageException("--api: got \"" + api + "\" (expected: host:port)");
        }
        HttpClient client =
                HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
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
