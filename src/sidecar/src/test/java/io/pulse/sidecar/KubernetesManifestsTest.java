package io.pulse.sidecar;

import static io.pulse.sidecar.KubernetesManifests.DIR;
import static io.pulse.sidecar.KubernetesManifests.all;
import static io.pulse.sidecar.KubernetesManifests.documents;
import static io.pulse.sidecar.KubernetesManifests.environment;
import static io.pulse.sidecar.KubernetesManifests.files;
import static io.pulse.sidecar.KubernetesManifests.mount;
import static io.pulse.sidecar.KubernetesManifests.pods;
import static io.pulse.sidecar.KubernetesManifests.read;
import static io.pulse.sidecar.KubernetesManifests.settings;
import static io.pulse.sidecar.KubernetesManifests.volume;
import static io.pulse.sidecar.KubernetesManifests.yaml;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.Gson;
import io.kubernetes.client.custom.IntOrString;
import io.kubernetes.client.openapi.models.V1Container;
import io.kubernetes.client.openapi.models.V1Probe;
import io.kubernetes.client.openapi.models.V1SecurityContext;
import io.kubernetes.client.openapi.models.V1Service;
import io.kubernetes.client.openapi.models.V1StatefulSet;
import io.kubernetes.client.openapi.models.V1Volume;
import io.kubernetes.client.openapi.models.V1VolumeMount;
import io.pulse.sidecar.KubernetesManifests.Pod;
import io.pulse.sidecar.cli.PulseCommand;
import io.pulse.sidecar.config.ConfigLoader;
import io.pulse.sidecar.config.Durations;
import io.pulse.sidecar.config.SidecarConfig;
import io.pulse.testkit.SecretFiles;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The Kubernetes manifests in {@code src/sidecar/src/main/deploy/kubernetes}, checked without a
 * cluster: every document read by Kubernetes' own API models (the official Java client's, generated
 * from Kubernetes' OpenAPI), which refuse an unknown field, a missing required one and a wrong type;
 * the choices docs/deployment.md explains; and each ConfigMap's pulse.yaml run through
 * {@code pulse run --dry-run} in the environment its pod gives it.
 */
class KubernetesManifestsTest {
    static final Path DOCKERFILE = Path.of("src/sidecar/src/main/docker/Dockerfile");
    /** The image's pulse user and group (the Dockerfile's). */
    static final long PULSE_UID = 10001;
    /** Time the sidecar's own stop may take beyond Pulse's timeouts (JVM exit, the last datagrams). */
    static final Duration SPARE = Duration.ofSeconds(5);

    @TempDir
    Path dir;

    record Run(int code, String out, String err) {}

    static Run pulse(Map<String, String> env, String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = PulseCommand.execute(args, new PrintWriter(out, true), new PrintWriter(err, true), env);
        return new Run(code, out.toString(), err.toString());
    }

    /** The pod's pulse.yaml, with its token and outbox paths moved into the test's directory. */
    Path config(Pod pod, Path token) throws IOException {
        Map<String, Object> settings = settings(pod.config());
        String text = pod.config()
                .replace((String) settings.get("http.token.file"), token.toString())
                .replace(
                        (String) settings.get("outbox.dir"),
                        dir.resolve("outbox").toString());
        return Files.writeString(dir.resolve(pod.name() + ".yaml"), text);
    }

    /** The pod's pulse.yaml as Pulse reads it, with a token file that is here. */
    SidecarConfig load(Pod pod) throws IOException {
        Path file = Files.writeString(dir.resolve(pod.name() + "-as-is.yaml"), pod.config());
        Path token = SecretFiles.write(dir.resolve(pod.name() + "-any-token"), "t\n");
        return ConfigLoader.load(
                file, Map.of("PULSE_SECURITY_KEYS", keys()), Map.of("http.token.file", token.toString()));
    }

    /** A line of new keys, as {@code pulse keys generate --primary} prints it. */
    static String keys() {
        Run keys = pulse(Map.of(), "keys", "generate", "--primary");
        assertEquals(0, keys.code(), keys.toString());
        return keys.out().strip();
    }

