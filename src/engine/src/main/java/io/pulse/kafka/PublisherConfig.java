package io.pulse.kafka;

import io.pulse.events.SchemaRegistryClient;
import io.pulse.events.Topics;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Collections;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.config.AbstractConfig;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.ConfigDef.Importance;
import org.apache.kafka.common.config.ConfigDef.Type;
import org.apache.kafka.common.config.ConfigException;
import org.apache.kafka.common.config.types.Password;

/**
 * The publisher's settings, each declared once (key, type, default, validator, doc) in
 * {@link #DEFINITION}; keys that do not start with {@code pulse.} are Kafka client properties
 * (bootstrap servers, TLS, SASL, ...) passed to the producer and the admin client.
 *
 * <pre>{@code
 * PublisherConfig config = PublisherConfig.parse(Map.of(
 *         "bootstrap.servers", "kafka-1:9092",
 *         "pulse.observer", "10.0.0.1:7946",
 *         "pulse.outbox.dir", "/var/lib/pulse/outbox"));
 * }</pre>
 *
 * Immutable once parsed. Every invalid value fails {@link #parse} with a {@link ConfigException}
 * that names the key, the value and what is allowed.
 *
 * <p>Over 400 lines because it is the one declaration of every publisher setting (a block each)
 * and the rules across them; the documentation is generated from it, so it stays in one place.
 */
public final class PublisherConfig {
    public static final String OBSERVER = "pulse.observer";
    public static final String CLUSTER = "pulse.cluster";
    public static final String TOPIC_PREFIX = "pulse.topic.prefix";
    public static final String TOPIC_PARTITIONS = "pulse.topic.partitions";
    public static final String TOPIC_REPLICATION_FACTOR = "pulse.topic.replication.factor";
    public static final String OUTBOX_DIR = "pulse.outbox.dir";
    public static final String OUTBOX_MAX_BYTES = "pulse.outbox.max.bytes";
    public static final String MAX_IN_FLIGHT_EVENTS = "pulse.sender.max.in.flight.events";
    public static final String RETRY_BACKOFF_MS = "pulse.sender.retry.backoff.ms";
    public static final String STARTUP_TIMEOUT_MS = "pulse.startup.timeout.ms";
    public static final String CLOSE_TIMEOUT_MS = "pulse.close.timeout.ms";
    public static final String HEARTBEAT_INTERVAL_MS = "pulse.heartbeat.interval.ms";
    public static final String VALUE_FORMAT = "pulse.value.format";
    /** Confluent's key, as the serdes and Confluent's own clients name it. */
    public static final String SCHEMA_REGISTRY_URL = "schema.registry.url";
    /** Confluent's key. */
    public static final String BASIC_AUTH_USER_INFO = "basic.auth.user.info";

    /** Topics are {@code pulse.failures}, {@code pulse.status}, {@code pulse.schemas} and {@code pulse.heartbeats}. */
    public static final String DEFAULT_TOPIC_PREFIX = Topics.DEFAULT_PREFIX;
    /** -1: the broker's {@code num.partitions} / {@code default.replication.factor}. */
    public static final int BROKER_DEFAULT = -1;
    /** Bytes of unacknowledged events the outbox may hold (256 MiB); past it new events are dropped. */
    public static final long DEFAULT_OUTBOX_MAX_BYTES = 256L * 1024 * 1024;
    /** Events handed to the producer and not yet acknowledged, at most. */
    public static final int DEFAULT_MAX_IN_FLIGHT_EVENTS = 10_000;
    /** Wait before sending again events whose delivery failed. */
    public static final long DEFAULT_RETRY_BACKOFF_MS = 1_000;
    /** How long start-up waits for Kafka to check the topics before the publisher starts anyway. */
    public static final long DEFAULT_STARTUP_TIMEOUT_MS = 30_000;
    /** How long close() waits for Kafka to acknowledge the outbox; the rest is sent after the next start. */
    public static final long DEFAULT_CLOSE_TIMEOUT_MS = 30_000;
    /** How often the publisher says on {@code <prefix>.heartbeats} that it is alive and watching. */
    public static final long DEFAULT_HEARTBEAT_INTERVAL_MS = 10_000;
    /** Producer settings the publisher chooses unless the configuration says otherwise. */
    static final Map<String, Object> PRODUCER_DEFAULTS =
            Map.of(ProducerConfig.LINGER_MS_CONFIG, 1, ProducerConfig.COMPRESSION_TYPE_CONFIG, "lz4");

