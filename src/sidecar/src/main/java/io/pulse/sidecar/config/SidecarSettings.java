package io.pulse.sidecar.config;

import io.pulse.core.ClusterConfig;
import io.pulse.core.DetectorConfig;
import io.pulse.kafka.PublisherConfig;
import io.pulse.sidecar.http.ApiLimits;
import io.pulse.transport.Cidr;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.ConfigDef.Importance;
import org.apache.kafka.common.config.ConfigDef.Type;

/**
 * Every setting of the sidecar, declared once: key, type, default, validator and doc, in
 * {@link #DEFINITION}. The table in {@code docs/configuration.md}, {@code pulse run --help}
 * ({@link SettingsDocs}) and the environment variable names all come from it.
 *
 * <pre>{@code
 * String table = SettingsDocs.markdownTable();
 * String env = SidecarSettings.envName("kafka.bootstrap.servers");   // PULSE_KAFKA_BOOTSTRAP_SERVERS
 * }</pre>
 *
 * Keys under {@link #KAFKA_PROPERTIES} ({@code kafka.properties.security.protocol: SSL}) are Kafka
 * client properties, passed through to the producer and admin client as they are.
 *
 * <p>Over 400 lines because it is the one declaration of every sidecar setting, a block each;
 * the reference table, {@code --help} and the environment names are generated from it.
 */
public final class SidecarSettings {
    public static final String NODE_BIND = "node.bind";
    public static final String NODE_ID = "node.id";
    public static final String NODE_RESPOND = "node.respond";
    public static final String NODE_RELAY_FROM = "node.relay.from";
    public static final String NODE_ANSWERS_PER_SOURCE = "node.answers.per.source";
    public static final String NODE_ANSWERS_TOTAL = "node.answers.total";
    public static final String SECURITY_KEYS_FILE = "security.keys.file";
    public static final String SECURITY_LABEL = "security.label";
    public static final String SECURITY_AUTH_MODE = "security.auth.mode";
    public static final String TARGETS = "targets";
    public static final String TARGETS_LOOKUP_INTERVAL = "targets.lookup.interval";
    public static final String DETECTOR_PROFILE = "detector.profile";
    public static final String PROBE_INTERVAL = "detector.probe.interval";
    public static final String PROBE_TIMEOUT_MIN = "detector.probe.timeout.min";
    public static final String PROBE_TIMEOUT_MAX = "detector.probe.timeout.max";
    public static final String MAX_RETRIES = "detector.max.retries";
    public static final String INDIRECT_PROBES = "detector.indirect.probes";
    public static final String SUSPICION_TIMEOUT = "detector.suspicion.timeout";
    public static final String DEAD_PROBE_INTERVAL = "detector.dead.probe.interval";
    public static final String JITTER_RATIO = "detector.jitter.ratio";
    public static final String LOCAL_HEALTH_MAX_MULTIPLIER = "detector.local.health.max.multiplier";
    public static final String CLUSTER_ENABLED = "cluster.enabled";
    public static final String CLUSTER_JOIN = "cluster.join";
    public static final String CLUSTER_ADVERTISE = "cluster.advertise";
    public static final String CLUSTER_OBSERVERS = "cluster.observers";
    public static final String CLUSTER_WATERMARK_HIGH = "cluster.watermark.high";
    public static final String CLUSTER_WATERMARK_LOW = "cluster.watermark.low";
    public static final String CLUSTER_CONSENSUS_TIMEOUT = "cluster.consensus.timeout";
    public static final String CLUSTER_HOLD_DOWN = "cluster.hold.down";
    public static final String CLUSTER_FORGET_AFTER = "cluster.forget.after";
    public static final String CLUSTER_PUBLISH_TIMEOUT = "cluster.publish.timeout";
    public static final String CLUSTER_LEAVE_TIMEOUT = "cluster.leave.timeout";
    /** Settings of earlier versions, and why they are gone: named in the error a config that still has them gets. */
    static final Map<String, String> REMOVED = Map.of(
            "cluster.gossip.interval", "membership changes are agreed by the members, not gossiped",
            "cluster.gossip.fanout", "membership changes are agreed by the members, not gossiped",
            "cluster.retransmit.multiplier", "membership changes are agreed by the members, not gossiped",
            "cluster.push.pull.interval", "a member behind the agreed configuration fetches it when a probe shows it",
            "cluster.suspicion.max.multiplier",
                    "a member is removed when " + "cluster.watermark.high of its observers report it",
            "cluster.reap.after", "see " + "cluster.forget.after",
            "security.replay.window", "the replay check counts per sender and boot, it has no window of time");

