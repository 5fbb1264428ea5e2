package io.pulse.events;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import org.apache.avro.Schema;
import org.apache.avro.SchemaParseException;

/**
 * The two calls of a Confluent-compatible schema registry's REST API that the Confluent wire format
 * needs: register a schema under a subject ({@code POST /subjects/{subject}/versions}, answer
 * {@code {"id": N}}) and fetch a schema by id ({@code GET /schemas/ids/{id}}, answer
 * {@code {"schema": "<json>"}}). Both answers are cached for the client's life: an id names one
 * schema forever, and registering the same schema again returns the same id.
 *
 * <pre>{@code
 * SchemaRegistryClient registry = new SchemaRegistryClient(URI.create("http://registry:8081"), null,
 *         Duration.ofSeconds(5));
 * int id = registry.register("pulse.status-value", StatusChange.getClassSchema());
 * Schema writer = registry.schema(id);
 * }</pre>
 *
 * Written by hand on the JDK's {@code HttpClient}: the consumer artifact promises Avro,
 * kafka-clients and slf4j only, and Confluent's client is not on Maven Central. The publisher
 * ({@code pulse.value.format=confluent}) uses it too. Thread-safe.
 */
public final class SchemaRegistryClient {
    private static final String CONTENT_TYPE = "application/vnd.schemaregistry.v1+json";
    /** The registry's URL, under the key Confluent's and Apicurio's clients use too. */
    public static final String URL_PROPERTY = "schema.registry.url";
    /** {@code user:password} for the registry's basic authentication. */
    public static final String USER_INFO_PROPERTY = "basic.auth.user.info";

    private final URI baseUrl;
    private final String authorization; // null: no basic auth
    private final Duration timeout;
    private final HttpClient http;
    private final ConcurrentMap<String, Integer> idsBySubjectAndSchema = new ConcurrentHashMap<>();
    private final ConcurrentMap<Integer, Schema> schemasById = new ConcurrentHashMap<>();

    /** {@code userInfo} ({@code user:password}) may be null: no basic auth. */
    public SchemaRegistryClient(URI baseUrl, String userInfo, Duration timeout) {
        String base = baseUrl.toString();
        this.baseUrl = URI.create(base.endsWith("/") ? base : base + "/");
        this.authorization = userInfo == null
                ? null
                : "Basic " + Base64.getEncoder().encodeToString(userInfo.getBytes(StandardCharsets.UTF_8));
        this.timeout = timeout;
        this.http = HttpClient.newBuilder().connectTimeout(timeout).build();
    }

    /**
     * The client that Kafka-style {@code properties} name with {@value #URL_PROPERTY} (and
     * {@value #USER_INFO_PROPERTY}), or null when they name none: how the consumer library, the
     * cluster view and {@code pulse tail} learn of a registry.
     */
    public static SchemaRegistryClient fromProperties(java.util.Map<?, ?> properties, Duration timeout) {
        Object url = properties.get(URL_PROPERTY);
        if (url == null) {
            return null;
        }
        Object user = properties.get(USER_INFO_PROPERTY);
        String userInfo = user instanceof org.apache.kafka.common.config.types.Password password
                ? password.value()
                : user == null ? null : String.valueOf(user);
        return new SchemaRegistryClient(baseUrl(String.valueOf(url)), userInfo, timeout);
    }

    /** {@code value} as a registry's base URL; throws IllegalArgumentException unless it is one http(s) URL. */
    public static URI baseUrl(String value) {
        try {
            URI uri = URI.create(value.trim());
            if (("http".equals(uri.getScheme()) || "https".equals(uri.getScheme())) && uri.getHost() != null) {
                return uri;
            }
        } catch (IllegalArgumentException e) {
            // reported below
        }
        throw new IllegalArgumentException("expected one http:// or https:// URL");
    }

    /**
     * The id under which {@code subject} has {@code schema}, registering it if it is new there;
     * throws {@link SchemaRegistryException} if the registry cannot be asked or refuses.
     */
    public int register(String subject, Schema schema) {
        String json = schema.toString();
        Integer cached = idsBySubjectAndSchema.get(subject + '\n' + json);
        if (cached != null) {
            return cached;
        }
        String path = "subjects/"
                + java.net.URLEncoder.encode(subject, StandardCharsets.UTF_8).replace("+", "%20") + "/versions";
        Map<String, Object> answer = call(
                path,
                HttpRequest.BodyPublishers.ofString("{\"schema\":" + Json.quote(json) + "}", StandardCharsets.UTF_8));
        if (!(answer.get("id") instanceof Long id) || id < 0 || id > Integer.MAX_VALUE) {
            throw new SchemaRegistryException(
                    uri(path) + " answered " + answer + " (expected: {\"id\": <int>})", 0, null);
        }
        idsBySubjectAndSchema.put(subject + '\n' + json, id.intValue());
        return id.intValue();
    }

    /** The schema with {@code id}; throws {@link SchemaRegistryException} if there is none or the registry cannot be asked. */
    public Schema schema(int id) {
        Schema cached = schemasById.get(id);
        if (cached != null) {
            return cached;
        }
        String path = "schemas/ids/" + id;
        Map<String, Object> answer = call(path, null);
        if (!(answer.get("schema") instanceof String json)) {
            throw new SchemaRegistryException(
                    uri(path) + " answered " + answer + " (expected: {\"schema\": <string>})", 0, null);
        }
        Schema schema;
        try {
            schema = new Schema.Parser().parse(json);
        } catch (SchemaParseException e) {
            throw new SchemaRegistryException(
                    uri(path) + " answered a schema that is no Avro schema: " + e.getMessage(), 0, e);
        }
        schemasById.putIfAbsent(id, schema);
        return schema;
    }

    /** GET {@code path}, or POST {@code body} to it; the answer's members, or the registry's error as an exception. */
    private Map<String, Object> call(String path, HttpRequest.BodyPublisher body) {
        URI uri = uri(path);
        HttpRequest.Builder request =
                HttpRequest.newBuilder(uri).timeout(timeout).header("Accept", CONTENT_TYPE + ", application/json");
        if (authorization != null) {
            request.header("Authorization", authorization);
        }
        if (body != null) {
            request.header("Content-Type", CONTENT_TYPE).POST(body);
        }
        HttpResponse<String> response;
        try {
            response = http.send(request.build(), HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
        } catch (HttpTimeoutException e) {
            throw new SchemaRegistryException(
                    "the schema registry did not answer " + uri + " within " + timeout.toMillis() + " ms", 0, e);
        } catch (IOException e) {
            throw new SchemaRegistryException("cannot reach the schema registry at " + uri + ": " + e, 0, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new SchemaRegistryException("interrupted while asking the schema registry " + uri, 0, e);
        }
        Map<String, Object> answer;
        try {
            answer = Json.object(response.body());
        } catch (IllegalArgumentException e) {
            answer = null;
        }
        if (response.statusCode() / 100 == 2 && answer != null) {
            return answer;
        }
        if (answer != null && answer.get("error_code") instanceof Long code) {
            throw new SchemaRegistryException(
                    "the schema registry answered " + uri + " with HTTP " + response.statusCode() + ", error_code "
                            + code + ": " + answer.get("message"),
                    code.intValue(),
                    null);
        }
        String text = response.body().length() > 200 ? response.body().substring(0, 200) + "..." : response.body();
        throw new SchemaRegistryException(
                "the schema registry answered " + uri + " with HTTP " + response.statusCode() + ": " + text, 0, null);
    }

    private URI uri(String path) {
        return baseUrl.resolve(path);
    }
}
