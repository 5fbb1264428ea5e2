package io.pulse.sidecar.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.pulse.core.DetectorConfig;
import io.pulse.core.NodeId;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ConfigLoaderTest {
    @TempDir
    Path dir;

    private Path yaml(String text) throws IOException {
        Path file = dir.resolve("pulse.yaml");
        Files.writeString(file, text);
        return file;
    }

    private String failure(Path file, Map<String, String> env, Map<String, String> flags) {
        return assertThrows(ConfigurationException.class, () -> ConfigLoader.load(file, env, flags))
                .getMessage();
    }

    @Test
    void noFileGivesTheDefaultsThatWorkOnALan() {
        SidecarConfig config = ConfigLoader.load(null, Map.of(), Map.of());
        assertEquals("0.0.0.0", config.nodeBind().getHostString());
        assertEquals(7946, config.nodeBind().getPort());
        assertEquals(Optional.empty(), config.nodeId());
        assertTrue(config.respond());
        assertEquals(List.of(), config.targets());
        DetectorConfig detector = config.detector();
        assertEquals(DetectorConfig.DEFAULT_PROBE_INTERVAL, detector.probeInterval());
        assertEquals(DetectorConfig.DEFAULT_PROBE_TIMEOUT_MAX, detector.probeTimeoutMax());
        assertEquals(DetectorConfig.DEFAULT_SUSPICION_TIMEOUT, detector.suspicionTimeout());
        assertEquals(DetectorConfig.DEFAULT_INDIRECT_PROBES, detector.indirectProbes());
        assertTrue(config.kafkaEnabled());
        assertEquals("localhost:9092", config.kafka().get("bootstrap.servers"));
        assertEquals("pulse", config.kafka().get("pulse.topic.prefix"));
        assertEquals(Path.of("pulse-outbox"), config.outboxDir());
        assertEquals("127.0.0.1", config.httpBind().getHostString());
        assertEquals(8946, config.httpBind().getPort());
        assertEquals("text", config.logFormat());
        assertEquals("info", config.logLevel());
        assertEquals("default", config.effective().get("node.bind").source());
    }

    @Test
    void nestedAndDottedYamlKeysAreTheSameSettings() throws IOException {
        Path file = yaml("""
                node:
                  bind: 127.0.0.1:7001
                  id: pulse-1:7001
                targets:
                  - 127.0.0.1:7002
                  - udp://127.0.0.1:7003
                  - http://127.0.0.1:8080/health
                  - tcp://127.0.0.1:5432
                detector:
                  probe.interval: 500ms
                  probe:
                    timeout.max: 300ms
                  max.retries: 1
                  suspicion.timeout: 2s
                kafka:
                  bootstrap.servers: kafka-1:9092,kafka-2:9092
                  topic.prefix: prod.pulse
                  properties:
                    security.protocol: SSL
                    linger.ms: 5
                outbox.dir: /var/lib/pulse/outbox
                http.bind: 0.0.0.0:9000
                log:
                  format: json
                  level: DEBUG
                """);
        SidecarConfig config = ConfigLoader.load(file, Map.of(), Map.of());
        assertEquals(7001, config.nodeBind().getPort());
        assertEquals(Optional.of(NodeId.parse("pulse-1:7001")), config.nodeId());
        assertEquals(
                List.of(
                        new TargetSpec(TargetSpec.Kind.UDP, "127.0.0.1:7002"),
                        new TargetSpec(TargetSpec.Kind.UDP, "127.0.0.1:7003"),
                        new TargetSpec(TargetSpec.Kind.HTTP, "http://127.0.0.1:8080/health"),
                        new TargetSpec(TargetSpec.Kind.TCP, "127.0.0.1:5432")),
                config.targets());
        assertEquals(Duration.ofMillis(500), config.detector().probeInterval());
        assertEquals(Duration.ofMillis(300), config.detector().probeTimeoutMax());
        assertEquals(1, config.detector().maxRetries());
        assertEquals(Duration.ofSeconds(2), config.detector().suspicionTimeout());
        assertEquals("kafka-1:9092,kafka-2:9092", config.kafka().get("bootstrap.servers"));
        assertEquals("prod.pulse", config.kafka().get("pulse.topic.prefix"));
        assertEquals("SSL", config.kafka().get("security.protocol"));
        assertEquals("5", config.kafka().get("linger.ms"));
        assertEquals(Path.of("/var/lib/pulse/outbox"), config.outboxDir());
        assertEquals(9000, config.httpBind().getPort());
        assertEquals("json", config.logFormat());
        assertEquals("debug", config.logLevel());
        assertEquals(
                file.toString(),
                config.effective().get("detector.probe.interval").source());
    }

    @Test
    void environmentOverridesTheFileAndFlagsOverrideBoth() throws IOException {
        Path file = yaml("node.bind: 127.0.0.1:7001\ndetector.probe.interval: 2s\nhttp.bind: 127.0.0.1:9001\n");
        Map<String, String> env = Map.of(
                "PULSE_DETECTOR_PROBE_INTERVAL", "3s",
                "PULSE_HTTP_BIND", "127.0.0.1:9002",
                "PULSE_KAFKA_PROPERTIES_SASL_MECHANISM", "PLAIN",
                "PULSE_SERVER", "unix:/run/pulse/native", // PulseAudio's, not ours: ignored
                "HOME", "/root");
        SidecarConfig config = ConfigLoader.load(file, env, Map.of("http.bind", "127.0.0.1:9003"));
        assertEquals(7001, config.nodeBind().getPort());
        assertEquals(Duration.ofSeconds(3), config.detector().probeInterval());
        assertEquals(9003, config.httpBind().getPort());
        assertEquals("PLAIN", config.kafka().get("sasl.mechanism"));
        assertEquals(
                "environment PULSE_DETECTOR_PROBE_INTERVAL",
                config.effective().get("detector.probe.interval").source());
        assertEquals("flag --set http.bind", config.effective().get("http.bind").source());
        assertTrue(
                config.describe()
                        .contains("detector.probe.interval = 3s   (environment PULSE_DETECTOR_PROBE_INTERVAL)\n"),
                config.describe());
    }

    @Test
    void aBadValueNamesItsSourceKeyValueAndWhatIsAllowed() throws IOException {
        Path file = yaml("detector:\n  probe.interval: 5 parsecs\n");
        assertEquals(
                file + ": Invalid value 5 parsecs for configuration detector.probe.interval: "
                        + "expected a duration such as 500ms, 1s, 1.5s, 2m, 1h or PT0.5S",
                failure(file, Map.of(), Map.of()));
        assertEquals(
                "environment PULSE_DETECTOR_MAX_RETRIES: Invalid value 11 for configuration detector.max.retries: "
                        + "Value must be no more than 10",
                failure(null, Map.of("PULSE_DETECTOR_MAX_RETRIES", "11"), Map.of()));
        assertEquals(
                "flag --set node.bind: Invalid value 127.0.0.1 for configuration node.bind: "
                        + "expected host:port (IPv6 in brackets)",
                failure(null, Map.of(), Map.of("node.bind", "127.0.0.1")));
        assertEquals(
                "flag --set log.format: Invalid value xml for configuration log.format: String must be one of: text, json",
                failure(null, Map.of(), Map.of("log.format", "xml")));
        assertEquals(
                "flag --set kafka.enabled: Invalid value maybe for configuration kafka.enabled: Expected value to be "
                        + "either true or false",
                failure(null, Map.of(), Map.of("kafka.enabled", "maybe")));
    }

    @Test
    void aBadTargetSaysWhichFormsAreAllowed() {
        assertEquals(
                "flag --set targets: Invalid value [127.0.0.1:7002, ftp://x:21] for configuration targets: "
                        + "unknown scheme in ftp://x:21 (expected: " + TargetSpec.EXPECTED + ")",
                failure(null, Map.of(), Map.of("targets", "127.0.0.1:7002,ftp://x:21")));
        assertEquals(
                "flag --set targets: Invalid value [db-1] for configuration targets: node id must be host:port "
                        + "(IPv6 in brackets), got \"db-1\" (expected: " + TargetSpec.EXPECTED + ")",
                failure(null, Map.of(), Map.of("targets", "db-1")));
    }

    @Test
    void unknownKeysAreRefusedWithTheKnownOnesOfTheirSection() throws IOException {
        Path file = yaml("detector:\n  probe.intervall: 1s\n");
        assertEquals(
                file + ": unknown key detector.probe.intervall (expected one of [detector.dead.probe.interval, "
                        + "detector.indirect.probes, detector.jitter.ratio, detector.local.health.max.multiplier, "
                        + "detector.max.retries, detector.probe.interval, detector.probe.timeout.max, "
                        + "detector.probe.timeout.min, detector.profile, detector.suspicion.timeout], "
                        + "or kafka.properties.<Kafka client property>, or node.labels.<label>)",
                failure(file, Map.of(), Map.of()));
        String flag = failure(null, Map.of(), Map.of("nodes.bind", "127.0.0.1:1"));
        assertTrue(
                flag.startsWith("flag --set nodes.bind: unknown key nodes.bind (expected one of [cluster.advertise"),
                flag);
    }

    @Test
    void clusterSettingsAreCheckedTogether() throws IOException {
        assertEquals(
                "flag --set cluster.join: cluster.join is set and cluster.enabled is false "
                        + "(expected: cluster.enabled: true to join a cluster)",
                failure(null, Map.of(), Map.of("cluster.join", "10.0.0.1:7946")));
        assertEquals(
                "cluster.enabled is true and node.respond is false (expected: a cluster member answers its "
                        + "observers; set node.respond: true)",
                failure(null, Map.of(), Map.of("cluster.enabled", "true", "node.respond", "false")));
        assertEquals(
                "flag --set cluster.join: Invalid value [db-1] for configuration cluster.join: "
                        + "node id must be host:port (IPv6 in brackets), got \"db-1\"",
                failure(null, Map.of(), Map.of("cluster.enabled", "true", "cluster.join", "db-1")));
        assertEquals(
                "cluster settings: highWatermark must be in 1..4, got 5"
                        .replace("highWatermark", "cluster.watermark.high"),
                failure(null, Map.of(), Map.of("cluster.enabled", "true", "cluster.observers", "4")));
        assertEquals(
                "flag --set cluster.gossip.interval: cluster.gossip.interval is no longer a setting: membership "
                        + "changes are agreed by the members, not gossiped (docs/configuration.md; remove it)",
                failure(null, Map.of(), Map.of("cluster.gossip.interval", "200ms")));
        SidecarConfig config = ConfigLoader.load(
                yaml("cluster:\n  enabled: true\n  join: [10.0.0.1:7946, '[::1]:7946']\n"
                        + "  observers: 6\n  watermark:\n    high: 4\n    low: 2\n  hold.down: 5m\n"
                        + "  advertise: 10.0.0.9:7946\n"),
                Map.of(),
                Map.of());
        assertTrue(config.cluster().enabled());
        assertEquals(
                java.util.List.of("10.0.0.1:7946", "[::1]:7946"),
                config.cluster().join());
        assertEquals(6, config.cluster().config().observers());
        assertEquals(4, config.cluster().config().highWatermark());
        assertEquals(java.time.Duration.ofMinutes(5), config.cluster().config().holdDown());
        assertEquals("10.0.0.9", config.cluster().advertise().orElseThrow().getHostString());
        assertEquals(java.time.Duration.ofSeconds(5), config.cluster().leaveTimeout());
    }

    /** A profile sets every timing it names; a setting of one's own wins; --dry-run says where each came from. */
    @Test
    void aProfileSetsItsTimingsAndASettingOfOnesOwnOverridesIt() {
        SidecarConfig fast = ConfigLoader.load(
                null, Map.of(), Map.of("detector.profile", "fast", "detector.suspicion.timeout", "500ms"));
        assertEquals(java.time.Duration.ofMillis(200), fast.detector().probeInterval());
        assertEquals(java.time.Duration.ofMillis(150), fast.detector().probeTimeoutMax());
        assertEquals(java.time.Duration.ofMillis(500), fast.detector().suspicionTimeout());
        assertEquals(java.time.Duration.ofMillis(300), fast.cluster().config().consensusTimeout());
        String described = fast.describe();
        assertTrue(described.contains("detector.probe.interval = 200ms   (profile fast)\n"), described);
        assertTrue(
                described.contains("detector.suspicion.timeout = 500ms   (flag --set detector.suspicion.timeout)\n"),
                described);
        assertTrue(described.contains("detector.indirect.probes = 3   (default)\n"), described);

        for (io.pulse.core.Profile profile : io.pulse.core.Profile.values()) {
            SidecarConfig config = ConfigLoader.load(
                    null, Map.of(), Map.of("detector.profile", profile.name().toLowerCase(java.util.Locale.ROOT)));
            assertEquals(
                    profile.applyTo(io.pulse.core.DetectorConfig.builder())
                            .randomSeed(config.detector().randomSeed())
                            .build(),
                    config.detector(),
                    profile + ": the engine's preset");
            assertEquals(profile.consensusTimeout(), config.cluster().config().consensusTimeout());
        }
        ConfigurationException bad = assertThrows(
                ConfigurationException.class,
                () -> ConfigLoader.load(null, Map.of("PULSE_DETECTOR_PROFILE", "turbo"), Map.of()));
        assertEquals(
                "environment PULSE_DETECTOR_PROFILE: detector.profile \"turbo\" (expected: lan, fast, wan or local)",
                bad.getMessage());
    }

    /** Confluent's wire format from the sidecar: its own keys, passed to the publisher; the registry is required. */
    @Test
    void confluentFormatIsTheSidecarsOwnSettingAndNeedsARegistry() {
        SidecarConfig config = ConfigLoader.load(
                null,
                Map.of(),
                Map.of("kafka.value.format", "confluent", "kafka.schema.registry.url", "http://registry:8081"));
        assertEquals("confluent", config.kafka().get("pulse.value.format"));
        assertEquals("http://registry:8081", config.kafka().get("schema.registry.url"));

        ConfigurationException noRegistry = assertThrows(
                ConfigurationException.class,
                () -> ConfigLoader.load(null, Map.of(), Map.of("kafka.value.format", "confluent")));
        assertTrue(noRegistry.getMessage().contains("kafka.schema.registry.url"), noRegistry.getMessage());
        ConfigurationException twice = assertThrows(
                ConfigurationException.class,
                () -> ConfigLoader.load(
                        null, Map.of(), Map.of("kafka.properties.schema.registry.url", "http://registry:8081")));
        assertTrue(twice.getMessage().contains("(expected: kafka.schema.registry.url instead)"), twice.getMessage());
    }

    @Test
    void nodeLabelsComeFromTheFileAndTheEnvironmentAndAreCheckedAgainstTheirBounds() throws IOException {
        SidecarConfig config = ConfigLoader.load(
                yaml(
                        "cluster.enabled: true\nnode:\n  labels:\n    service: billing\n    app.kubernetes.io/name: api\n"),
                Map.of("PULSE_NODE_LABELS_ZONE", "eu-west-1a"),
                Map.of());
        assertEquals(
                io.pulse.core.Labels.of(
                        Map.of("service", "billing", "app.kubernetes.io/name", "api", "zone", "eu-west-1a")),
                config.cluster().labels());
        assertTrue(
                config.describe().contains("node.labels.zone = eu-west-1a   (environment PULSE_NODE_LABELS_ZONE)\n"));

        ConfigurationException bad = assertThrows(
                ConfigurationException.class,
                () -> ConfigLoader.load(null, Map.of(), Map.of("cluster.enabled", "true", "node.labels.a b", "x")));
        assertEquals(
                "flag --set node.labels.a b: node.labels.*: label key \"a b\" (expected: 1..63 characters of "
                        + "A-Z a-z 0-9 . _ / -)",
                bad.getMessage());
        ConfigurationException staticMode = assertThrows(
                ConfigurationException.class,
                () -> ConfigLoader.load(null, Map.of(), Map.of("node.labels.service", "x")));
        assertTrue(
                staticMode.getMessage().startsWith("node.labels.* are set and cluster.enabled is false"),
                staticMode.getMessage());
    }

    @Test
    void securitySettingsReadKeysFromAFileOrTheEnvironmentAndNeverFromAFlag() throws IOException {
        SidecarConfig plain = ConfigLoader.load(null, Map.of(), Map.of());
        assertFalse(plain.security().authenticating());
        assertEquals(io.pulse.transport.Cidr.PRIVATE, plain.security().relayFrom());
        assertEquals(200, plain.security().answersPerSource());

        String key = io.pulse.protocol.Keyring.generateKey();
        Path keys = io.pulse.testkit.SecretFiles.write(dir.resolve("keys"), "1 " + key + "\n");
        SidecarConfig signed = ConfigLoader.load(
                yaml("security:\n  keys.file: " + keys + "\n  label: prod\n"
                        + "  auth.mode: permissive\nnode.relay.from: [10.1.0.0/16]\n"),
                Map.of(),
                Map.of());
        assertEquals(1, signed.security().readKeyring().orElseThrow().primary());
        assertEquals("prod", signed.security().readKeyring().orElseThrow().label());
        assertEquals(AuthMode.PERMISSIVE, signed.security().mode());
        assertEquals(
                List.of(io.pulse.transport.Cidr.parse("10.1.0.0/16")),
                signed.security().relayFrom());
        assertFalse(signed.security().toString().contains(key));
        assertFalse(signed.effective().toString().contains(key));

        SidecarConfig fromEnv =
                ConfigLoader.load(null, Map.of("PULSE_SECURITY_KEYS", "1 " + key + ";2 " + key + " primary"), Map.of());
        assertEquals(2, fromEnv.security().readKeyring().orElseThrow().primary());
        assertFalse(fromEnv.security().toString().contains(key));

        assertTrue(failure(null, Map.of(), Map.of("security.keys", "1 " + key))
                .startsWith("flag --set security.keys: keys are never read from a command line or the config file"));
        assertFalse(failure(null, Map.of(), Map.of("security.keys", "1 " + key)).contains(key));
        assertEquals(
                "security.keys.file " + dir.resolve("none") + ": no such file",
                failure(
                        null,
                        Map.of(),
                        Map.of("security.keys.file", dir.resolve("none").toString())));
        Files.writeString(keys, "1 " + key + "\n2 " + key + "\n");
        assertEquals(
                "security.keys.file " + keys + ": 2 keys and none marked primary (expected: exactly one line ending "
                        + "in 'primary')",
                failure(null, Map.of(), Map.of("security.keys.file", keys.toString())));
        assertEquals(
                "flag --set security.label: security.label is set and there are no keys (expected: "
                        + "security.keys.file or the environment variable PULSE_SECURITY_KEYS)",
                failure(null, Map.of(), Map.of("security.label", "prod")));
        assertEquals(
                "node.answers.total 10 is below node.answers.per.source 200 (expected: total >= per source)",
                failure(null, Map.of(), Map.of("node.answers.total", "10")));
        assertTrue(failure(null, Map.of(), Map.of("node.relay.from", "10.0.0.0/33"))
                .contains("prefix length 33"));
    }

    @Test
    void aKeysOrTokenFileItsGroupOrOthersMayReadOrWriteIsRefused() {
        org.junit.jupiter.api.Assumptions.assumeTrue(
                io.pulse.testkit.SecretFiles.posix(dir), "no POSIX permissions on this file system");
        Path keys = io.pulse.testkit.SecretFiles.write(
                dir.resolve("keys"), "1 " + io.pulse.protocol.Keyring.generateKey() + " primary\n");
        Path token = io.pulse.testkit.SecretFiles.write(dir.resolve("api-token"), "s3cret\n");
        Map<String, String> both = Map.of("security.keys.file", keys.toString(), "http.token.file", token.toString());
        assertTrue(ConfigLoader.load(null, Map.of(), both).security().authenticating());
        io.pulse.testkit.SecretFiles.permissions(keys, "r--------");
        assertEquals(
                "s3cret",
                ConfigLoader.load(null, Map.of(), both).httpLimits().token().orElseThrow());

        for (String open : List.of("rw-r--r--", "rw-r-----", "rw----r--", "rw--w----", "rw-----w-")) {
            io.pulse.testkit.SecretFiles.permissions(keys, open);
            assertEquals(
                    "security.keys.file " + keys + ": its group or others may read or write it (" + open
                            + ") (expected: only its owner, e.g. chmod 600 " + keys + ")",
                    failure(null, Map.of(), Map.of("security.keys.file", keys.toString())));
        }
        io.pulse.testkit.SecretFiles.permissions(token, "rw-rw-rw-");
        assertEquals(
                "http.token.file " + token + ": its group or others may read or write it (rw-rw-rw-) "
                        + "(expected: only its owner, e.g. chmod 600 " + token + ")",
                failure(null, Map.of("PULSE_HTTP_TOKEN_FILE", token.toString()), Map.of()));
        io.pulse.testkit.SecretFiles.permissions(token, "rwx--x--x");
        assertEquals(
                "s3cret",
                ConfigLoader.load(null, Map.of(), Map.of("http.token.file", token.toString()))
                        .httpLimits()
                        .token()
                        .orElseThrow(),
                "execute bits let no one read it");
    }

    @Test
    void tlsTakesACertificateAndAnOwnerOnlyKeyBothOrNeither() {
        io.pulse.testkit.SelfSignedPem pem = io.pulse.testkit.SelfSignedPem.create(dir, "pulse", "EC");
        Map<String, String> both = Map.of(
                "http.tls.cert.file",
                pem.certFile().toString(),
                "http.tls.key.file",
                pem.keyFile().toString());
        SidecarConfig config = ConfigLoader.load(null, Map.of(), both);
        assertEquals(
                "ServerTls[cert=" + pem.certFile() + ", key=" + pem.keyFile() + "]",
                config.httpLimits().tls().orElseThrow().toString());
        assertTrue(
                ConfigLoader.load(null, Map.of(), Map.of()).httpLimits().tls().isEmpty());
        assertEquals(
                "http.tls.cert.file is set and http.tls.key.file is not (expected: both, for HTTPS, or neither)",
                failure(
                        null,
                        Map.of(),
                        Map.of("http.tls.cert.file", pem.certFile().toString())));
        assertEquals(
                "http.tls.key.file is set and http.tls.cert.file is not (expected: both, for HTTPS, or neither)",
                failure(null, Map.of("PULSE_HTTP_TLS_KEY_FILE", pem.keyFile().toString()), Map.of()));
        assertEquals(
                "http.tls.cert.file " + pem.keyFile() + ": no certificate in it (expected: PEM, -----BEGIN "
                        + "CERTIFICATE-----, leaf first)",
                failure(
                        null,
                        Map.of(),
                        Map.of(
                                "http.tls.cert.file",
                                pem.keyFile().toString(),
                                "http.tls.key.file",
                                pem.keyFile().toString())));
        org.junit.jupiter.api.Assumptions.assumeTrue(io.pulse.testkit.SecretFiles.posix(dir));
        io.pulse.testkit.SecretFiles.permissions(pem.keyFile(), "rw-r--r--");
        assertEquals(
                "http.tls.key.file " + pem.keyFile() + ": its group or others may read or write it (rw-r--r--) "
                        + "(expected: only its owner, e.g. chmod 600 " + pem.keyFile() + ")",
                failure(null, Map.of(), both));
    }

    @Test
    void anAliasCycleOrADeepNestIsAConfigurationError() throws IOException {
        assertEquals(
                dir.resolve("pulse.yaml")
                        + ": node.self is an alias of a mapping it is inside of (expected: no alias cycles)",
                failure(yaml("node: &n {self: *n}\n"), Map.of(), Map.of()));
        assertEquals(
                dir.resolve("pulse.yaml")
                        + ": a.b.c.d is an alias of a mapping it is inside of (expected: no alias cycles)",
                failure(yaml("a:\n  b: &b\n    c: {d: *b}\n"), Map.of(), Map.of()));
        assertTrue(failure(yaml("a: ".repeat(1) + "{b: ".repeat(40) + "1" + "}".repeat(40) + "\n"), Map.of(), Map.of())
                .contains("nested deeper than 16 levels"));
        // An alias used twice, without a cycle, is fine.
        SidecarConfig shared = ConfigLoader.load(
                yaml("targets: &t [10.0.0.1:7946]\ncluster: {enabled: true, join: *t}\n"), Map.of(), Map.of());
        assertEquals(List.of("10.0.0.1:7946"), shared.cluster().join());
        assertEquals(1, shared.targets().size());
    }

    @Test
    void theDescriptionOfADryRunShowsNoSecret() {
        String jaas =
                "org.apache.kafka.common.security.scram.ScramLoginModule required username=\"pulse\" password=\"hunter2\";";
        SidecarConfig config = ConfigLoader.load(
                null,
                Map.of("PULSE_KAFKA_PROPERTIES_SSL_KEY_PASSWORD", "hunter3"),
                Map.of(
                        "kafka.properties.security.protocol",
                        "SASL_SSL",
                        "kafka.properties.sasl.mechanism",
                        "SCRAM-SHA-512",
                        "kafka.properties.sasl.jaas.config",
                        jaas,
                        "kafka.properties.ssl.truststore.password",
                        "hunter4"));
        String described = config.describe();
        for (String secret : List.of("hunter2", "hunter3", "hunter4")) {
            assertFalse(described.contains(secret), described);
        }
        assertTrue(
                described.contains(
                        "kafka.properties.sasl.jaas.config = [redacted]   (flag --set kafka.properties.sasl.jaas.config)"),
                described);
        assertTrue(described.contains("kafka.properties.ssl.key.password = [redacted]   (environment "), described);
        assertTrue(described.contains("kafka.properties.security.protocol = SASL_SSL"), described);
        assertTrue(described.contains("kafka.properties.sasl.mechanism = SCRAM-SHA-512"), described);
        assertFalse(config.toString().contains("hunter2"), "toString is the description");
        for (String secret : List.of(
                "kafka.properties.sasl.jaas.config",
                "kafka.properties.ssl.keystore.key",
                "kafka.properties.ssl.truststore.password",
                "kafka.properties.sasl.oauthbearer.client.credentials.client.secret",
                "some.api.token",
                "signing.key")) {
            assertTrue(Secrets.isSecret(secret), secret);
        }
        for (String shown : List.of(
                "http.token.file",
                "security.keys.file",
                "kafka.properties.ssl.keystore.location",
                "kafka.properties.key.serializer",
                "kafka.properties.sasl.mechanism",
                "security.label")) {
            assertFalse(Secrets.isSecret(shown), shown);
        }
        // A value Kafka refuses comes back in its message; a secret one does not.
        String refused = failure(
                null,
                Map.of(),
                Map.of(
                        "kafka.properties.sasl.jaas.config",
                        "hunter5",
                        "kafka.properties.ssl.keystore.type",
                        "nope",
                        "kafka.properties.ssl.key.password",
                        "hunter6",
                        "kafka.properties.acks",
                        "hunter6"));
        assertFalse(refused.contains("hunter6"), refused);
    }

    @Test
    void rulesAcrossSettingsNameTheKeys() {
        assertEquals(
                "detector settings: detector.probe.timeout.min (800 ms) must be <= detector.probe.timeout.max (500 ms) "
                        + "(detector.probe.timeout.max from default, detector.probe.timeout.min from flag --set detector.probe.timeout.min)",
                failure(null, Map.of(), Map.of("detector.probe.timeout.min", "800ms")));
    }

    @Test
    void kafkaPropertiesAreCheckedByThePublisherAndReportedUnderOurKeys() {
        assertEquals(
                "flag --set kafka.properties.acks: Invalid value 1 for configuration kafka.properties.acks: must be "
                        + "[-1, all]: the outbox marks an event done only when every in-sync replica has it",
                failure(null, Map.of(), Map.of("kafka.properties.acks", "1")));
        assertEquals(
                "flag --set kafka.properties.no.such.thing: Invalid value x for configuration "
                        + "kafka.properties.no.such.thing: unknown setting (expected a pulse.* setting or a Kafka producer or "
                        + "admin client property)",
                failure(null, Map.of(), Map.of("kafka.properties.no.such.thing", "x")));
        assertEquals(
                "flag --set kafka.topic.prefix: Invalid value a b for configuration kafka.topic.prefix: must be "
                        + "1..236 of [a-zA-Z0-9._-]",
                failure(null, Map.of(), Map.of("kafka.topic.prefix", "a b")));
    }

    @Test
    void kafkaPropertiesThatTheSidecarSetsItselfAreRefused() {
        assertEquals(
                "flag --set kafka.properties.bootstrap.servers: kafka.properties.bootstrap.servers is set by the "
                        + "sidecar's own key kafka.bootstrap.servers (expected: kafka.bootstrap.servers instead)",
                failure(null, Map.of(), Map.of("kafka.properties.bootstrap.servers", "k:9092")));
        assertEquals(
                "flag --set kafka.properties.pulse.close.timeout.ms: kafka.properties.pulse.close.timeout.ms is not a "
                        + "Kafka client property (expected: the sidecar's own keys for Pulse's settings, see pulse run --help)",
                failure(null, Map.of(), Map.of("kafka.properties.pulse.close.timeout.ms", "1")));
        assertEquals(
                20_000L, ConfigLoader.load(null, Map.of(), Map.of()).kafka().get("pulse.close.timeout.ms"));
        assertEquals(
                1_500L,
                ConfigLoader.load(null, Map.of(), Map.of("kafka.close.timeout", "1.5s"))
                        .kafka()
                        .get("pulse.close.timeout.ms"));
    }

    @Test
    void httpTargetsGetTheProbesOwnChecksAtLoad() {
        String message = failure(null, Map.of(), Map.of("targets", "http://127.0.0.1:0/health"));
        assertTrue(
                message.startsWith(
                        "flag --set targets: Invalid value [http://127.0.0.1:0/health] for configuration targets: "),
                message);
    }

    @Test
    void yamlErrorsGiveTheLineAndColumn() throws IOException {
        Path file = yaml("node:\n  bind: 127.0.0.1:7001\n   id: x\n");
        String message = failure(file, Map.of(), Map.of());
        assertTrue(message.startsWith(file + ": line 3, column 6: mapping values are not allowed here"), message);
        Path duplicate = yaml("node.bind: 127.0.0.1:1\nnode.bind: 127.0.0.1:2\n");
        String twice = failure(duplicate, Map.of(), Map.of());
        assertTrue(twice.startsWith(duplicate + ": line 2, column 1: found duplicate key node.bind"), twice);
        assertEquals(
                file + ": got a list at the top (expected: a mapping of keys to values)",
                failure(yaml("- a\n- b\n"), Map.of(), Map.of()));
        assertEquals(
                dir.resolve("missing.yaml") + ": no such file",
                failure(dir.resolve("missing.yaml"), Map.of(), Map.of()));
    }

    @Test
    void anEmptyFileIsAllDefaults() throws IOException {
        SidecarConfig config = ConfigLoader.load(yaml("# nothing set\n"), Map.of(), Map.of());
        assertEquals(7946, config.nodeBind().getPort());
        assertFalse(config.effective().isEmpty());
    }

    @Test
    void setFlagsMustBeKeyEqualsValue() {
        assertEquals(
                "flag --set: got \"node.bind\" (expected: key=value, e.g. node.bind=127.0.0.1:7946)",
                assertThrows(ConfigurationException.class, () -> ConfigLoader.parseAssignment("node.bind"))
                        .getMessage());
        assertEquals(Map.entry("a.b", "c=d"), ConfigLoader.parseAssignment("a.b = c=d"));
    }
}
