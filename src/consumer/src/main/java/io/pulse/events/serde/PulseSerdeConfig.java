package io.pulse.events.serde;

import io.pulse.events.SchemaRegistryClient;
import java.net.URI;
import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.common.config.AbstractConfig;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.ConfigDef.Importance;
import org.apache.kafka.common.config.ConfigDef.Type;
import org.apache.kafka.common.config.ConfigException;
import org.apache.kafka.common.config.types.Password;

/**
 * The settings of Pulse's deserializers, read from the Kafka client configuration they are given
 * in {@code configure} (plain consumer properties, Spring Boot's {@code spring.kafka.consumer.properties.*}).
 *
 * <pre>{@code
 * props.put("value.deserializer", PulseEventDeserializer.class.getName());
 * props.put(PulseSerdeConfig.TOPIC_PREFIX, "pulse");                 // the default
 * props.put(PulseSerdeConfig.SCHEMA_LOOKUP_TIMEOUT_MS, 5000);        // the default
 * }</pre>
 *
 * A deserializer that is never configured, or configured with {@value #SCHEMA_LOOKUP} false,
 * reads the schemas this version ships and no other; otherwise it reads an unknown writer schema
 * from {@code <prefix>.schemas} with the same client properties (bootstrap servers, TLS, SASL),
 * without a group.
 *
 * <p>Every deserializer reads both wire formats, told apart by the first byte: Pulse's
 * single-object encoding ({@code C3 01}) and Confluent's ({@code 00}, a 4-byte schema id), the
 * latter only with {@value #SCHEMA_REGISTRY_URL}. The serializers write {@value #FORMAT}:
 *
 * <pre>{@code
 * props.put(PulseSerdeConfig.FORMAT, "confluent");                   // the default: "pulse"
 * props.put(PulseSerdeConfig.SCHEMA_REGISTRY_URL, "http://registry:8081");
 * }</pre>
 */
public final class PulseSerdeConfig {
    /** The topic prefix; the writer schemas are in {@code <prefix>.schemas}. */
    public static final String TOPIC_PREFIX = "pulse.topic.prefix";
    /** Whether an unknown writer schema is looked up in {@code <prefix>.schemas}. */
    public static final String SCHEMA_LOOKUP = "pulse.schema.lookup";
    /** How long one lookup may take. */
    public static final String SCHEMA_LOOKUP_TIMEOUT_MS = "pulse.schema.lookup.timeout.ms";

    /** What the serializers write: {@code pulse} (single-object encoding) or {@code confluent}. */
    public static final String FORMAT = "pulse.serde.format";
    /** A Confluent-compatible schema registry, Confluent's key; needed to write or read Confluent's format. */
    public static final String SCHEMA_REGISTRY_URL = "schema.registry.url";
    /** {@code user:password} for the registry's basic auth, Confluent's key; unset: none. */
    public static final String BASIC_AUTH_USER_INFO = "basic.auth.user.info";

    public static final String DEFAULT_TOPIC_PREFIX = "pulse";
    public static final long DEFAULT_SCHEMA_LOOKUP_TIMEOUT_MS = 5_000;

    /** Every setting, declared once. */
    public static final ConfigDef DEFINITION = new ConfigDef()
            .define(
                    TOPIC_PREFIX,
                    Type.STRING,
                    DEFAULT_TOPIC_PREFIX,
                    new ConfigDef.NonEmptyString(),
                    Importance.MEDIUM,
                    "Pulse's topic prefix; unknown writer schemas are read from <prefix>.schemas.")
            .define(
                    SCHEMA_LOOKUP,
                    Type.BOOLEAN,
                    true,
                    Importance.LOW,
                    "Look an unknown writer schema up in <prefix>.schemas (false: only the schemas this version ships).")
            .define(
                    SCHEMA_LOOKUP_TIMEOUT_MS,
                    Type.LONG,
                    DEFAULT_SCHEMA_LOOKUP_TIMEOUT_MS,
                    ConfigDef.Range.between(1, 60_000),
                    Importance.LOW,
                    "How long one lookup in <prefix>.schemas, or one schema registry request, may take; a failed "
                            + "lookup in <prefix>.schemas is not tried again for as long.")
            .define(
                    FORMAT,
                    Type.STRING,
                    "pulse",
                    ConfigDef.CaseInsensitiveValidString.in("pulse", "confluent"),
                    Importance.MEDIUM,
                    "What the serializers write: pulse (Avro single-object encoding) or confluent "
                            + "(Confluent's wire format; needs schema.registry.url). Deserializers read both.")
            .define(
                    SCHEMA_REGISTRY_URL,
                    Type.STRING,
                    null,
                    Importance.MEDIUM,
                    "The base URL of a Confluent-compatible schema registry (one URL); needed to write or read "
                            + "Confluent's wire format.")
            .define(
                    BASIC_AUTH_USER_INFO,
                    Type.PASSWORD,
                    null,
                    Importance.LOW,
                    "user:password for the schema registry's HTTP basic auth; unset: none.");