    /** The declaration of every {@code pulse.*} setting; the table in docs/kafka.md comes from it. */
    public static final ConfigDef DEFINITION = new ConfigDef()
            .define(
                    OBSERVER,
                    Type.STRING,
                    ConfigDef.NO_DEFAULT_VALUE,
                    new ConfigDef.NonEmptyStringWithoutControlChars(),
                    Importance.HIGH,
                    "Which Pulse instance decides: written into every event as 'observer' "
                            + "(typically host:port of its UDP endpoint).")
            .define(CLUSTER, Type.STRING, null, Importance.MEDIUM, "Cluster name written into every event, or none.")
            .define(
                    TOPIC_PREFIX,
                    Type.STRING,
                    DEFAULT_TOPIC_PREFIX,
                    ConfigDef.LambdaValidator.with(
                            (key, value) -> {
                                try {
                                    Topics.requirePrefix((String) value);
                                } catch (IllegalArgumentException | NullPointerException e) {
                                    throw new ConfigException(key, value, "must be " + Topics.PREFIX_RULE);
                                }
                            },
                            () -> Topics.PREFIX_RULE),
                    Importance.HIGH,
                    "Topics are <prefix>.failures, <prefix>.status, <prefix>.schemas (the writer schemas) and "
                            + "<prefix>.heartbeats.")
            .define(
                    TOPIC_PARTITIONS,
                    Type.INT,
                    BROKER_DEFAULT,
                    oneOrBrokerDefault(),
                    Importance.MEDIUM,
                    "Partitions of a topic the publisher creates; -1 for the broker's num.partitions.")
            .define(
                    TOPIC_REPLICATION_FACTOR,
                    Type.INT,
                    BROKER_DEFAULT,
                    oneOrBrokerDefault(),
                    Importance.MEDIUM,
                    "Replication factor of a topic the publisher creates; -1 for the broker's default.replication.factor.")
            .define(
                    OUTBOX_DIR,
                    Type.STRING,
                    ConfigDef.NO_DEFAULT_VALUE,
                    new ConfigDef.NonEmptyString(),
                    Importance.HIGH,
                    "Directory of the outbox journal; one publisher at a time.")
            .define(
                    OUTBOX_MAX_BYTES,
                    Type.LONG,
                    DEFAULT_OUTBOX_MAX_BYTES,
                    ConfigDef.Range.atLeast(64 * 1024),
                    Importance.MEDIUM,
                    "Bytes of events not yet acknowledged by Kafka that the outbox may hold; past it new "
                            + "events are dropped, counted and logged.")
            .define(
                    MAX_IN_FLIGHT_EVENTS,
                    Type.INT,
                    DEFAULT_MAX_IN_FLIGHT_EVENTS,
                    ConfigDef.Range.between(1, 1_000_000),
                    Importance.LOW,
                    "Events handed to the producer and not yet acknowledged, at most.")
            .define(
                    RETRY_BACKOFF_MS,
                    Type.LONG,
                    DEFAULT_RETRY_BACKOFF_MS,
                    ConfigDef.Range.between(1, 600_000),
                    Importance.LOW,
                    "Wait before sending again events whose delivery failed.")
            .define(
                    STARTUP_TIMEOUT_MS,
                    Type.LONG,
                    DEFAULT_STARTUP_TIMEOUT_MS,
                    ConfigDef.Range.atLeast(0),
                    Importance.LOW,
                    "How long start-up waits for Kafka to check the topics; past it the publisher "
                            + "starts anyway, keeps events in the outbox and checks again before sending.")
            .define(
                    CLOSE_TIMEOUT_MS,
                    Type.LONG,
                    DEFAULT_CLOSE_TIMEOUT_MS,
                    ConfigDef.Range.atLeast(0),
                    Importance.LOW,
                    "How long close() waits for Kafka to acknowledge what the outbox holds; "
                            + "the rest is sent after the next start.")
            .define(
                    HEARTBEAT_INTERVAL_MS,
                    Type.LONG,
                    DEFAULT_HEARTBEAT_INTERVAL_MS,
                    ConfigDef.Range.between(0, 3_600_000),
                    Importance.MEDIUM,
                    "How often a heartbeat goes to <prefix>.heartbeats (compacted, key = the observer), saying "
                            + "this publisher is alive and what it watches; 0: none. Not journaled: a heartbeat "
                            + "Kafka does not take is dropped, the next one replaces it.")
            .define(
                    VALUE_FORMAT,
                    Type.STRING,
                    "pulse",
                    ConfigDef.CaseInsensitiveValidString.in("pulse", "confluent"),
                    Importance.MEDIUM,
                    "What the values are: pulse (Avro single-object encoding) or confluent "
                            + "(Confluent's wire format, the writer schemas registered under <topic>-value at start; "
                            + "needs schema.registry.url).")
            .define(
                    SCHEMA_REGISTRY_URL,
                    Type.STRING,
                    null,
                    Importance.MEDIUM,
                    "The base URL of a Confluent-compatible schema registry, for pulse.value.format=confluent.")
            .define(
                    BASIC_AUTH_USER_INFO,
                    Type.PASSWORD,
                    null,
                    Importance.LOW,
                    "user:password for the schema registry's HTTP basic auth; unset: none.");

