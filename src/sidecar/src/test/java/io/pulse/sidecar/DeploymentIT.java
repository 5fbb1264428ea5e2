package io.pulse.sidecar;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;

/**
 * docker-compose.yml and the Dockerfile, checked without a Docker engine: the compose file's
 * structure, and each service's command line run from the jar the image is built from (with
 * {@code --dry-run} for {@code run}, so that nothing binds the containers' addresses here).
 */
class DeploymentIT {
    static final Path COMPOSE = Path.of("docker-compose.yml");
    static final Path DOCKERFILE = Path.of("src/sidecar/src/main/docker/Dockerfile");
    static final Path CONFIG = Path.of("src/sidecar/src/main/docker/pulse.yaml");
    static final List<String> SIDECARS = List.of("pulse-1", "pulse-2", "pulse-3");

    @TempDir
    Path dir;

    @SuppressWarnings("unchecked")
    static Map<String, Object> compose() throws Exception {
        LoaderOptions options = new LoaderOptions();
        options.setAllowDuplicateKeys(false);
        return (Map<String, Object>) new Yaml(new SafeConstructor(options)).load(Files.readString(COMPOSE));
    }

    @SuppressWarnings("unchecked")
    static Map<String, Object> service(String name) throws Exception {
        Map<String, Object> services = (Map<String, Object>) compose().get("services");
        assertTrue(services.containsKey(name), "service " + name + " in " + services.keySet());
        return (Map<String, Object>) services.get(name);
    }

    /** The Dockerfile's exec-form ENTRYPOINT, and its java options. */
    static List<String> entrypoint() throws Exception {
        Matcher m = Pattern.compile("(?m)^ENTRYPOINT \\[(.*)]$").matcher(Files.readString(DOCKERFILE));
        assertTrue(m.find(), "an exec-form ENTRYPOINT in " + DOCKERFILE);
        List<String> words = new ArrayList<>();
        Matcher word = Pattern.compile("\"([^\"]*)\"").matcher(m.group(1));
        while (word.find()) {
            words.add(word.group(1));
        }
        return words;
    }

    @Test
    @SuppressWarnings("unchecked")
    void composeRunsKafkaInKraftModeAClusterOfThreeSidecarsAndATail() throws Exception {
        Map<String, Object> kafka = service("kafka");
        assertTrue(String.valueOf(kafka.get("image")).startsWith("apache/kafka:"), kafka.toString());
        Map<String, Object> env = (Map<String, Object>) kafka.get("environment");
        assertEquals("broker,controller", env.get("KAFKA_PROCESS_ROLES"));
        assertEquals("PLAINTEXT://kafka:9092", env.get("KAFKA_ADVERTISED_LISTENERS"));
        assertTrue(kafka.containsKey("healthcheck"), "the sidecars wait for a healthy broker");
        for (String name : SIDECARS) {
            Map<String, Object> sidecar = service(name);
            assertEquals(
                    "src/sidecar/src/main/docker/Dockerfile",
                    ((Map<String, Object>) sidecar.get("build")).get("dockerfile"));
            assertEquals(List.of("run", "--config", "/etc/pulse/pulse.yaml"), sidecar.get("command"));
            Map<String, Object> sidecarEnv = (Map<String, Object>) sidecar.get("environment");
            assertEquals(name + ":7946", sidecarEnv.get("PULSE_NODE_ID"));
            List<String> peers = new ArrayList<>(SIDECARS);
            peers.remove(name);
            assertEquals("true", sidecarEnv.get("PULSE_CLUSTER_ENABLED"));
            assertEquals(
                    String.join(",", peers.stream().map(p -> p + ":7946").toList()),
                    sidecarEnv.get("PULSE_CLUSTER_JOIN"));
            assertEquals(name + ":7946", sidecarEnv.get("PULSE_CLUSTER_ADVERTISE"));
            Map<String, Map<String, Object>> dependsOn = (Map<String, Map<String, Object>>) sidecar.get("depends_on");
            assertEquals("service_healthy", dependsOn.get("kafka").get("condition"));
            assertEquals("service_completed_successfully", dependsOn.get("keys").get("condition"));
        }
        assertEquals(service("pulse-1").get("image"), service("keys").get("image"), "keys runs the sidecars' image");
        assertEquals(List.of("keys:/var/lib/pulse-keys"), service("keys").get("volumes"));
        assertEquals(
                service("pulse-1").get("image"),
                service("tail").get("image"),
                "tail runs the image the sidecars build");
        assertEquals("never", service("tail").get("pull_policy"));
        List<String> tail = (List<String>) service("tail").get("command");
        assertEquals(List.of("tail", "--bootstrap-servers", "kafka:9092"), tail);
        assertEquals(List.of("java", "-XX:+ExitOnOutOfMemoryError", "-jar", "/opt/pulse/pulse.jar"), entrypoint());
        String dockerfile = Files.readString(DOCKERFILE);
        assertTrue(
                dockerfile.contains("COPY src/sidecar/src/main/docker/pulse.yaml /etc/pulse/pulse.yaml"), dockerfile);
        assertTrue(dockerfile.contains("COPY --from=build /src/target/lib/ /opt/pulse/lib/"), dockerfile);
    }