    @Test
    void everyDocumentIsAKubernetesObjectWithNoUnknownOrMissingField() throws IOException {
        List<Path> files = files();
        assertEquals(List.of(DIR.resolve("node-agent-daemonset.yaml"), DIR.resolve("sidecar-statefulset.yaml")), files);
        Map<String, Long> kinds = documents().stream()
                .collect(Collectors.groupingBy(
                        d -> d.file().getFileName() + " " + d.yaml().get("kind"), Collectors.counting()));
        assertEquals(
                Map.of(
                        "node-agent-daemonset.yaml ConfigMap", 1L,
                        "node-agent-daemonset.yaml DaemonSet", 1L,
                        "sidecar-statefulset.yaml ConfigMap", 1L,
                        "sidecar-statefulset.yaml Service", 1L,
                        "sidecar-statefulset.yaml PodDisruptionBudget", 1L,
                        "sidecar-statefulset.yaml StatefulSet", 1L),
                kinds);
    }

    /** The control: the same models refuse a misspelled field, a missing required one and a wrong type. */
    @Test
    @SuppressWarnings("unchecked")
    void theModelsRefuseAnUnknownFieldAMissingOneAndAWrongType() throws IOException {
        Map<String, Object> set = yaml(DIR.resolve("sidecar-statefulset.yaml")).stream()
                .filter(d -> d.get("kind").equals("StatefulSet"))
                .findFirst()
                .orElseThrow();
        String json = new Gson().toJson(set);
        read(new Gson().fromJson(json, Map.class));

        Map<String, Object> misspelled = new Gson().fromJson(json, Map.class);
        Map<String, Object> pulse = pulseInitContainer(misspelled);
        pulse.put("restartpolicy", pulse.remove("restartPolicy"));
        IllegalArgumentException unknown = assertThrows(IllegalArgumentException.class, () -> read(misspelled));
        assertTrue(unknown.getMessage().startsWith("The field `restartpolicy` in the JSON string is not defined"));

        Map<String, Object> nameless = new Gson().fromJson(json, Map.class);
        pulseInitContainer(nameless).remove("name");
        IllegalArgumentException missing = assertThrows(IllegalArgumentException.class, () -> read(nameless));
        assertTrue(missing.getMessage().startsWith("The required field `name` is not found"), missing.getMessage());

        Map<String, Object> wrong = new Gson().fromJson(json, Map.class);
        ((Map<String, Object>) wrong.get("spec")).put("replicas", "three");
        assertThrows(RuntimeException.class, () -> read(wrong));
    }

    @SuppressWarnings("unchecked")
    static Map<String, Object> pulseInitContainer(Map<String, Object> statefulSet) {
        Map<String, Object> spec = (Map<String, Object>)
                ((Map<String, Object>) ((Map<String, Object>) statefulSet.get("spec")).get("template")).get("spec");
        return ((List<Map<String, Object>>) spec.get("initContainers"))
                .stream().filter(c -> c.get("name").equals("pulse")).findFirst().orElseThrow();
    }

    @Test
    void theSidecarIsANativeSidecarWhoseMembersJoinThroughTheirStableNames() throws IOException {
        V1StatefulSet set = all(V1StatefulSet.class).get(0);
        Pod pod = pods().stream()
                .filter(p -> p.name().equals(set.getMetadata().getName()))
                .findFirst()
                .orElseThrow();
        assertEquals("Always", pod.pulse().getRestartPolicy(), "an init container that keeps running");
        assertTrue(pod.spec().getInitContainers().contains(pod.pulse()));
        assertEquals("Parallel", set.getSpec().getPodManagementPolicy(), "no pod waits for another to be ready");

        V1Service peers = all(V1Service.class).stream()
                .filter(s -> s.getMetadata().getName().equals(set.getSpec().getServiceName()))
                .findFirst()
                .orElseThrow(() -> new AssertionError("the StatefulSet's headless Service"));
        assertEquals("None", peers.getSpec().getClusterIP());
        assertEquals(Boolean.TRUE, peers.getSpec().getPublishNotReadyAddresses(), "names resolve before ready");
        assertTrue(pod.labels()
                .entrySet()
                .containsAll(peers.getSpec().getSelector().entrySet()));

        SidecarConfig config = load(pod);
        assertTrue(config.cluster().enabled());
        assertEquals(
                IntStream.range(0, set.getSpec().getReplicas())
                        .mapToObj(i -> set.getMetadata().getName() + "-" + i + "."
                                + peers.getMetadata().getName() + ":7946")
                        .toList(),
                config.cluster().join(),
                "one seed per pod, by its stable name");

        Map<String, String> env = environment(pod.pulse(), Map.of("keys", "(keys)"));
        assertEquals("10.0.0.5:7946", env.get("PULSE_NODE_ID"));
        assertEquals("10.0.0.5:7946", env.get("PULSE_CLUSTER_ADVERTISE"));
        assertEquals(
                "keys",
                pod.pulse().getEnv().stream()
                        .filter(v -> v.getName().equals("PULSE_SECURITY_KEYS"))
                        .findFirst()
                        .orElseThrow()
                        .getValueFrom()
                        .getSecretKeyRef()
                        .getKey());
    }