    private final String observer;
    private final String cluster;
    private final String topicPrefix;
    private final int topicPartitions;
    private final short topicReplicationFactor;
    private final Path outboxDir;
    private final long outboxMaxBytes;
    private final int maxInFlightEvents;
    private final Duration retryBackoff;
    private final Duration startupTimeout;
    private final Duration closeTimeout;
    private final Duration heartbeatInterval;
    private final Map<String, Object> producerProperties;
    private final Map<String, Object> adminProperties;
    private final URI schemaRegistryUrl; // null: values in single-object encoding
    private final String basicAuthUserInfo; // null: none

    private PublisherConfig(AbstractConfig parsed, Map<String, Object> producer, Map<String, Object> admin) {
        this.observer = parsed.getString(OBSERVER);
        this.cluster = parsed.getString(CLUSTER);
        this.topicPrefix = parsed.getString(TOPIC_PREFIX);
        this.topicPartitions = parsed.getInt(TOPIC_PARTITIONS);
        this.topicReplicationFactor = (short) (int) parsed.getInt(TOPIC_REPLICATION_FACTOR);
        this.outboxDir = Path.of(parsed.getString(OUTBOX_DIR));
        this.outboxMaxBytes = parsed.getLong(OUTBOX_MAX_BYTES);
        this.maxInFlightEvents = parsed.getInt(MAX_IN_FLIGHT_EVENTS);
        this.retryBackoff = Duration.ofMillis(parsed.getLong(RETRY_BACKOFF_MS));
        this.startupTimeout = Duration.ofMillis(parsed.getLong(STARTUP_TIMEOUT_MS));
        this.closeTimeout = Duration.ofMillis(parsed.getLong(CLOSE_TIMEOUT_MS));
        this.heartbeatInterval = Duration.ofMillis(parsed.getLong(HEARTBEAT_INTERVAL_MS));
        this.producerProperties = Collections.unmodifiableMap(producer);
        this.adminProperties = Collections.unmodifiableMap(admin);
        boolean confluent = parsed.getString(VALUE_FORMAT).equalsIgnoreCase("confluent");
        String url = parsed.getString(SCHEMA_REGISTRY_URL);
        if (confluent && url == null) {
            throw new ConfigException(SCHEMA_REGISTRY_URL, null, "is required with " + VALUE_FORMAT + "=confluent");
        }
        this.schemaRegistryUrl = confluent ? registryUrl(url) : null;
        Password userInfo = parsed.getPassword(BASIC_AUTH_USER_INFO);
        this.basicAuthUserInfo = userInfo == null ? null : userInfo.value();
    }