    /** The two wire formats. */
    public enum Format {
        /** Avro single-object encoding, as the publisher writes it. */
        PULSE,
        /** Confluent's wire format, the writer schema registered in a schema registry. */
        CONFLUENT
    }

    private final String topicPrefix;
    private final boolean schemaLookup;
    private final Duration schemaLookupTimeout;
    private final Format format;
    private final URI schemaRegistryUrl; // null: none
    private final String basicAuthUserInfo; // null: none

    private PulseSerdeConfig(AbstractConfig parsed) {
        this.topicPrefix = parsed.getString(TOPIC_PREFIX);
        this.schemaLookup = parsed.getBoolean(SCHEMA_LOOKUP);
        this.schemaLookupTimeout = Duration.ofMillis(parsed.getLong(SCHEMA_LOOKUP_TIMEOUT_MS));
        this.format = Format.valueOf(parsed.getString(FORMAT).toUpperCase(Locale.ROOT));
        this.schemaRegistryUrl = registryUrl(parsed.getString(SCHEMA_REGISTRY_URL));
        Password userInfo = parsed.getPassword(BASIC_AUTH_USER_INFO);
        this.basicAuthUserInfo = userInfo == null ? null : userInfo.value();
        if (format == Format.CONFLUENT && schemaRegistryUrl == null) {
            throw new ConfigException(SCHEMA_REGISTRY_URL, null, "is required with " + FORMAT + "=confluent");
        }
    }

    private static URI registryUrl(String value) {
        try {
            return value == null ? null : SchemaRegistryClient.baseUrl(value);
        } catch (IllegalArgumentException e) {
            throw new ConfigException(SCHEMA_REGISTRY_URL, value, e.getMessage());
        }
    }

    /** The settings of a serializer; throws {@link ConfigException} naming the key for an invalid value. */
    static PulseSerdeConfig parseForWriting(Map<String, ?> configs) {
        return new PulseSerdeConfig(new AbstractConfig(DEFINITION, configs, false));
    }

    /** Throws {@link ConfigException} naming the key for an invalid value. */
    public static PulseSerdeConfig parse(Map<String, ?> configs) {
        PulseSerdeConfig config = parseForWriting(configs);
        io.pulse.events.Topics.schemas(config.topicPrefix); // validates the prefix
        if (config.schemaLookup && !configs.containsKey(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG)) {
            throw new ConfigException(
                    ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG,
                    null,
                    "is required to read " + config.topicPrefix + ".schemas (or set " + SCHEMA_LOOKUP + "=false)");
        }
        return config;
    }

    public String topicPrefix() {
        return topicPrefix;
    }

    public boolean schemaLookup() {
        return schemaLookup;
    }

    public Duration schemaLookupTimeout() {
        return schemaLookupTimeout;
    }

    /** What the serializers write. */
    public Format format() {
        return format;
    }

    /** The schema registry, or null if none is configured. */
    public URI schemaRegistryUrl() {
        return schemaRegistryUrl;
    }

    /** {@code user:password} for the registry, or null. */
    String basicAuthUserInfo() {
        return basicAuthUserInfo;
    }

    /** A client of the configured registry, or null if there is none. */
    SchemaRegistryClient registryClient() {
        return schemaRegistryUrl == null
                ? null
                : new SchemaRegistryClient(schemaRegistryUrl, basicAuthUserInfo, schemaLookupTimeout);
    }
}