    @Test
    void podsRunAsThePulseUserOnAReadOnlyRootWithProbesAndAGracePeriodLongerThanPulsesStop() throws IOException {
        String dockerfile = Files.readString(DOCKERFILE);
        assertTrue(dockerfile.contains("--uid " + PULSE_UID), "the image's pulse user is " + PULSE_UID);
        assertTrue(dockerfile.contains("\nUSER " + PULSE_UID + ":" + PULSE_UID + "\n"), dockerfile);
        List<Pod> pods = pods();
        assertEquals(2, pods.size());
        for (Pod pod : pods) {
            var security = pod.spec().getSecurityContext();
            assertEquals(Boolean.TRUE, security.getRunAsNonRoot(), pod.name());
            assertEquals(PULSE_UID, security.getRunAsUser(), pod.name());
            assertEquals(PULSE_UID, security.getRunAsGroup(), pod.name());
            assertEquals(PULSE_UID, security.getFsGroup(), pod.name());
            for (V1Container container : pod.spec().getInitContainers()) {
                restricted(pod, container);
            }
            restricted(pod, pod.pulse());
            assertNotNull(mount(pod.pulse(), "/tmp"), "a writable /tmp for the native libraries");
            assertNotNull(pod.pulse().getResources().getLimits().get("memory"), pod.name());
            assertFalse(pod.pulse().getResources().getLimits().containsKey("cpu"), "no CPU limit: " + pod.name());

            SidecarConfig config = load(pod);
            int port = config.httpBind().getPort();
            assertEquals("0.0.0.0", config.httpBind().getHostString(), "the kubelet probes the pod's IP");
            assertEquals("/health", probe(pod, pod.pulse().getLivenessProbe(), port));
            assertEquals("/health", probe(pod, pod.pulse().getStartupProbe(), port));
            assertEquals("/ready", probe(pod, pod.pulse().getReadinessProbe(), port));

            Duration stop = duration(config, "kafka.close.timeout").plus(SPARE);
            if (config.cluster().enabled()) {
                stop = stop.plus(config.cluster().leaveTimeout());
            }
            long grace = pod.spec().getTerminationGracePeriodSeconds();
            assertTrue(
                    grace > stop.toSeconds(),
                    pod.name() + ": terminationGracePeriodSeconds " + grace + " > " + stop.toSeconds());
        }
    }

    static void restricted(Pod pod, V1Container container) {
        V1SecurityContext security = container.getSecurityContext();
        String where = pod.name() + " " + container.getName();
        assertEquals(Boolean.TRUE, security.getReadOnlyRootFilesystem(), where);
        assertEquals(Boolean.FALSE, security.getAllowPrivilegeEscalation(), where);
        assertEquals(List.of("ALL"), security.getCapabilities().getDrop(), where);
    }

    static Duration duration(SidecarConfig config, String key) {
        Object value = config.effective().get(key).value();
        return value instanceof Duration d ? d : Durations.parse(String.valueOf(value));
    }

    /** The probe's path, after checking that its port is the API's. */
    static String probe(Pod pod, V1Probe probe, int apiPort) {
        assertNotNull(probe, pod.name());
        IntOrString port = probe.getHttpGet().getPort();
        int number = port.isInteger()
                ? port.getIntValue()
                : pod.pulse().getPorts().stream()
                        .filter(p -> port.getStrValue().equals(p.getName()))
                        .findFirst()
                        .orElseThrow(() -> new AssertionError("no port " + port.getStrValue()))
                        .getContainerPort();
        assertEquals(apiPort, number, pod.name() + ": the probe asks the API");
        return probe.getHttpGet().getPath();
    }