    private static URI registryUrl(String value) {
        try {
            return SchemaRegistryClient.baseUrl(value);
        } catch (IllegalArgumentException e) {
            throw new ConfigException(SCHEMA_REGISTRY_URL, value, e.getMessage());
        }
    }

    /** The settings as a Markdown table (key, type, default, allowed, doc), for the docs and --help. */
    public static String markdownTable() {
        StringBuilder table =
                new StringBuilder("| key | type | default | allowed | description |\n|---|---|---|---|---|\n");
        for (ConfigDef.ConfigKey key : DEFINITION.configKeys().values()) {
            String defaultValue = !key.hasDefault()
                    ? "(required)"
                    : key.defaultValue == null ? "(none)" : String.valueOf(key.defaultValue);
            table.append("| `")
                    .append(key.name)
                    .append("` | ")
                    .append(key.type.name().toLowerCase(java.util.Locale.ROOT))
                    .append(" | ")
                    .append(defaultValue)
                    .append(" | ")
                    .append(key.validator == null ? "" : key.validator.toString())
                    .append(" | ")
                    .append(key.documentation)
                    .append(" |\n");
        }
        return table.toString();
    }

    /** Validates {@code properties} (each value, then the rules across values) and seals them. */
    public static PublisherConfig parse(Map<String, ?> properties) {
        Objects.requireNonNull(properties, "properties");
        Map<String, Object> pulse = new HashMap<>();
        Map<String, Object> kafka = new HashMap<>();
        properties.forEach((key, value) ->
                (key.startsWith("pulse.") || DEFINITION.names().contains(key) ? pulse : kafka).put(key, value));
        Set<String> unknown = new TreeSet<>(pulse.keySet());
        unknown.removeAll(DEFINITION.names());
        if (!unknown.isEmpty()) {
            String key = unknown.iterator().next();
            throw new ConfigException(
                    key, pulse.get(key), "unknown setting (expected one of " + new TreeSet<>(DEFINITION.names()) + ")");
        }
        AbstractConfig parsed = new AbstractConfig(DEFINITION, pulse, false);
        return new PublisherConfig(
                parsed, producerProperties(kafka, parsed.getString(OBSERVER)), adminProperties(kafka));
    }

    /** The producer's properties: the configured Kafka properties plus what delivery without loss requires. */
    private static Map<String, Object> producerProperties(Map<String, Object> kafka, String observer) {
        if (!kafka.containsKey(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG)) {
            throw new ConfigException(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, null, "is required (host:port,...)");
        }
        Set<String> known = new TreeSet<>(ProducerConfig.configNames());
        known.addAll(AdminClientConfig.configNames());
        for (Map.Entry<String, Object> entry : kafka.entrySet()) {
            if (!known.contains(entry.getKey())) {
                throw new ConfigException(
                        entry.getKey(),
                        entry.getValue(),
                        "unknown setting (expected a pulse.* setting or a Kafka producer or admin client property)");
            }
        }
        requireIfSet(
                kafka,
                ProducerConfig.ACKS_CONFIG,
                Set.of("all", "-1"),
                "the outbox marks an event done only when every in-sync replica has it");
        requireIfSet(
                kafka,
                ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG,
                Set.of("true"),
                "retries must neither duplicate nor reorder a node's events");
        for (String key : Set.of(
                ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG,
                ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG,
                ProducerConfig.TRANSACTIONAL_ID_CONFIG)) {
            if (kafka.containsKey(key)) {
                throw new ConfigException(key, kafka.get(key), "is chosen by the publisher and must not be set");
            }
        }
        Map<String, Object> producer = new HashMap<>(PRODUCER_DEFAULTS);
        producer.put(ProducerConfig.CLIENT_ID_CONFIG, "pulse-publisher-" + observer);
        kafka.forEach((key, value) -> {
            if (ProducerConfig.configNames().contains(key)) {
                producer.put(key, value);
            }
        });
        producer.put(ProducerConfig.ACKS_CONFIG, "all");
        producer.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        return producer;
    }

