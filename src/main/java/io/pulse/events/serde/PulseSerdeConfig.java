package io.pulse.events.serde;

import java.time.Duration;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.common.config.AbstractConfig;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.ConfigDef.Importance;
import org.apache.kafka.common.config.ConfigDef.Type;
import org.apache.kafka.common.config.ConfigException;

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
 */
public final class PulseSerdeConfig {
    /** The topic prefix; the writer schemas are in {@code <prefix>.schemas}. */
    public static final String TOPIC_PREFIX = "pulse.topic.prefix";
    /** Whether an unknown writer schema is looked up in {@code <prefix>.schemas}. */
    public static final String SCHEMA_LOOKUP = "pulse.schema.lookup";
    /** How long one lookup may take. */
    public static final String SCHEMA_LOOKUP_TIMEOUT_MS = "pulse.schema.lookup.timeout.ms";

    public static final String DEFAULT_TOPIC_PREFIX = "pulse";
    public static final long DEFAULT_SCHEMA_LOOKUP_TIMEOUT_MS = 5_000;

    /** Every setting, declared once. */
    public static final ConfigDef DEFINITION = new ConfigDef()
            .define(TOPIC_PREFIX, Type.STRING, DEFAULT_TOPIC_PREFIX, new ConfigDef.NonEmptyString(), Importance.MEDIUM,
                    "Pulse's topic prefix; unknown writer schemas are read from <prefix>.schemas.")
            .define(SCHEMA_LOOKUP, Type.BOOLEAN, true, Importance.LOW,
                    "Look an unknown writer schema up in <prefix>.schemas (false: only the schemas this version ships).")
            .define(SCHEMA_LOOKUP_TIMEOUT_MS, Type.LONG, DEFAULT_SCHEMA_LOOKUP_TIMEOUT_MS,
                    ConfigDef.Range.between(1, 60_000), Importance.LOW,
                    "How long one lookup in <prefix>.schemas may take; a failed one is not tried again for as long.");

    private final String topicPrefix;
    private final boolean schemaLookup;
    private final Duration schemaLookupTimeout;

    private PulseSerdeConfig(AbstractConfig parsed) {
        this.topicPrefix = parsed.getString(TOPIC_PREFIX);
        this.schemaLookup = parsed.getBoolean(SCHEMA_LOOKUP);
        this.schemaLookupTimeout = Duration.ofMillis(parsed.getLong(SCHEMA_LOOKUP_TIMEOUT_MS));
    }

    /** Throws {@link ConfigException} naming the key for an invalid value. */
    public static PulseSerdeConfig parse(Map<String, ?> configs) {
        PulseSerdeConfig config = new PulseSerdeConfig(new AbstractConfig(DEFINITION, configs, false));
        io.pulse.events.Topics.schemas(config.topicPrefix); // validates the prefix
        if (config.schemaLookup && !configs.containsKey(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG)) {
            throw new ConfigException(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, null, "is required to read "
                    + config.topicPrefix + ".schemas (or set " + SCHEMA_LOOKUP + "=false)");
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
}
