package io.pulse.sidecar.config;

import io.pulse.core.ClusterConfig;
import io.pulse.core.DetectorConfig;
import io.pulse.core.Labels;
import io.pulse.core.NodeId;
import io.pulse.core.Profile;
import io.pulse.kafka.PublisherConfig;
import io.pulse.sidecar.http.ApiLimits;
import io.pulse.sidecar.http.ServerTls;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.stream.Collectors;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.ConfigException;

/**
 * The sidecar's configuration, validated and sealed: what {@link ConfigLoader#load} returns.
 *
 * <pre>{@code
 * SidecarConfig config = ConfigLoader.load(Path.of("pulse.yaml"), System.getenv(), Map.of());
 * try (Sidecar sidecar = Sidecar.start(config)) {   // resolves the bind addresses, then starts every part
 *     ...
 * }
 * }</pre>
 *
 * @param nodeBind        UDP address to bind (unresolved; port 0 lets the OS choose)
 * @param nodeId          this node's id, or empty to derive it from the bound address
 * @param respond         whether this node answers pulses
 * @param targets         the watched nodes
 * @param targetsLookupInterval how often targets given by name are looked up again (zero: once)
 * @param detector        detection parameters
 * @param cluster         cluster mode's settings
 * @param security        keys, relay policy and answer limits
 * @param kafkaEnabled    whether events are published
 * @param kafka           the publisher's settings (see {@link PublisherConfig}) without {@code pulse.observer},
 *                        which is known once the node is bound
 * @param httpEnabled     whether the HTTP API runs
 * @param httpBind        its address (unresolved)
 * @param httpLimits      its timeouts, connection caps, token and TLS (also those of {@code pulse dashboard})
 * @param logFormat       {@code text} or {@code json}
 * @param logLevel        Pulse's log level
 * @param effective       every setting with its value and where it came from, for {@code --dry-run}
 *
 * <p>Over 400 lines because every rule across settings is checked here, in one place, each in a
 * method of its own (cluster, security, labels, profile, Kafka pass-through), as STYLE asks.
 */