    /** {@code service}'s command line as the image runs it, from the jar, with {@code paths} replaced. */
    @SuppressWarnings("unchecked")
    static List<String> commandLine(String service, Map<String, String> paths) throws Exception {
        List<String> command = new ArrayList<>(entrypoint());
        command.set(0, PulseProcess.java());
        command.set(command.indexOf("/opt/pulse/pulse.jar"), PulseProcess.jar());
        command.addAll((List<String>) service(service).get("command"));
        command.replaceAll(word -> paths.getOrDefault(word, word));
        return command;
    }

    /**
     * The keys service's command line makes a keys file readable by its owner only, and leaves it as
     * it is when the compose file is brought up again; the sidecars' config names that file.
     */
    @Test
    void theKeysServiceMakesTheClustersKeysOnce() throws Exception {
        Path keys = dir.resolve("pulse.keys");
        Map<String, String> paths = Map.of("/var/lib/pulse-keys/pulse.keys", keys.toString());
        try (PulseProcess first = PulseProcess.command(dir, Map.of(), commandLine("keys", paths))) {
            assertEquals(0, first.awaitExit(Duration.ofSeconds(60)), first.transcript());
        }
        String made = Files.readString(keys);
        assertTrue(made.matches("1 \\S{44} primary\n"), made);
        assertEquals(
                "rw-------",
                java.nio.file.attribute.PosixFilePermissions.toString(Files.getPosixFilePermissions(keys)));
        try (PulseProcess again = PulseProcess.command(dir, Map.of(), commandLine("keys", paths))) {
            assertEquals(0, again.awaitExit(Duration.ofSeconds(60)), again.transcript());
        }
        assertEquals(made, Files.readString(keys), "the second up keeps the cluster's keys");
        assertTrue(Files.readString(CONFIG).contains("keys.file: /var/lib/pulse-keys/pulse.keys"));
    }

    /** Each sidecar's exact command line and environment, with the image's config file, from the jar. */
    @Test
    @SuppressWarnings("unchecked")
    void eachSidecarsCommandLineAcceptsItsConfiguration() throws Exception {
        Path keys = dir.resolve("pulse.keys");
        try (PulseProcess make = PulseProcess.command(
                dir, Map.of(), commandLine("keys", Map.of("/var/lib/pulse-keys/pulse.keys", keys.toString())))) {
            assertEquals(0, make.awaitExit(Duration.ofSeconds(60)), make.transcript());
        }
        Path config = dir.resolve("pulse.yaml");
        Files.writeString(config, Files.readString(CONFIG).replace("/var/lib/pulse-keys/pulse.keys", keys.toString()));
        for (String name : SIDECARS) {
            Map<String, Object> sidecar = service(name);
            List<String> command = commandLine(name, Map.of("/etc/pulse/pulse.yaml", config.toString()));
            command.add("--dry-run");
            Map<String, String> env = new HashMap<>();
            ((Map<String, Object>) sidecar.get("environment")).forEach((k, v) -> env.put(k, String.valueOf(v)));
            try (PulseProcess run = PulseProcess.command(dir, env, command)) {
                assertEquals(0, run.awaitExit(Duration.ofSeconds(60)), run.transcript());
                String out = run.output();
                assertTrue(out.contains("node.id = " + name + ":7946   (environment PULSE_NODE_ID)\n"), out);
                assertTrue(out.contains("cluster.enabled = true   (environment PULSE_CLUSTER_ENABLED)\n"), out);
                assertTrue(out.contains("kafka.bootstrap.servers = kafka:9092   (" + config + ")\n"), out);
                assertTrue(out.contains("http.bind = 0.0.0.0:8946   (" + config + ")\n"), out);
                assertTrue(out.contains("outbox.dir = /var/lib/pulse/outbox   (" + config + ")\n"), out);
                assertTrue(out.contains("security.keys.file = " + keys + "   (" + config + ")\n"), out);
                assertTrue(out.endsWith("configuration OK\n"), out);
                assertEquals(
                        List.of(name + ":/var/lib/pulse", "keys:/var/lib/pulse-keys:ro"),
                        sidecar.get("volumes"),
                        "the outbox is on the node's volume, the cluster's keys on the shared one, read-only");
            }
        }
    }

    @Test
    @SuppressWarnings("unchecked")
    void theTailServicesCommandLineParses() throws Exception {
        List<String> args = new ArrayList<>((List<String>) service("tail").get("command"));
        args.add("--help");
        try (PulseProcess tail = PulseProcess.start(dir, args.toArray(String[]::new))) {
            assertEquals(0, tail.awaitExit(Duration.ofSeconds(60)), tail.transcript());
            assertTrue(tail.output().startsWith("Usage: pulse tail"), tail.output());
        }
    }
}
