package io.pulse.sidecar.config;

import java.util.Locale;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.config.ConfigDef;

/**
 * Which settings hold secrets, so that {@code --dry-run} and logs show {@value #REDACTED} instead:
 * every Kafka client property of type PASSWORD ({@code sasl.jaas.config}, {@code ssl.key.password},
 * ...), and any key whose name says password, secret, token, credential or jaas, or ends in
 * {@code .key} (a key, not {@code key.serializer}); not a {@code .file} or {@code .location}, which
 * only says where a secret is.
 *
 * <pre>{@code
 * String shown = Secrets.isSecret(key) ? Secrets.REDACTED : value;
 * }</pre>
 */
final class Secrets {
    static final String REDACTED = "[redacted]";
    private static final Pattern NAMED = Pattern.compile("password|secret|token|credential|jaas|(^|\\.)key$");
    private static final Set<String> KAFKA_PASSWORDS = Stream.of(
                    ProducerConfig.configDef(), AdminClientConfig.configDef(), ConsumerConfig.configDef())
            .flatMap(def -> def.configKeys().values().stream())
            .filter(key -> key.type == ConfigDef.Type.PASSWORD)
            .map(key -> key.name)
            .collect(Collectors.toUnmodifiableSet());

    private Secrets() {}

    /** True for a setting ({@code kafka.properties.sasl.jaas.config}) or Kafka property that holds a secret. */
    static boolean isSecret(String key) {
        String name = key.startsWith(SidecarSettings.KAFKA_PROPERTIES)
                ? key.substring(SidecarSettings.KAFKA_PROPERTIES.length())
                : key;
        String lower = name.toLowerCase(Locale.ROOT);
        if (lower.endsWith(".file") || lower.endsWith(".location")) {
            return false; // a path to a secret (security.keys.file, http.token.file, ssl.keystore.location), shown
        }
        return KAFKA_PASSWORDS.contains(name) || NAMED.matcher(lower).find();
    }
}