    public static final String KAFKA_ENABLED = "kafka.enabled";
    public static final String KAFKA_BOOTSTRAP_SERVERS = "kafka.bootstrap.servers";
    public static final String KAFKA_TOPIC_PREFIX = "kafka.topic.prefix";
    public static final String KAFKA_TOPIC_PARTITIONS = "kafka.topic.partitions";
    public static final String KAFKA_TOPIC_REPLICATION_FACTOR = "kafka.topic.replication.factor";
    public static final String KAFKA_CLUSTER = "kafka.cluster";
    public static final String KAFKA_VALUE_FORMAT = "kafka.value.format";
    public static final String KAFKA_SCHEMA_REGISTRY_URL = "kafka.schema.registry.url";
    public static final String KAFKA_STARTUP_TIMEOUT = "kafka.startup.timeout";
    public static final String KAFKA_CLOSE_TIMEOUT = "kafka.close.timeout";
    public static final String KAFKA_HEARTBEAT_INTERVAL = "kafka.heartbeat.interval";
    /** Prefix of pass-through Kafka client properties. */
    public static final String KAFKA_PROPERTIES = "kafka.properties.";
    /** The prefix of this member's labels: {@code node.labels.service: billing}. */
    public static final String NODE_LABELS = "node.labels.";

    static final String LABELS_DOC = "A label of this cluster member, carried by its join into every event "
            + "about it, e.g. `node.labels.service: billing` (at most 16; keys of A-Z a-z 0-9 . _ / -).";

    public static final String OUTBOX_DIR = "outbox.dir";
    public static final String OUTBOX_MAX_BYTES = "outbox.max.bytes";
    public static final String HTTP_ENABLED = "http.enabled";
    public static final String HTTP_BIND = "http.bind";
    public static final String HTTP_TOKEN_FILE = "http.token.file";
    public static final String HTTP_IDLE_TIMEOUT = "http.idle.timeout";
    public static final String HTTP_REQUEST_TIMEOUT = "http.request.timeout";
    public static final String HTTP_MAX_CONNECTIONS = "http.max.connections";
    public static final String HTTP_MAX_CONNECTIONS_PER_SOURCE = "http.max.connections.per.source";
    public static final String HTTP_TLS_CERT_FILE = "http.tls.cert.file";
    public static final String HTTP_TLS_KEY_FILE = "http.tls.key.file";
    public static final String LOG_FORMAT = "log.format";
    public static final String LOG_LEVEL = "log.level";

    public static final String DEFAULT_NODE_BIND = "0.0.0.0:7946";
    public static final String DEFAULT_HTTP_BIND = "127.0.0.1:8946";
    public static final String DEFAULT_BOOTSTRAP_SERVERS = "localhost:9092";
    public static final String DEFAULT_OUTBOX_DIR = "pulse-outbox";
    public static final String ENV_PREFIX = "PULSE_";

