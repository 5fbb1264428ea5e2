package io.pulse.sidecar.config;

import io.pulse.events.serde.PulseSerdeConfig;
import io.pulse.kafka.PublisherConfig;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.config.ConfigDef;

/**
 * Which settings hold secrets, so that {@code --dry-run} and logs show {@value #REDACTED} instead:
 * every setting declared of type PASSWORD, the sidecar's own ({@link SidecarSettings#DEFINITION})
 * and those {@code kafka.properties.*} passes through (the Kafka producer's, consumer's and admin
 * client's: {@code sasl.jaas.config}, {@code ssl.key.password}, ...; the publisher's and the serde's:
 * the schema registry's {@code basic.auth.user.info}), and any other key whose name says password,
 * secret, token, credential or jaas, or ends in {@code .key} (a key, not {@code key.serializer}),
 * unless it is a {@code .file} or {@code .location}, which only says where a secret is.
 *
 * <pre>{@code
 * String shown = Secrets.isSecret(key) ? Secrets.REDACTED : value;
 * }</pre>
 */
final class Secrets {
    static final String REDACTED = "[redacted]";
    private static final Pattern NAMED = Pattern.compile("password|secret|token|credential|jaas|(^|\\.)key$");
    /** The definitions of what {@code kafka.properties.*} passes through, by their own names. */
    static final List<ConfigDef> PASSED_THROUGH = List.of(
            ProducerConfig.configDef(),
            ConsumerConfig.configDef(),
            AdminClientConfig.configDef(),
            PublisherConfig.DEFINITION,
            PulseSerdeConfig.DEFINITION);

    private static final Set<String> SIDECAR_PASSWORDS = passwords(SidecarSettings.DEFINITION);
    private static final Set<String> KAFKA_PASSWORDS =
            PASSED_THROUGH.stream().flatMap(def -> passwords(def).stream()).collect(Collectors.toUnmodifiableSet());

    private Secrets() {}

    /** The names of {@code definition}'s PASSWORD settings. */
    static Set<String> passwords(ConfigDef definition) {
        return definition.configKeys().values().stream()
                .filter(key -> key.type == ConfigDef.Type.PASSWORD)
                .map(key -> key.name)
                .collect(Collectors.toUnmodifiableSet());
    }

    /** True for a setting ({@code kafka.properties.sasl.jaas.config}) or Kafka property that holds a secret. */
    static boolean isSecret(String key) {
        String name = key.startsWith(SidecarSettings.KAFKA_PROPERTIES)
                ? key.substring(SidecarSettings.KAFKA_PROPERTIES.length())
                : key;
        if (name.equals(key) ? SIDECAR_PASSWORDS.contains(key) : KAFKA_PASSWORDS.contains(name)) {
            return true;
        }
        String lower = name.toLowerCase(Locale.ROOT);
        if (lower.endsWith(".file") || lower.endsWith(".location")) {
            return false; // a path to a secret (security.keys.file, http.token.file, ssl.keystore.location), shown
        }
        return NAMED.matcher(lower).find();
    }
}
