package io.pulse.sidecar.cli;

import io.pulse.sidecar.http.Json;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code pulse status}: asks a running sidecar's HTTP API and prints its nodes. */
@Command(name = "status", mixinStandardHelpOptions = true,
        description = "Asks a running sidecar's HTTP API (GET /status) and prints every node it watches.")
final class StatusCommand implements Callable<Integer> {
    private static final String ROW = "%-24s  %-8s  %-8s  %10s  %8s  %12s  %s%n";

    @CommandLine.ParentCommand
    PulseCommand parent;

    @Option(names = "--api", paramLabel = "HOST:PORT", defaultValue = "${env:PULSE_HTTP_BIND:-127.0.0.1:8946}",
            description = "The sidecar's HTTP API (default: $PULSE_HTTP_BIND or 127.0.0.1:8946).")
    String api;

    @Option(names = "--json", description = "Print the API's JSON as it is.")
    boolean json;

    @Override
    public Integer call() throws Exception {
        URI uri;
        try {
            uri = URI.create("http://" + api + "/status");
        } catch (IllegalArgumentException e) {
            throw new UsageException("--api: got \"" + api + "\" (expected: host:port)");
        }
        HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
        HttpResponse<String> response;
        try {
            response = client.send(HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(10)).GET().build(),
                    HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new IOException("cannot reach the sidecar's API at " + uri + ": "
                    + (e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage()), e);
        }
        if (response.statusCode() != 200) {
            throw new IOException(uri + " answered HTTP " + response.statusCode() + ": " + response.body());
        }
        if (json) {
            parent.out().println(response.body());
            return PulseCommand.OK;
        }
        Map<String, Object> body;
        try {
            body = Json.object(response.body());
        } catch (IllegalArgumentException e) {
            throw new IOException(uri + " answered what is not a status document: " + e.getMessage(), e);
        }
        @SuppressWarnings("unchecked")
        List<Map<String, Object>> nodes = (List<Map<String, Object>>) body.getOrDefault("nodes", List.of());
        parent.out().println("pulse " + body.get("node") + ": " + nodes.size() + " node(s)");
        parent.out().printf(Locale.ROOT, ROW, "NODE", "STATE", "KIND", "SRTT ms", "LOSS", "OFFSET ms", "LAST CONTACT");
        for (Map<String, Object> node : nodes) {
            parent.out().printf(Locale.ROOT, ROW, node.get("id"), node.get("state"), node.get("kind"),
                    number(node.get("srttMs"), "%.3f"), number(node.get("lossRatio") instanceof Number n ? n.doubleValue() * 100 : null, "%.1f%%"),
                    number(node.get("clockOffsetMs"), "%+.3f"), node.get("lastContact") == null ? "never" : node.get("lastContact"));
        }
        parent.out().flush();
        return PulseCommand.OK;
    }

    private static String number(Object value, String format) {
        return value instanceof Number n ? String.format(Locale.ROOT, format, n.doubleValue()) : "-";
    }
}