    public static final ConfigDef DEFINITION = new ConfigDef()
            .define(
                    NODE_BIND,
                    Type.STRING,
                    DEFAULT_NODE_BIND,
                    SettingValidators.validator(SettingValidators::checkBind, "host:port, port 0..65535"),
                    Importance.HIGH,
                    "UDP address this node probes from and answers pulses on.")
            .define(
                    NODE_ID,
                    Type.STRING,
                    null,
                    SettingValidators.validator(SettingValidators::checkNodeId, "host:port"),
                    Importance.MEDIUM,
                    "This node's id, written into every event as its observer; by default the bind address, "
                            + "or the host name and port when bound to a wildcard address.")
            .define(
                    NODE_RESPOND,
                    Type.BOOLEAN,
                    true,
                    Importance.MEDIUM,
                    "Answer peers' PINGs and relay their PING_REQs, so that they can watch this node.")
            .define(
                    NODE_RELAY_FROM,
                    Type.LIST,
                    Cidr.PRIVATE_BLOCKS,
                    SettingValidators.validator(SettingValidators::checkCidrs, "CIDR,... (empty: none)"),
                    Importance.MEDIUM,
                    "Address blocks of the strangers whose PING_REQs this node relays; watched nodes, members and "
                            + "authenticated peers are always relayed for. Empty: only those.")
            .define(
                    NODE_ANSWERS_PER_SOURCE,
                    Type.INT,
                    200,
                    ConfigDef.Range.between(1, 1_000_000),
                    Importance.LOW,
                    "Answers (ACKs, relayed PINGs) a second to one address; the excess is dropped and counted.")
            .define(
                    NODE_ANSWERS_TOTAL,
                    Type.INT,
                    50_000,
                    ConfigDef.Range.between(1, 10_000_000),
                    Importance.LOW,
                    "Answers a second to all addresses together; at least node.answers.per.source.")
            .define(
                    SECURITY_KEYS_FILE,
                    Type.STRING,
                    null,
                    Importance.HIGH,
                    "File of the keys that sign every datagram, one '<id> <base64 key> [primary]' a line "
                            + "(pulse keys generate); re-read when it changes, to rotate keys without a restart. "
                            + "Or the lines in the environment variable " + SecuritySettings.ENV_KEYS + ", ';' between "
                            + "them; never on a command line. None: nothing is signed.")
            .define(
                    SECURITY_LABEL,
                    Type.STRING,
                    "",
                    Importance.MEDIUM,
                    "Cluster label bound into every MAC: groups with other labels never accept this one's "
                            + "datagrams, even with the same keys. Needs keys.")
            .define(
                    SECURITY_AUTH_MODE,
                    Type.STRING,
                    "required",
                    ConfigDef.ValidString.in("required", "permissive", "none"),
                    Importance.MEDIUM,
                    "With keys: required drops unsigned datagrams; permissive accepts them too "
                            + "(counted), while keys are rolled out node by node. Without keys: none, written by "
                            + "the operator, lets a cluster member or a node bound beyond loopback run "
                            + "unauthenticated on a network it trusts (it refuses to start otherwise).")
            .define(
                    TARGETS,
                    Type.LIST,
                    List.of(),
                    SettingValidators.validator(SettingValidators::checkTargets, TargetSpec.EXPECTED),
                    Importance.HIGH,
                    "Watched nodes: host:port or udp://host:port (Pulse peers), "
                            + "http(s)://host:port/path (health URLs), tcp://host:port.")
            .define(
                    TARGETS_LOOKUP_INTERVAL,
                    Type.STRING,
                    Durations.format(io.pulse.transport.PulseEngineBuilder.DEFAULT_TARGET_LOOKUP_INTERVAL),
                    SettingValidators.noneOrBetween(Duration.ofSeconds(1), Duration.ofHours(1)),
                    Importance.LOW,
                    "How often targets given by host name are looked up again: one whose name resolves "
                            + "elsewhere (a pod that moved) is probed there, its status kept. The JVM keeps an "
                            + "answer 30 s (networkaddress.cache.ttl). 0s: looked up once, at start.")
            .define(
                    DETECTOR_PROFILE,
                    Type.STRING,
                    "lan",
                    ConfigDef.ValidString.in("lan", "fast", "wan", "local"),
                    Importance.HIGH,
                    "Preset of every timing: lan (the defaults below), fast (the quickest verdict a LAN allows), "
                            + "wan (high RTT, jitter, loss), local (one host). A timing set on its own overrides "
                            + "its profile (docs/configuration.md#profiles).")
            .define(
                    PROBE_INTERVAL,
                    Type.STRING,
                    Durations.format(DetectorConfig.DEFAULT_PROBE_INTERVAL),
                    SettingValidators.duration(),
                    Importance.MEDIUM,
                    "Time between the starts of two probe rounds of one target.")
            .define(
                    PROBE_TIMEOUT_MIN,
                    Type.STRING,
                    Durations.format(DetectorConfig.DEFAULT_PROBE_TIMEOUT_MIN),
                    SettingValidators.duration(),
                    Importance.LOW,
                    "Floor of the adaptive probe timeout (RFC 6298 RTO).")
            .define(
                    PROBE_TIMEOUT_MAX,
                    Type.STRING,
                    Durations.format(DetectorConfig.DEFAULT_PROBE_TIMEOUT_MAX),
                    SettingValidators.duration(),
                    Importance.MEDIUM,
                    "Ceiling of the adaptive probe timeout, and the timeout before any RTT sample.")
            .define(
                    MAX_RETRIES,
                    Type.INT,
                    DetectorConfig.DEFAULT_MAX_RETRIES,
                    ConfigDef.Range.between(0, 10),
                    Importance.LOW,
                    "Direct PING retries per probe round.")
            .define(
                    INDIRECT_PROBES,
                    Type.INT,
                    DetectorConfig.DEFAULT_INDIRECT_PROBES,
                    ConfigDef.Range.between(0, 16),
                    Importance.LOW,
                    "Peers asked to probe an unanswering target through PING_REQ (k).")
            .define(
                    SUSPICION_TIMEOUT,
                    Type.STRING,
                    Durations.format(DetectorConfig.DEFAULT_SUSPICION_TIMEOUT),
                    SettingValidators.duration(),
                    Importance.MEDIUM,
                    "How long a SUSPECT node has to answer before it is declared DEAD.")
            .define(
                    DEAD_PROBE_INTERVAL,
                    Type.STRING,
                    Durations.format(DetectorConfig.DEFAULT_DEAD_PROBE_INTERVAL),
                    SettingValidators.duration(),
                    Importance.LOW,
                    "Probe interval of DEAD nodes, so that a recovery is seen.")
            .define(
                    JITTER_RATIO,
                    Type.DOUBLE,
                    DetectorConfig.DEFAULT_JITTER_RATIO,
                    ConfigDef.Range.between(0.0, 0.5),
                    Importance.LOW,
                    "Share of the interval added or taken at random from each round.")
            .define(
                    LOCAL_HEALTH_MAX_MULTIPLIER,
                    Type.INT,
                    DetectorConfig.DEFAULT_LOCAL_HEALTH_MAX_MULTIPLIER,
                    ConfigDef.Range.between(1, 64),
                    Importance.LOW,
                    "Local health (Lifeguard): while indirect probes go wholly unanswered, probe timeouts and "
                            + "intervals stretch up to this many times; 1 turns it off.")
            .define(
                    CLUSTER_ENABLED,
                    Type.BOOLEAN,
                    false,
                    Importance.HIGH,
                    "Cluster mode: this sidecar is a member of one group with the others, which observe each other "
                            + "and agree on every change of the membership: a majority decides, and each change is "
                            + "published once.")
            .define(
                    CLUSTER_JOIN,
                    Type.LIST,
                    List.of(),
                    SettingValidators.validator(SettingValidators::checkSeeds, "host:port,..."),
                    Importance.HIGH,
                    "Cluster mode: members to join through (any live one will do); empty for the first member. "
                            + "Tried again every second until this member is in; when every seed is joining too, the "
                            + "lowest address founds the cluster.")
            .define(
                    CLUSTER_ADVERTISE,
                    Type.STRING,
                    null,
                    SettingValidators.validator(SettingValidators::checkNodeId, "host:port"),
                    Importance.MEDIUM,
                    "Cluster mode: the address other members reach this one at; by default "
                            + "node.bind, or this host's address with its port when bound to a wildcard address.")
            .define(
                    CLUSTER_OBSERVERS,
                    Type.INT,
                    ClusterConfig.DEFAULT_OBSERVERS,
                    ConfigDef.Range.between(1, 16),
                    Importance.LOW,
                    "Cluster mode: K, the rings on which members observe each other; each member is probed by "
                            + "this many others (fewer in a small cluster) and probes as many.")
            .define(
                    CLUSTER_WATERMARK_HIGH,
                    Type.INT,
                    ClusterConfig.DEFAULT_HIGH_WATERMARK,
                    ConfigDef.Range.between(1, 16),
                    Importance.LOW,
                    "Cluster mode: H, how many of a member's K observers must find it down to remove it "
                            + "(scaled to the observers it has); at most cluster.observers.")
            .define(
                    CLUSTER_WATERMARK_LOW,
                    Type.INT,
                    ClusterConfig.DEFAULT_LOW_WATERMARK,
                    ConfigDef.Range.between(1, 16),
                    Importance.LOW,
                    "Cluster mode: L, the reports from which a member counts as in flux and holds a change back "
                            + "until it settles, so that members failing together leave in one change; at most H.")
            .define(
                    CLUSTER_CONSENSUS_TIMEOUT,
                    Type.STRING,
                    Durations.format(ClusterConfig.DEFAULT_CONSENSUS_TIMEOUT),
                    SettingValidators.duration(),
                    Importance.LOW,
                    "Cluster mode: a coordinator without a majority's answer tries again after this (doubling "
                            + "up to 8 times); another waits this long per rank before it coordinates instead.")
            .define(
                    CLUSTER_HOLD_DOWN,
                    Type.STRING,
                    Durations.format(ClusterConfig.DEFAULT_HOLD_DOWN),
                    SettingValidators.duration(),
                    Importance.MEDIUM,
                    "Cluster mode: a member that fails again within this of a failure pages no more: it is held "
                            + "FLAPPING until this long passes without a failure.")
            .define(
                    CLUSTER_FORGET_AFTER,
                    Type.STRING,
                    Durations.format(ClusterConfig.DEFAULT_FORGET_AFTER),
                    SettingValidators.duration(),
                    Importance.LOW,
                    "Cluster mode: a member away (DEAD or LEFT) this long is forgotten: its return is then a new "
                            + "join, PENDING -> ALIVE, rather than DEAD -> ALIVE.")
            .define(
                    CLUSTER_PUBLISH_TIMEOUT,
                    Type.STRING,
                    Durations.format(ClusterConfig.DEFAULT_PUBLISH_TIMEOUT),
                    SettingValidators.duration(),
                    Importance.LOW,
                    "Cluster mode: a change's backup publishes its events when the publisher has not confirmed "
                            + "them in Kafka within this, so a verdict outlives its publisher's crash.")
            .define(
                    CLUSTER_LEAVE_TIMEOUT,
                    Type.STRING,
                    "5s",
                    SettingValidators.duration(),
                    Importance.LOW,
                    "Cluster mode: how long shutdown waits for the members to agree that this one left.")
            .define(
                    KAFKA_ENABLED,
                    Type.BOOLEAN,
                    true,
                    Importance.MEDIUM,
                    "Publish to Kafka; false runs the detector and the HTTP API only.")
            .define(
                    KAFKA_BOOTSTRAP_SERVERS,
                    Type.STRING,
                    DEFAULT_BOOTSTRAP_SERVERS,
                    new ConfigDef.NonEmptyString(),
                    Importance.HIGH,
                    "Kafka brokers, host:port,... (unreachable at start-up is not fatal: "
                            + "the outbox keeps events until Kafka answers).")
            .define(
                    KAFKA_TOPIC_PREFIX,
                    Type.STRING,
                    PublisherConfig.DEFAULT_TOPIC_PREFIX,
                    PublisherConfig.DEFINITION.configKeys().get(PublisherConfig.TOPIC_PREFIX).validator,
                    Importance.HIGH,
                    "Topics are <prefix>.failures, <prefix>.status, <prefix>.schemas (the writer schemas) and "
                            + "<prefix>.heartbeats.")
            .define(
                    KAFKA_VALUE_FORMAT,
                    Type.STRING,
                    "pulse",
                    PublisherConfig.DEFINITION.configKeys().get(PublisherConfig.VALUE_FORMAT).validator,
                    Importance.MEDIUM,
                    "How values are written: pulse (Avro single-object encoding, no registry) or confluent "
                            + "(Confluent's wire format, for Kafka Connect, ksqlDB and Confluent deserializers; the "
                            + "writer schemas registered under <topic>-value at start; needs "
                            + "kafka.schema.registry.url).")
            .define(
                    KAFKA_SCHEMA_REGISTRY_URL,
                    Type.STRING,
                    null,
                    Importance.MEDIUM,
                    "Base URL of a Confluent-compatible schema registry, for kafka.value.format: confluent; its "
                            + "credentials in kafka.properties.basic.auth.user.info (from the environment).")
            .define(
                    KAFKA_TOPIC_PARTITIONS,
                    Type.INT,
                    PublisherConfig.BROKER_DEFAULT,
                    PublisherConfig.DEFINITION.configKeys().get(PublisherConfig.TOPIC_PARTITIONS).validator,
                    Importance.LOW,
                    "Partitions of a topic Pulse creates; -1 for the broker's num.partitions.")
            .define(
                    KAFKA_TOPIC_REPLICATION_FACTOR,
                    Type.INT,
                    PublisherConfig.BROKER_DEFAULT,
                    PublisherConfig.DEFINITION.configKeys().get(PublisherConfig.TOPIC_REPLICATION_FACTOR).validator,
                    Importance.LOW,
                    "Replication factor of a topic Pulse creates; -1 for the broker's default.")
            .define(KAFKA_CLUSTER, Type.STRING, null, Importance.LOW, "Cluster name written into every event, or none.")
            .define(
                    KAFKA_STARTUP_TIMEOUT,
                    Type.STRING,
                    "10s",
                    SettingValidators.duration(),
                    Importance.LOW,
                    "How long start-up waits for Kafka to check the topics before probing starts anyway "
                            + "(events wait in the outbox until Kafka answers).")
            .define(
                    KAFKA_CLOSE_TIMEOUT,
                    Type.STRING,
                    "20s",
                    SettingValidators.duration(),
                    Importance.LOW,
                    "How long shutdown waits for Kafka to acknowledge what the outbox holds; the rest is sent "
                            + "after the next start. Keep it below the grace period of your orchestrator.")
            .define(
                    KAFKA_HEARTBEAT_INTERVAL,
                    Type.STRING,
                    "10s",
                    // from 100 ms (a heartbeat is not a probe) to 1 h (the publisher's bound)
                    SettingValidators.noneOrBetween(Duration.ofMillis(100), Duration.ofHours(1)),
                    Importance.MEDIUM,
                    "How often a heartbeat goes to <prefix>.heartbeats (compacted, key = this observer), saying "
                            + "it is alive and what it watches, so that consumers tell \"nothing failed\" from "
                            + "\"Pulse is down\"; 0s sends none. Not kept in the outbox: one Kafka does not take "
                            + "is dropped, the next replaces it.")
            .define(
                    OUTBOX_DIR,
                    Type.STRING,
                    DEFAULT_OUTBOX_DIR,
                    new ConfigDef.NonEmptyString(),
                    Importance.HIGH,
                    "Directory of the durable outbox (events not yet acknowledged by Kafka); keep it across restarts.")
            .define(
                    OUTBOX_MAX_BYTES,
                    Type.LONG,
                    PublisherConfig.DEFAULT_OUTBOX_MAX_BYTES,
                    ConfigDef.Range.atLeast(64 * 1024),
                    Importance.LOW,
                    "Bytes of unacknowledged events the outbox may hold; past it new events are "
                            + "dropped, counted and logged.")
            .define(
                    HTTP_ENABLED,
                    Type.BOOLEAN,
                    true,
                    Importance.LOW,
                    "Serve the HTTP API (/health, /status, /metrics).")
            .define(
                    HTTP_BIND,
                    Type.STRING,
                    DEFAULT_HTTP_BIND,
                    SettingValidators.validator(SettingValidators::checkBind, "host:port, port 0..65535"),
                    Importance.MEDIUM,
                    "Address of the HTTP API; localhost only by default.")
            .define(
                    HTTP_TOKEN_FILE,
                    Type.STRING,
                    null,
                    Importance.MEDIUM,
                    "File holding the bearer token every API request must carry (Authorization: Bearer <token>), "
                            + "/health excepted, and the dashboard's login asks for; readable by its owner only. "
                            + "None: no token (a warning when bound beyond loopback).")
            .define(
                    HTTP_IDLE_TIMEOUT,
                    Type.STRING,
                    Durations.format(ApiLimits.DEFAULT_IDLE_TIMEOUT),
                    SettingValidators.duration(),
                    Importance.LOW,
                    "An API connection without a request for this long is closed.")
            .define(
                    HTTP_REQUEST_TIMEOUT,
                    Type.STRING,
                    Durations.format(ApiLimits.DEFAULT_REQUEST_TIMEOUT),
                    SettingValidators.duration(),
                    Importance.LOW,
                    "An API request not wholly arrived this long after its first byte is closed.")
            .define(
                    HTTP_MAX_CONNECTIONS,
                    Type.INT,
                    ApiLimits.DEFAULT_MAX_CONNECTIONS,
                    ConfigDef.Range.between(1, 100_000),
                    Importance.LOW,
                    "API connections open at once; one more is closed as soon as it is accepted.")
            .define(
                    HTTP_MAX_CONNECTIONS_PER_SOURCE,
                    Type.INT,
                    ApiLimits.DEFAULT_MAX_CONNECTIONS_PER_SOURCE,
                    ConfigDef.Range.between(1, 100_000),
                    Importance.LOW,
                    "API connections one source address may hold open (at most http.max.connections count); one "
                            + "more from it is closed as soon as it is accepted, before TLS or the token are looked at.")
            .define(
                    HTTP_TLS_CERT_FILE,
                    Type.STRING,
                    null,
                    Importance.MEDIUM,
                    "PEM file of the certificate chain (leaf first) the API presents: with http.tls.key.file, the "
                            + "API (and pulse dashboard) speak HTTPS only. None: plain HTTP.")
            .define(
                    HTTP_TLS_KEY_FILE,
                    Type.STRING,
                    null,
                    Importance.MEDIUM,
                    "PEM file of the certificate's private key: unencrypted PKCS#8 (BEGIN PRIVATE KEY), "
                            + "readable by its owner only.")
            .define(
                    LOG_FORMAT,
                    Type.STRING,
                    "text",
                    ConfigDef.ValidString.in("text", "json"),
                    Importance.LOW,
                    "Log lines as readable text or as JSON lines.")
            .define(
                    LOG_LEVEL,
                    Type.STRING,
                    "info",
                    SettingValidators.validator(
                            value -> {
                                if (!List.of("error", "warn", "info", "debug", "trace")
                                        .contains(((String) value).toLowerCase(Locale.ROOT))) {
                                    throw new IllegalArgumentException(
                                            "expected one of error, warn, info, debug, trace");
                                }
                            },
                            "error, warn, info, debug or trace"),
                    Importance.LOW,
                    "Level of Pulse's own loggers.");

    private SidecarSettings() {}

    /** {@code PULSE_} and the key in upper case with dots as underscores. */
    public static String envName(String key) {
        return ENV_PREFIX + key.toUpperCase(Locale.ROOT).replace('.', '_').replace('-', '_');
    }
}
