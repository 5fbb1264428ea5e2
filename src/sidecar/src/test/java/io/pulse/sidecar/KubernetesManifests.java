package io.pulse.sidecar;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.Gson;
import io.kubernetes.client.openapi.models.V1ConfigMap;
import io.kubernetes.client.openapi.models.V1Container;
import io.kubernetes.client.openapi.models.V1DaemonSet;
import io.kubernetes.client.openapi.models.V1EnvVar;
import io.kubernetes.client.openapi.models.V1PodDisruptionBudget;
import io.kubernetes.client.openapi.models.V1PodSpec;
import io.kubernetes.client.openapi.models.V1Service;
import io.kubernetes.client.openapi.models.V1StatefulSet;
import io.kubernetes.client.openapi.models.V1Volume;
import io.kubernetes.client.openapi.models.V1VolumeMount;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;

/**
 * The Kubernetes manifests in {@code src/sidecar/src/main/deploy/kubernetes}, as a test reads them:
 * every document through its Kubernetes API model (which refuses an unknown field, a missing
 * required one and a wrong type), each workload's pod with its Pulse container and pulse.yaml, and
 * the environment Kubernetes would give that container.
 *
 * <pre>{@code
 * for (KubernetesManifests.Pod pod : KubernetesManifests.pods()) { ... pod.pulse().getEnv() ... }
 * }</pre>
 */
final class KubernetesManifests {
    static final Path DIR = Path.of("src/sidecar/src/main/deploy/kubernetes");
    /** What the Downward API gives the test's pod. */
    static final Map<String, String> FIELDS = Map.of("status.podIP", "10.0.0.5", "spec.nodeName", "node-1");

    private KubernetesManifests() {}

    /** Reads one document's JSON into its model, checking it as the model's schema says. */
    interface Model {
        Object read(String json) throws IOException;
    }

    static final Map<String, Model> MODELS = Map.of(
            "v1 ConfigMap", V1ConfigMap::fromJson,
            "v1 Service", V1Service::fromJson,
            "apps/v1 StatefulSet", V1StatefulSet::fromJson,
            "apps/v1 DaemonSet", V1DaemonSet::fromJson,
            "policy/v1 PodDisruptionBudget", V1PodDisruptionBudget::fromJson);

    /** A document of a manifest, as YAML gave it and as its model read it. */
    record Document(Path file, Map<String, Object> yaml, Object model) {}

    /** A workload's pod, with the Pulse container and the pulse.yaml it is given. */
    record Pod(Path file, String name, V1PodSpec spec, Map<String, String> labels, V1Container pulse, String config) {}

    static List<Path> files() throws IOException {
        try (Stream<Path> files = Files.list(DIR)) {
            return files.filter(f -> f.toString().endsWith(".yaml")).sorted().toList();
        }
    }

    @SuppressWarnings("unchecked")
    static List<Map<String, Object>> yaml(Path file) throws IOException {
        LoaderOptions options = new LoaderOptions();
        options.setAllowDuplicateKeys(false);
        List<Map<String, Object>> documents = new ArrayList<>();
        for (Object document : new Yaml(new SafeConstructor(options)).loadAll(Files.readString(file))) {
            if (document != null) {
                documents.add((Map<String, Object>) document);
            }
        }
        return documents;
    }

    static Object read(Map<String, Object> document) throws IOException {
        String type = document.get("apiVersion") + " " + document.get("kind");
        Model model = MODELS.get(type);
        assertNotNull(model, "a model for " + type + " (expected one of " + MODELS.keySet() + ")");
        return model.read(new Gson().toJson(document));
    }

    static List<Document> documents() throws IOException {
        List<Document> documents = new ArrayList<>();
        for (Path file : files()) {
            for (Map<String, Object> yaml : yaml(file)) {
                documents.add(new Document(file, yaml, read(yaml)));
            }
        }
        return documents;
    }

    static <T> List<T> all(Class<T> type) throws IOException {
        return documents().stream()
                .map(Document::model)
                .filter(type::isInstance)
                .map(type::cast)
                .toList();
    }