    private static Map<String, Object> adminProperties(Map<String, Object> kafka) {
        Map<String, Object> admin = new HashMap<>();
        kafka.forEach((key, value) -> {
            if (AdminClientConfig.configNames().contains(key)) {
                admin.put(key, value);
            }
        });
        return admin;
    }

    private static void requireIfSet(Map<String, Object> kafka, String key, Set<String> allowed, String why) {
        if (kafka.containsKey(key)
                && !allowed.contains(String.valueOf(kafka.get(key)).trim().toLowerCase(java.util.Locale.ROOT))) {
            throw new ConfigException(key, kafka.get(key), "must be " + new TreeSet<>(allowed) + ": " + why);
        }
    }

    private static ConfigDef.Validator oneOrBrokerDefault() {
        return ConfigDef.LambdaValidator.with(
                (key, value) -> {
                    int number = value == null ? 0 : ((Number) value).intValue();
                    if ((number < 1 && number != BROKER_DEFAULT) || number > Short.MAX_VALUE) {
                        throw new ConfigException(key, value, "must be -1 (broker default) or 1..32767");
                    }
                },
                () -> "-1 (broker default) or 1..32767");
    }

    /** The schema registry the values are registered in (Confluent's wire format), or null: single-object encoding. */
    public URI schemaRegistryUrl() {
        return schemaRegistryUrl;
    }

    /** {@code user:password} for the registry, or null. */
    String basicAuthUserInfo() {
        return basicAuthUserInfo;
    }

    public String observer() {
        return observer;
    }

    /** The cluster name, or {@code null}. */
    public String cluster() {
        return cluster;
    }

    public String failuresTopic() {
        return Topics.failures(topicPrefix);
    }

    public String statusTopic() {
        return Topics.status(topicPrefix);
    }

    /** Where the publisher writes its writer schemas, before its first event: {@code <prefix>.schemas}. */
    public String schemasTopic() {
        return Topics.schemas(topicPrefix);
    }

    /** Where the publisher says it is alive: {@code <prefix>.heartbeats}. */
    public String heartbeatsTopic() {
        return Topics.heartbeats(topicPrefix);
    }

    public int topicPartitions() {
        return topicPartitions;
    }

    public short topicReplicationFactor() {
        return topicReplicationFactor;
    }

    public Path outboxDir() {
        return outboxDir;
    }

    public long outboxMaxBytes() {
        return outboxMaxBytes;
    }

    public int maxInFlightEvents() {
        return maxInFlightEvents;
    }

    public Duration retryBackoff() {
        return retryBackoff;
    }

    public Duration startupTimeout() {
        return startupTimeout;
    }

    public Duration closeTimeout() {
        return closeTimeout;
    }

    /** How often a heartbeat is sent; zero: never. */
    public Duration heartbeatInterval() {
        return heartbeatInterval;
    }

    /** Unmodifiable. */
    public Map<String, Object> producerProperties() {
        return producerProperties;
    }

    /** Unmodifiable. */
    public Map<String, Object> adminProperties() {
        return adminProperties;
    }
}
