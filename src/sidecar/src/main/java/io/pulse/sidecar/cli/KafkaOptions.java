package io.pulse.sidecar.cli;

import io.pulse.sidecar.config.ConfigLoader;
import io.pulse.sidecar.config.SidecarConfig;
import io.pulse.sidecar.config.SidecarSettings;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.Option;

/**
 * The Kafka settings of a command that reads Pulse's topics ({@code pulse tail}, {@code pulse dashboard}),
 * taken as {@code pulse run} takes them: the file, then {@code PULSE_KAFKA_*} variables, then {@code --set},
 * then {@code -b} and {@code --topic-prefix}.
 *
 * <pre>{@code
 * @CommandLine.Mixin KafkaOptions kafka;
 * SidecarConfig settings = kafka.load(parent.environment());
 * Properties consumer = TopicTail.consumerProperties(settings);
 * }</pre>
 */
final class KafkaOptions {
    @Option(
            names = {"-c", "--config"},
            paramLabel = "FILE",
            description = "YAML configuration file of pulse run (optional); only its kafka settings are used.")
    Path config;

    @Option(
            names = "--set",
            paramLabel = "KEY=VALUE",
            description = "Sets one key (repeatable), e.g. kafka.properties.security.protocol=SSL.")
    List<String> assignments = new ArrayList<>();

    @Option(
            names = {"-b", "--bootstrap-servers", "--bootstrap"},
            paramLabel = "HOST:PORT,...",
            description =
                    "Kafka brokers (default: kafka.bootstrap.servers, e.g. $PULSE_KAFKA_BOOTSTRAP_SERVERS, or localhost:9092).")
    String bootstrapServers;

    @Option(
            names = "--topic-prefix",
            paramLabel = "PREFIX",
            description = "Topic prefix (default: kafka.topic.prefix, e.g. $PULSE_KAFKA_TOPIC_PREFIX, or pulse).")
    String topicPrefix;

    /** The settings of the file, {@code env} and the flags, in that order of precedence (the last wins). */
    SidecarConfig load(Map<String, String> env) {
        Map<String, String> overrides = new LinkedHashMap<>();
        for (String assignment : assignments) {
            Map.Entry<String, String> entry = ConfigLoader.parseAssignment(assignment);
            overrides.put(entry.getKey(), entry.getValue());
        }
        if (bootstrapServers != null) {
            overrides.put(SidecarSettings.KAFKA_BOOTSTRAP_SERVERS, bootstrapServers);
        }
        if (topicPrefix != null) {
            overrides.put(SidecarSettings.KAFKA_TOPIC_PREFIX, topicPrefix);
        }
        return ConfigLoader.load(config, env, overrides);
    }
}