public record SidecarConfig(
        InetSocketAddress nodeBind,
        Optional<NodeId> nodeId,
        boolean respond,
        List<TargetSpec> targets,
        Duration targetsLookupInterval,
        DetectorConfig detector,
        ClusterSettings cluster,
        SecuritySettings security,
        boolean kafkaEnabled,
        Map<String, Object> kafka,
        boolean httpEnabled,
        InetSocketAddress httpBind,
        ApiLimits httpLimits,
        String logFormat,
        String logLevel,
        Map<String, Sourced> effective) {

    /**
     * A raw value and where it came from: {@code default}, the file's path, {@code environment PULSE_...}
     * or {@code flag --set ...}.
     *
     * <pre>{@code
     * String from = config.effective().get("node.bind").source();
     * }</pre>
     */
    public record Sourced(Object value, String source) {}

    /** DetectorConfig's own names for its settings, to name the key in its messages. */
    private static final Map<String, String> DETECTOR_NAMES = Map.of(
            "probeInterval", SidecarSettings.PROBE_INTERVAL,
            "probeTimeoutMin", SidecarSettings.PROBE_TIMEOUT_MIN,
            "probeTimeoutMax", SidecarSettings.PROBE_TIMEOUT_MAX,
            "maxRetries", SidecarSettings.MAX_RETRIES,
            "indirectProbes", SidecarSettings.INDIRECT_PROBES,
            "suspicionTimeout", SidecarSettings.SUSPICION_TIMEOUT,
            "deadProbeInterval", SidecarSettings.DEAD_PROBE_INTERVAL,
            "jitterRatio", SidecarSettings.JITTER_RATIO,
            "localHealthMaxMultiplier", SidecarSettings.LOCAL_HEALTH_MAX_MULTIPLIER);
    /** The publisher's keys for ours. */
    private static final Map<String, String> PUBLISHER_KEYS = Map.of(
            SidecarSettings.KAFKA_BOOTSTRAP_SERVERS, "bootstrap.servers",
            SidecarSettings.KAFKA_TOPIC_PREFIX, PublisherConfig.TOPIC_PREFIX,
            SidecarSettings.KAFKA_TOPIC_PARTITIONS, PublisherConfig.TOPIC_PARTITIONS,
            SidecarSettings.KAFKA_TOPIC_REPLICATION_FACTOR, PublisherConfig.TOPIC_REPLICATION_FACTOR,
            SidecarSettings.KAFKA_CLUSTER, PublisherConfig.CLUSTER,
            SidecarSettings.OUTBOX_DIR, PublisherConfig.OUTBOX_DIR,
            SidecarSettings.OUTBOX_MAX_BYTES, PublisherConfig.OUTBOX_MAX_BYTES,
            SidecarSettings.KAFKA_VALUE_FORMAT, PublisherConfig.VALUE_FORMAT,
            SidecarSettings.KAFKA_SCHEMA_REGISTRY_URL, PublisherConfig.SCHEMA_REGISTRY_URL);

    public SidecarConfig {
        targets = List.copyOf(targets);
        kafka = Map.copyOf(kafka);
        effective = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(effective));
    }

    /**
     * Refuses to run a node that would believe any datagram without its operator saying so: a cluster
     * member, or a node bound beyond loopback, needs keys or {@code security.auth.mode: none}. Checked
     * by {@code pulse run} (with {@code --dry-run} too) and {@code Sidecar.start}, not at load, so that
     * {@code pulse tail} and {@code pulse dashboard} read the same file for its Kafka settings alone.
     *
     * @throws ConfigurationException naming both ways out
     */
    public void requireKeysOrChoice() {
        security.requireKeysOrChoice(nodeBind, cluster.enabled() ? SidecarSettings.CLUSTER_ENABLED + " is true" : null);
    }

    /** Each value checked on its own (type, validator), then the rules across values. */
    static SidecarConfig parse(Map<String, Sourced> raw, Map<String, String> env) {
        Map<String, Object> parsed = new LinkedHashMap<>();
        Map<String, Sourced> effective = new LinkedHashMap<>();
        Profile profile = profile(raw.get(SidecarSettings.DETECTOR_PROFILE));
        Map<String, String> presets = DetectorProfile.presets(profile);
        for (ConfigDef.ConfigKey key : SidecarSettings.DEFINITION.configKeys().values()) {
            Sourced given = raw.get(key.name);
            String preset = presets.get(key.name);
            Object value = given != null ? given.value() : preset != null ? preset : key.defaultValue;
            String source = given != null
                    ? given.source()
                    : preset != null ? "profile " + DetectorProfile.text(profile) : "default";
            try {
                Object typed = value == null ? null : ConfigDef.parseType(key.name, value, key.type);
                if (key.validator != null) {
                    key.validator.ensureValid(key.name, typed);
                }
                parsed.put(key.name, typed);
            } catch (ConfigException e) {
                throw new ConfigurationException(source + ": " + e.getMessage());
            }
            effective.put(key.name, new Sourced(value, source));
        }
        Map<String, Object> kafkaProperties = new TreeMap<>();
        raw.forEach((key, value) -> {
            if (key.startsWith(SidecarSettings.KAFKA_PROPERTIES + "pulse.")) {
                throw new ConfigurationException(value.source() + ": " + key + " is not a Kafka client property "
                        + "(expected: the sidecar's own keys for Pulse's settings, see pulse run --help)");
            }
            String property = key.startsWith(SidecarSettings.KAFKA_PROPERTIES)
                    ? key.substring(SidecarSettings.KAFKA_PROPERTIES.length())
                    : null;
            PUBLISHER_KEYS.forEach((ours, theirs) -> {
                if (theirs.equals(property)) {
                    throw new ConfigurationException(value.source() + ": " + key + " is set by the sidecar's own key "
                            + ours + " (expected: " + ours + " instead)");
                }
            });
            if (key.startsWith(SidecarSettings.KAFKA_PROPERTIES)) {
                kafkaProperties.put(key.substring(SidecarSettings.KAFKA_PROPERTIES.length()), value.value());
                effective.put(key, value);
            }
        });

        DetectorConfig detector = detector(parsed, effective);
        Map<String, Object> kafka = new LinkedHashMap<>(kafkaProperties);
        PUBLISHER_KEYS.forEach((ours, theirs) -> {
            if (parsed.get(ours) != null) {
                kafka.put(theirs, parsed.get(ours));
            }
        });
        kafka.put(
                PublisherConfig.STARTUP_TIMEOUT_MS,
                duration(parsed, SidecarSettings.KAFKA_STARTUP_TIMEOUT).toMillis());
        kafka.put(
                PublisherConfig.CLOSE_TIMEOUT_MS,
                duration(parsed, SidecarSettings.KAFKA_CLOSE_TIMEOUT).toMillis());
        kafka.put(
                PublisherConfig.HEARTBEAT_INTERVAL_MS,
                duration(parsed, SidecarSettings.KAFKA_HEARTBEAT_INTERVAL).toMillis());
        Map<String, Object> check = new LinkedHashMap<>(kafka);
        check.put(PublisherConfig.OBSERVER, "check:1");
        try {
            PublisherConfig.parse(check);
        } catch (ConfigException e) {
            throw new ConfigurationException(
                    redacted(publisherMessage(e.getMessage(), raw, kafkaProperties.keySet()), raw));
        }
        ClusterSettings cluster = cluster(parsed, effective, labels(raw, effective));
        if (cluster.enabled() && !(Boolean) parsed.get(SidecarSettings.NODE_RESPOND)) {
            throw new ConfigurationException(SidecarSettings.CLUSTER_ENABLED + " is true and "
                    + SidecarSettings.NODE_RESPOND + " is false (expected: a cluster member answers its observers; "
                    + "set " + SidecarSettings.NODE_RESPOND + ": true)");
        }
        String nodeId = (String) parsed.get(SidecarSettings.NODE_ID);
        @SuppressWarnings("unchecked")
        List<String> targets = (List<String>) parsed.get(SidecarSettings.TARGETS);
        return new SidecarConfig(
                HostPorts.parseBind((String) parsed.get(SidecarSettings.NODE_BIND)),
                Optional.ofNullable(nodeId).map(NodeId::parse),
                (Boolean) parsed.get(SidecarSettings.NODE_RESPOND),
                targets.stream().map(TargetSpec::parse).collect(Collectors.toList()),
                duration(parsed, SidecarSettings.TARGETS_LOOKUP_INTERVAL),
                detector,
                cluster,
                security(parsed, effective, env),
                (Boolean) parsed.get(SidecarSettings.KAFKA_ENABLED),
                kafka,
                (Boolean) parsed.get(SidecarSettings.HTTP_ENABLED),
                HostPorts.parseBind((String) parsed.get(SidecarSettings.HTTP_BIND)),
                httpLimits(parsed),
                (String) parsed.get(SidecarSettings.LOG_FORMAT),
                ((String) parsed.get(SidecarSettings.LOG_LEVEL)).toLowerCase(java.util.Locale.ROOT),
                effective);
    }

    private static DetectorConfig detector(Map<String, Object> parsed, Map<String, Sourced> effective) {
        try {
            return DetectorConfig.builder()
                    .probeInterval(duration(parsed, SidecarSettings.PROBE_INTERVAL))
                    .probeTimeoutMin(duration(parsed, SidecarSettings.PROBE_TIMEOUT_MIN))
                    .probeTimeoutMax(duration(parsed, SidecarSettings.PROBE_TIMEOUT_MAX))
                    .maxRetries((Integer) parsed.get(SidecarSettings.MAX_RETRIES))
                    .indirectProbes((Integer) parsed.get(SidecarSettings.INDIRECT_PROBES))
                    .suspicionTimeout(duration(parsed, SidecarSettings.SUSPICION_TIMEOUT))
                    .deadProbeInterval(duration(parsed, SidecarSettings.DEAD_PROBE_INTERVAL))
                    .jitterRatio((Double) parsed.get(SidecarSettings.JITTER_RATIO))
                    .localHealthMaxMultiplier((Integer) parsed.get(SidecarSettings.LOCAL_HEALTH_MAX_MULTIPLIER))
                    .build();
        } catch (IllegalArgumentException e) {
            String message = e.getMessage();
            List<String> sources = new java.util.ArrayList<>();
            for (Map.Entry<String, String> name : new TreeMap<>(DETECTOR_NAMES).entrySet()) {
                if (message.contains(name.getKey())) {
                    message = message.replace(name.getKey(), name.getValue());
                    sources.add(name.getValue() + " from "
                            + effective.get(name.getValue()).source());
                }
            }
            throw new ConfigurationException("detector settings: " + message
                    + (sources.isEmpty() ? "" : " (" + String.join(", ", sources) + ")"));
        }
    }

    private static ApiLimits httpLimits(Map<String, Object> parsed) {
        Optional<String> token = Optional.empty();
        String file = (String) parsed.get(SidecarSettings.HTTP_TOKEN_FILE);
        if (file != null) {
            String where = SidecarSettings.HTTP_TOKEN_FILE + " " + file;
            token = Optional.of(ConfigLoader.readPrivateFile(where, java.nio.file.Path.of(file))
                    .strip());
            if (token.get().isEmpty() || token.get().chars().anyMatch(c -> c <= ' ')) {
                throw new ConfigurationException(where + ": the token is empty or has spaces or line breaks inside "
                        + "(expected: one line, e.g. from openssl rand -hex 32)");
            }
        }
        Duration idle = duration(parsed, SidecarSettings.HTTP_IDLE_TIMEOUT);
        Duration request = duration(parsed, SidecarSettings.HTTP_REQUEST_TIMEOUT);
        for (Map.Entry<String, Duration> timeout : Map.of(
                        SidecarSettings.HTTP_IDLE_TIMEOUT, idle, SidecarSettings.HTTP_REQUEST_TIMEOUT, request)
                .entrySet()) {
            if (timeout.getValue().isZero()) {
                throw new ConfigurationException(timeout.getKey() + " must be more than 0");
            }
        }
        return new ApiLimits(
                idle,
                request,
                (Integer) parsed.get(SidecarSettings.HTTP_MAX_CONNECTIONS),
                (Integer) parsed.get(SidecarSettings.HTTP_MAX_CONNECTIONS_PER_SOURCE),
                token,
                tls(parsed));
    }

    /** The API's certificate and key, both or neither; the key owner-only, as a token file. */
    private static Optional<ServerTls> tls(Map<String, Object> parsed) {
        String cert = (String) parsed.get(SidecarSettings.HTTP_TLS_CERT_FILE);
        String key = (String) parsed.get(SidecarSettings.HTTP_TLS_KEY_FILE);
        if (cert == null && key == null) {
            return Optional.empty();
        }
        if (cert == null || key == null) {
            throw new ConfigurationException(
                    (cert == null ? SidecarSettings.HTTP_TLS_KEY_FILE : SidecarSettings.HTTP_TLS_CERT_FILE)
                            + " is set and "
                            + (cert == null ? SidecarSettings.HTTP_TLS_CERT_FILE : SidecarSettings.HTTP_TLS_KEY_FILE)
                            + " is not (expected: both, for HTTPS, or neither)");
        }
        String certWhere = SidecarSettings.HTTP_TLS_CERT_FILE + " " + cert;
        String keyWhere = SidecarSettings.HTTP_TLS_KEY_FILE + " " + key;
        ConfigLoader.requireOwnerOnly(keyWhere, Path.of(key));
        try {
            return Optional.of(ServerTls.fromPem(certWhere, Path.of(cert), keyWhere, Path.of(key)));
        } catch (IllegalArgumentException e) {
            throw new ConfigurationException(e.getMessage(), e);
        }
    }

    @SuppressWarnings("unchecked")
    private static SecuritySettings security(
            Map<String, Object> parsed, Map<String, Sourced> effective, Map<String, String> env) {
        int perSource = (Integer) parsed.get(SidecarSettings.NODE_ANSWERS_PER_SOURCE);
        int total = (Integer) parsed.get(SidecarSettings.NODE_ANSWERS_TOTAL);
        if (total < perSource) {
            throw new ConfigurationException(SidecarSettings.NODE_ANSWERS_TOTAL + " " + total + " is below "
                    + SidecarSettings.NODE_ANSWERS_PER_SOURCE + " " + perSource + " (expected: total >= per source)");
        }
        SecuritySettings security = SecuritySettings.of(
                Optional.ofNullable((String) parsed.get(SidecarSettings.SECURITY_KEYS_FILE))
                        .map(java.nio.file.Path::of),
                env,
                (String) parsed.get(SidecarSettings.SECURITY_LABEL),
                AuthMode.parse((String) parsed.get(SidecarSettings.SECURITY_AUTH_MODE)),
                ((List<String>) parsed.get(SidecarSettings.NODE_RELAY_FROM))
                        .stream().map(io.pulse.transport.Cidr::parse).toList(),
                perSource,
                total);
        if (!security.authenticating()) {
            for (String key : List.of(SidecarSettings.SECURITY_LABEL, SidecarSettings.SECURITY_AUTH_MODE)) {
                boolean none = key.equals(SidecarSettings.SECURITY_AUTH_MODE) && security.unauthenticatedByChoice();
                if (!none && !effective.get(key).source().equals("default")) {
                    throw new ConfigurationException(effective.get(key).source() + ": " + key + " is set and there are "
                            + "no keys (expected: " + SidecarSettings.SECURITY_KEYS_FILE
                            + " or the environment variable "
                            + SecuritySettings.ENV_KEYS + ")");
                }
            }
        }
        return security;
    }

    @SuppressWarnings("unchecked")
    private static ClusterSettings cluster(Map<String, Object> parsed, Map<String, Sourced> effective, Labels labels) {
        boolean enabled = (Boolean) parsed.get(SidecarSettings.CLUSTER_ENABLED);
        if (!enabled && !labels.equals(Labels.NONE)) {
            throw new ConfigurationException(
                    SidecarSettings.NODE_LABELS + "* are set and " + SidecarSettings.CLUSTER_ENABLED
                            + " is false (expected: labels for a cluster member, which its join carries into every event "
                            + "about it)");
        }
        List<String> join = (List<String>) parsed.get(SidecarSettings.CLUSTER_JOIN);
        if (!enabled && !join.isEmpty()) {
            throw new ConfigurationException(
                    effective.get(SidecarSettings.CLUSTER_JOIN).source() + ": "
                            + SidecarSettings.CLUSTER_JOIN + " is set and " + SidecarSettings.CLUSTER_ENABLED
                            + " is false (expected: " + SidecarSettings.CLUSTER_ENABLED + ": true to join a cluster)");
        }
        String advertise = (String) parsed.get(SidecarSettings.CLUSTER_ADVERTISE);
        ClusterConfig config;
        try {
            config = ClusterConfig.builder()
                    .observers((Integer) parsed.get(SidecarSettings.CLUSTER_OBSERVERS))
                    .highWatermark((Integer) parsed.get(SidecarSettings.CLUSTER_WATERMARK_HIGH))
                    .lowWatermark((Integer) parsed.get(SidecarSettings.CLUSTER_WATERMARK_LOW))
                    .consensusTimeout(duration(parsed, SidecarSettings.CLUSTER_CONSENSUS_TIMEOUT))
                    .holdDown(duration(parsed, SidecarSettings.CLUSTER_HOLD_DOWN))
                    .forgetAfter(duration(parsed, SidecarSettings.CLUSTER_FORGET_AFTER))
                    .publishTimeout(duration(parsed, SidecarSettings.CLUSTER_PUBLISH_TIMEOUT))
                    .build();
        } catch (IllegalArgumentException e) {
            throw new ConfigurationException("cluster settings: "
                    + e.getMessage()
                            .replace("highWatermark", SidecarSettings.CLUSTER_WATERMARK_HIGH)
                            .replace("lowWatermark", SidecarSettings.CLUSTER_WATERMARK_LOW)
                            .replace("observers", SidecarSettings.CLUSTER_OBSERVERS)
                            .replace("consensusTimeout", SidecarSettings.CLUSTER_CONSENSUS_TIMEOUT)
                            .replace("holdDown", SidecarSettings.CLUSTER_HOLD_DOWN)
                            .replace("forgetAfter", SidecarSettings.CLUSTER_FORGET_AFTER)
                            .replace("publishTimeout", SidecarSettings.CLUSTER_PUBLISH_TIMEOUT));
        }
        return new ClusterSettings(
                enabled,
                join,
                Optional.ofNullable(advertise).map(text -> {
                    NodeId id = NodeId.parse(text);
                    return InetSocketAddress.createUnresolved(id.host(), id.port());
                }),
                config,
                duration(parsed, SidecarSettings.CLUSTER_LEAVE_TIMEOUT),
                labels);
    }

    /** {@code detector.profile} as given, or lan; a value no profile has is refused where the key is checked. */
    private static Profile profile(Sourced given) {
        if (given == null) {
            return Profile.LAN;
        }
        try {
            return DetectorProfile.parse(String.valueOf(given.value()));
        } catch (IllegalArgumentException e) {
            throw new ConfigurationException(given.source() + ": " + SidecarSettings.DETECTOR_PROFILE + " \""
                    + given.value() + "\" (expected: lan, fast, wan or local)");
        }
    }

    /** {@code node.labels.*}, checked against the bounds a datagram sets; each shows in {@code --dry-run}. */
    private static Labels labels(Map<String, Sourced> raw, Map<String, Sourced> effective) {
        Map<String, String> labels = new TreeMap<>();
        String source = null;
        for (Map.Entry<String, Sourced> e : raw.entrySet()) {
            if (e.getKey().startsWith(SidecarSettings.NODE_LABELS)) {
                labels.put(
                        e.getKey().substring(SidecarSettings.NODE_LABELS.length()),
                        String.valueOf(e.getValue().value()));
                effective.put(e.getKey(), e.getValue());
                source = e.getValue().source();
            }
        }
        try {
            return Labels.of(labels);
        } catch (IllegalArgumentException e) {
            throw new ConfigurationException(source + ": " + SidecarSettings.NODE_LABELS + "*: " + e.getMessage());
        }
    }

    private static Duration duration(Map<String, Object> parsed, String key) {
        return Durations.parse((String) parsed.get(key));
    }

    /** The publisher's message with our key, and the source of the value, in place of its key. */
    private static String publisherMessage(
            String message, Map<String, Sourced> raw, java.util.Set<String> passThrough) {
        for (Map.Entry<String, String> key : PUBLISHER_KEYS.entrySet()) {
            String theirs = "configuration " + key.getValue();
            if (message.contains(theirs + ":") || message.endsWith(theirs)) {
                Sourced given = raw.get(key.getKey());
                return (given == null ? "default" : given.source()) + ": "
                        + message.replace(theirs, "configuration " + key.getKey());
            }
        }
        for (String property : passThrough) {
            String theirs = "configuration " + property;
            if (message.contains(theirs + ":") || message.endsWith(theirs)) {
                String ours = SidecarSettings.KAFKA_PROPERTIES + property;
                return raw.get(ours).source() + ": " + message.replace(theirs, "configuration " + ours);
            }
        }
        return "kafka settings: " + message;
    }

    /** The outbox directory. */
    public Path outboxDir() {
        return Path.of((String) kafka.get(PublisherConfig.OUTBOX_DIR));
    }

    /** {@code message} with the value of every secret setting in {@code raw} replaced by {@code [redacted]}. */
    private static String redacted(String message, Map<String, Sourced> raw) {
        String text = message;
        for (Map.Entry<String, Sourced> entry : raw.entrySet()) {
            String value = String.valueOf(entry.getValue().value());
            if (Secrets.isSecret(entry.getKey()) && !value.isEmpty()) {
                text = text.replace(value, Secrets.REDACTED);
            }
        }
        return text;
    }

    /** {@link #describe()}: the record's own text would show the Kafka properties, secrets included. */
    @Override
    public String toString() {
        return describe();
    }

    /** The effective settings as {@code key = value   (source)} lines; secrets as {@code [redacted]} ({@link Secrets}). */
    public String describe() {
        StringBuilder text = new StringBuilder();
        effective.forEach((key, value) -> text.append(key)
                .append(" = ")
                .append(
                        value.value() == null
                                ? "(none)"
                                : Secrets.isSecret(key)
                                        ? Secrets.REDACTED
                                        : value.value() instanceof List<?> list
                                                ? String.join(
                                                        ", ",
                                                        list.stream()
                                                                .map(String::valueOf)
                                                                .toList())
                                                : value.value())
                .append("   (")
                .append(value.source())
                .append(")\n"));
        return text.toString();
    }
}