    /**
     * The token reaches Pulse as the token step leaves it: its command, run here, turns the secret
     * volume's file (root's, {@code r--r-----} under fsGroup: refused by Pulse) into an owner-only copy
     * on the memory volume Pulse reads.
     */
    @Test
    void theTokenStepMakesTheOwnerOnlyCopyPulseAcceptsOfAFileItRefuses() throws Exception {
        Path install = Path.of("/usr/bin/install");
        Assumptions.assumeTrue(SecretFiles.posix(dir) && Files.isExecutable(install), "POSIX and coreutils");
        for (Pod pod : pods()) {
            V1Container step = pod.spec().getInitContainers().stream()
                    .filter(c -> c.getName().equals("pulse-token"))
                    .findFirst()
                    .orElseThrow(() -> new AssertionError(pod.name() + ": a token step"));
            assertEquals(0, pod.spec().getInitContainers().indexOf(step), "before Pulse starts");
            List<String> command = step.getCommand();
            assertEquals(List.of("install", "-m", "0400"), command.subList(0, 3));
            String tokenFile = (String) settings(pod.config()).get("http.token.file");
            assertEquals(tokenFile, command.get(4), pod.name() + ": the copy is the file Pulse reads");

            Path from = Path.of(command.get(3));
            V1VolumeMount secretMount = mount(step, from.getParent().toString());
            V1Volume secret = volume(pod.spec(), secretMount.getName());
            assertEquals("api-token", secret.getSecret().getItems().get(0).getKey());
            assertEquals(
                    from.getFileName().toString(),
                    secret.getSecret().getItems().get(0).getPath());
            V1VolumeMount runMount =
                    mount(pod.pulse(), Path.of(tokenFile).getParent().toString());
            assertEquals(Boolean.TRUE, runMount.getReadOnly());
            V1Volume run = volume(pod.spec(), runMount.getName());
            assertEquals("Memory", run.getEmptyDir().getMedium(), pod.name() + ": the copy stays in memory");
            assertTrue(
                    pod.pulse().getVolumeMounts().stream()
                            .noneMatch(m -> m.getName().equals(secret.getName())),
                    pod.name() + ": Pulse never reads the secret volume itself");

            Path kubelet = SecretFiles.permissions(
                    Files.writeString(dir.resolve(pod.name() + "-secret"), "s3cret\n"), "r--r-----");
            Run refused = dryRun(kubelet);
            assertEquals(2, refused.code(), refused.toString());
            assertTrue(refused.err().contains("its group or others may read or write it (r--r-----)"), refused.err());

            Path copy = dir.resolve(pod.name() + "-api-token");
            Process process = new ProcessBuilder(
                            install.toString(), "-m", command.get(2), kubelet.toString(), copy.toString())
                    .redirectErrorStream(true)
                    .start();
            assertTrue(process.waitFor(30, TimeUnit.SECONDS));
            assertEquals(
                    0, process.exitValue(), new String(process.getInputStream().readAllBytes()));
            Run accepted = dryRun(copy);
            assertEquals(0, accepted.code(), accepted.toString());
        }
    }

    /** {@code pulse run --dry-run} with {@code token} as its token file (and no pulses beyond loopback). */
    static Run dryRun(Path token) {
        return pulse(
                Map.of("PULSE_HTTP_TOKEN_FILE", token.toString()),
                "run",
                "--dry-run",
                "--set",
                "node.bind=127.0.0.1:7946");
    }

    @Test
    void eachPulseYamlPassesDryRunInTheEnvironmentItsPodGivesIt() throws IOException {
        Map<String, String> secrets = Map.of("keys", keys());
        for (Pod pod : pods()) {
            Path token = SecretFiles.write(dir.resolve(pod.name() + "-token"), "s3cret\n");
            Path config = config(pod, token);
            Map<String, String> env = new HashMap<>(environment(pod.pulse(), secrets));
            List<String> args = new ArrayList<>(pod.pulse().getArgs());
            args.set(args.indexOf("/etc/pulse/pulse.yaml"), config.toString());
            args.add("--dry-run");
            Run run = pulse(env, args.toArray(String[]::new));
            assertEquals(0, run.code(), pod.name() + ": " + run);
            String out = run.out();
            assertTrue(out.endsWith("configuration OK\n"), out);
            assertTrue(out.contains("http.token.file = " + token + "   (" + config + ")\n"), out);
            assertTrue(out.contains("http.bind = 0.0.0.0:8946   (" + config + ")\n"), out);
            if (env.containsKey("PULSE_CLUSTER_ADVERTISE")) {
                assertTrue(out.contains("node.id = 10.0.0.5:7946   (environment PULSE_NODE_ID)\n"), out);
                assertTrue(
                        out.contains("cluster.advertise = 10.0.0.5:7946   (environment PULSE_CLUSTER_ADVERTISE)\n"),
                        out);
                assertTrue(out.contains("cluster.enabled = true   (" + config + ")\n"), out);
            } else {
                assertTrue(out.contains("node.id = node-1:7946   (environment PULSE_NODE_ID)\n"), out);
                assertTrue(out.contains("cluster.enabled = false   (default)\n"), out);
            }
        }
    }
}
