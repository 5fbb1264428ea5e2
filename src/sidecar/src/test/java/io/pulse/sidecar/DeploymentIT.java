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
            assertEquals(
                    "service_healthy",
                    ((Map<String, Map<String, Object>>) sidecar.get("depends_on"))
                            .get("kafka")
                            .get("condition"));
        }
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

    /** Each sidecar's exact command line and environment, with the image's config file, from the jar. */
    @Test
    @SuppressWarnings("unchecked")
    void eachSidecarsCommandLineAcceptsItsConfiguration() throws Exception {
        for (String name : SIDECARS) {
            Map<String, Object> sidecar = service(name);
            List<String> command = new ArrayList<>(entrypoint());
            command.set(0, PulseProcess.java());
            command.set(command.indexOf("/opt/pulse/pulse.jar"), PulseProcess.jar());
            command.addAll((List<String>) sidecar.get("command"));
            command.set(command.indexOf("/etc/pulse/pulse.yaml"), CONFIG.toString());
            command.add("--dry-run");
            Map<String, String> env = new HashMap<>();
            ((Map<String, Object>) sidecar.get("environment")).forEach((k, v) -> env.put(k, String.valueOf(v)));
            try (PulseProcess run = PulseProcess.command(dir, env, command)) {
                assertEquals(0, run.awaitExit(Duration.ofSeconds(60)), run.transcript());
                String out = run.output();
                assertTrue(out.contains("node.id = " + name + ":7946   (environment PULSE_NODE_ID)\n"), out);
                assertTrue(out.contains("cluster.enabled = true   (environment PULSE_CLUSTER_ENABLED)\n"), out);
                assertTrue(out.contains("kafka.bootstrap.servers = kafka:9092   (" + CONFIG + ")\n"), out);
                assertTrue(out.contains("http.bind = 0.0.0.0:8946   (" + CONFIG + ")\n"), out);
                assertTrue(out.contains("outbox.dir = /var/lib/pulse/outbox   (" + CONFIG + ")\n"), out);
                assertTrue(out.endsWith("configuration OK\n"), out);
                assertEquals(
                        List.of(name + ":/var/lib/pulse"),
                        sidecar.get("volumes"),
                        "the outbox is on the node's volume");
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