    static List<Pod> pods() throws IOException {
        List<Pod> pods = new ArrayList<>();
        for (Document document : documents()) {
            if (document.model() instanceof V1StatefulSet set) {
                pods.add(pod(
                        document.file(),
                        set.getMetadata().getName(),
                        set.getSpec().getTemplate().getSpec(),
                        set.getSpec().getTemplate().getMetadata().getLabels()));
            } else if (document.model() instanceof V1DaemonSet set) {
                pods.add(pod(
                        document.file(),
                        set.getMetadata().getName(),
                        set.getSpec().getTemplate().getSpec(),
                        set.getSpec().getTemplate().getMetadata().getLabels()));
            }
        }
        return pods;
    }

    static Pod pod(Path file, String name, V1PodSpec spec, Map<String, String> labels) throws IOException {
        V1Container pulse = Stream.concat(
                        Optional.ofNullable(spec.getInitContainers()).orElse(List.of()).stream(),
                        spec.getContainers().stream())
                .filter(c -> c.getName().equals("pulse"))
                .findFirst()
                .orElseThrow(() -> new AssertionError("no container named pulse in " + name));
        assertEquals(List.of("run", "--config", "/etc/pulse/pulse.yaml"), pulse.getArgs(), name);
        V1Volume volume = volume(spec, mount(pulse, "/etc/pulse").getName());
        assertNotNull(volume.getConfigMap(), name + ": /etc/pulse is a ConfigMap");
        String configMap = volume.getConfigMap().getName();
        String config = all(V1ConfigMap.class).stream()
                .filter(c -> c.getMetadata().getName().equals(configMap))
                .findFirst()
                .orElseThrow(() -> new AssertionError("no ConfigMap " + configMap + " in " + file))
                .getData()
                .get("pulse.yaml");
        assertNotNull(config, "pulse.yaml in ConfigMap " + configMap);
        return new Pod(file, name, spec, labels, pulse, config);
    }

    static V1VolumeMount mount(V1Container container, String path) {
        return container.getVolumeMounts().stream()
                .filter(m -> m.getMountPath().equals(path))
                .findFirst()
                .orElseThrow(() -> new AssertionError(container.getName() + " mounts nothing at " + path));
    }

    static V1Volume volume(V1PodSpec spec, String name) {
        return spec.getVolumes().stream()
                .filter(v -> v.getName().equals(name))
                .findFirst()
                .orElseThrow(() -> new AssertionError("no volume " + name));
    }

    /** The container's environment as Kubernetes builds it: $(VAR) of a variable defined above, the Downward API. */
    static Map<String, String> environment(V1Container container, Map<String, String> secrets) {
        Map<String, String> env = new LinkedHashMap<>();
        for (V1EnvVar variable : container.getEnv()) {
            String value;
            if (variable.getValueFrom() == null) {
                Matcher reference =
                        Pattern.compile("\\$\\(([A-Za-z_][A-Za-z0-9_]*)\\)").matcher(variable.getValue());
                StringBuilder text = new StringBuilder();
                while (reference.find()) {
                    assertTrue(
                            env.containsKey(reference.group(1)),
                            variable.getName() + " uses $(" + reference.group(1) + "), defined above it");
                    reference.appendReplacement(text, Matcher.quoteReplacement(env.get(reference.group(1))));
                }
                value = reference.appendTail(text).toString();
            } else if (variable.getValueFrom().getFieldRef() != null) {
                value = FIELDS.get(variable.getValueFrom().getFieldRef().getFieldPath());
            } else {
                String key = variable.getValueFrom().getSecretKeyRef().getKey();
                value = secrets.get(key);
            }
            assertNotNull(value, "a value for " + variable.getName() + " in " + container.getName());
            env.put(variable.getName(), value);
        }
        return env;
    }

    /** The keys a pulse.yaml sets, nested maps flattened with dots as Pulse flattens them. */
    @SuppressWarnings("unchecked")
    static Map<String, Object> settings(String pulseYaml) {
        Map<String, Object> flat = new LinkedHashMap<>();
        flatten("", new Yaml(new SafeConstructor(new LoaderOptions())).load(pulseYaml), flat);
        return flat;
    }

    @SuppressWarnings("unchecked")
    static void flatten(String prefix, Object value, Map<String, Object> flat) {
        if (value instanceof Map<?, ?> map) {
            map.forEach((key, inner) -> flatten(prefix + key + (inner instanceof Map ? "." : ""), inner, flat));
        } else {
            flat.put(prefix, value);
        }
    }
}
