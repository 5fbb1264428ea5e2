package io.pulse.events.serde;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.avro.Schema;

/**
 * A schema registry that implements exactly the documented Confluent REST calls Pulse makes, and
 * their documented answers: {@code POST /subjects/{subject}/versions} with {@code {"schema": "<json>"}}
 * answers {@code {"id": N}} (one id per distinct schema, whatever the subject, as Confluent's
 * registry does); {@code GET /schemas/ids/{id}} answers {@code {"schema": "<json>"}} or 404 with
 * {@code {"error_code": 40403, "message": "Schema <id> not found"}}. With {@link #requireBasicAuth} it
 * answers 401 {@code {"error_code": 401, ...}} to a request without those credentials; with
 * {@link #backendDown} 500 {@code {"error_code": 50001, ...}}.
 *
 * <pre>{@code
 * try (FakeSchemaRegistry registry = FakeSchemaRegistry.start()) {
 *     props.put("schema.registry.url", registry.url());
 * }
 * }</pre>
 *
 * No real registry can run in this build; this follows the published API reference.
 */
public final class FakeSchemaRegistry implements AutoCloseable {
    private static final Pattern REGISTER = Pattern.compile("/subjects/([^/]+)/versions");
    private static final Pattern BY_ID = Pattern.compile("/schemas/ids/(\\d+)");
    private static final ObjectMapper JSON = new ObjectMapper();

    private final HttpServer server;
    private final ExecutorService executor = Executors.newCachedThreadPool();
    private final Map<String, Integer> idsBySchema = new LinkedHashMap<>();
    private final Map<Integer, String> schemasById = new LinkedHashMap<>();
    private final Map<String, List<Integer>> subjects = new LinkedHashMap<>();
    private final List<String> requests = new ArrayList<>();
    private volatile String requiredAuthorization;
    private volatile CountDownLatch hold;
    private volatile boolean backendDown;

    private FakeSchemaRegistry(HttpServer server) {
        this.server = server;
    }

    public static FakeSchemaRegistry start() throws IOException {
        FakeSchemaRegistry registry =
                new FakeSchemaRegistry(HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0));
        registry.server.createContext("/", registry::handle);
        registry.server.setExecutor(registry.executor);
        registry.server.start();
        return registry;
    }

    public String url() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    /** Answers 401 to any request without {@code user:password} in basic auth. */
    public void requireBasicAuth(String userInfo) {
        requiredAuthorization =
                "Basic " + Base64.getEncoder().encodeToString(userInfo.getBytes(StandardCharsets.UTF_8));
    }

    /** While down, every request is answered 500 {@code {"error_code": 50001, ...}}, as the registry does when its store fails. */
    public void backendDown(boolean down) {
        backendDown = down;
    }

    /** Every request will wait for the returned latch before it is answered. */
    public CountDownLatch holdAnswers() {
        hold = new CountDownLatch(1);
        return hold;
    }

    /** Registers {@code schema} under {@code subject} as a producer would, and returns its id. */
    public synchronized int register(String subject, Schema schema) {
        String json = schema.toString();
        int id = idsBySchema.computeIfAbsent(json, s -> idsBySchema.size() + 1);
        schemasById.put(id, json);
        List<Integer> versions = subjects.computeIfAbsent(subject, s -> new ArrayList<>());
        if (!versions.contains(id)) {
            versions.add(id);
        }
        return id;
    }

    /** The subjects and the ids registered under each, in order. */
    public synchronized Map<String, List<Integer>> subjects() {
        return Map.copyOf(subjects);
    }

    /** "METHOD path" of every request so far, in order. */
    public synchronized List<String> requests() {
        return List.copyOf(requests);
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            String method = exchange.getRequestMethod();
            String path = exchange.getRequestURI().getRawPath();
            synchronized (this) {
                requests.add(method + " " + path);
            }
            CountDownLatch held = hold;
            if (held != null) {
                held.await(30, TimeUnit.SECONDS);
            }
            if (backendDown) {
                answer(exchange, 500, error(50001, "Error in the backend data store"));
                return;
            }
            String auth = requiredAuthorization;
            if (auth != null && !auth.equals(exchange.getRequestHeaders().getFirst("Authorization"))) {
                answer(exchange, 401, error(401, "Unauthorized"));
                return;
            }
            Matcher register = REGISTER.matcher(path);
            Matcher byId = BY_ID.matcher(path);
            if (method.equals("POST") && register.matches()) {
                JsonNode body = JSON.readTree(exchange.getRequestBody());
                Schema schema;
                try {
                    schema = new Schema.Parser().parse(body.get("schema").asText());
                } catch (RuntimeException e) {
                    answer(exchange, 422, error(42201, "Invalid schema"));
                    return;
                }
                int id = register(URLDecoder.decode(register.group(1), StandardCharsets.UTF_8), schema);
                answer(exchange, 200, JSON.createObjectNode().put("id", id).toString());
            } else if (method.equals("GET") && byId.matches()) {
                String schema;
                synchronized (this) {
                    schema = schemasById.get(Integer.parseInt(byId.group(1)));
                }
                if (schema == null) {
                    answer(exchange, 404, error(40403, "Schema " + byId.group(1) + " not found"));
                } else {
                    answer(
                            exchange,
                            200,
                            JSON.createObjectNode().put("schema", schema).toString());
                }
            } else {
                answer(exchange, 404, error(404, "HTTP 404 Not Found"));
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static String error(int code, String message) {
        return JSON.createObjectNode()
                .put("error_code", code)
                .put("message", message)
                .toString();
    }

    private static void answer(HttpExchange exchange, int status, String json) throws IOException {
        byte[] body = json.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", "application/vnd.schemaregistry.v1+json");
        exchange.sendResponseHeaders(status, body.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(body);
        }
    }

    @Override
    public void close() {
        CountDownLatch held = hold;
        if (held != null) {
            held.countDown();
        }
        server.stop(0);
        executor.shutdownNow();
    }
}
