package io.pulse.sidecar.config;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;
import org.yaml.snakeyaml.error.MarkedYAMLException;
import org.yaml.snakeyaml.error.YAMLException;

/**
 * Reads the sidecar's configuration from its three sources, each overriding the one before:
 * the YAML file, {@code PULSE_*} environment variables, then flags ({@code --set key=value}).
 *
 * <pre>{@code
 * SidecarConfig config = ConfigLoader.load(Path.of("pulse.yaml"), System.getenv(), Map.of("node.bind", "127.0.0.1:0"));
 * }</pre>
 *
 * Nested YAML maps are flattened with dots ({@code detector: {probe.interval: 2s}} is
 * {@code detector.probe.interval}). Unknown keys in the file or the flags are errors; unknown
 * {@code PULSE_*} variables are ignored (other programs use that prefix too).
 */
public final class ConfigLoader {
    static final String ENV_KAFKA_PROPERTIES = SidecarSettings.envName(SidecarSettings.KAFKA_PROPERTIES);
    /** {@code PULSE_NODE_LABELS_SERVICE=billing} is {@code node.labels.service: billing} (the key in lower case). */
    static final String ENV_NODE_LABELS = SidecarSettings.envName(SidecarSettings.NODE_LABELS);

    private static final int MAX_FILE_BYTES = 1024 * 1024;
    /** Deeper than any setting (the longest key has 5 parts); a deeper file is a mistake or an attack. */
    private static final int MAX_DEPTH = 16;
    /** Who may not read or write a file of secrets. */
    private static final Set<PosixFilePermission> GROUP_OR_OTHERS = EnumSet.of(
            PosixFilePermission.GROUP_READ,
            PosixFilePermission.GROUP_WRITE,
            PosixFilePermission.OTHERS_READ,
            PosixFilePermission.OTHERS_WRITE);

    private ConfigLoader() {}

    /**
     * @param file      the YAML file, or {@code null} for none
     * @param env       the environment ({@code System.getenv()})
     * @param overrides flag values by key
     * @throws ConfigurationException naming the source, key, value and what is allowed
     */
    public static SidecarConfig load(Path file, Map<String, String> env, Map<String, String> overrides) {
        Map<String, SidecarConfig.Sourced> values = new LinkedHashMap<>();
        if (file != null) {
            String source = file.toString();
            readYaml(file).forEach((key, value) -> {
                requireKnown(key, source);
                values.put(key, new SidecarConfig.Sourced(value, source));
            });
        }
        for (String key : SidecarSettings.DEFINITION.names()) {
            String name = SidecarSettings.envName(key);
            if (env.containsKey(name)) {
                values.put(key, new SidecarConfig.Sourced(env.get(name), "environment " + name));
            }
        }
        env.forEach((name, value) -> {
            if (name.startsWith(ENV_NODE_LABELS) && name.length() > ENV_NODE_LABELS.length()) {
                String label = name.substring(ENV_NODE_LABELS.length()).toLowerCase(Locale.ROOT);
                values.put(
                        SidecarSettings.NODE_LABELS + label, new SidecarConfig.Sourced(value, "environment " + name));
            }
            if (name.startsWith(ENV_KAFKA_PROPERTIES) && name.length() > ENV_KAFKA_PROPERTIES.length()) {
                String property = name.substring(ENV_KAFKA_PROPERTIES.length())
                        .toLowerCase(Locale.ROOT)
                        .replace('_', '.');
                values.put(
                        SidecarSettings.KAFKA_PROPERTIES + property,
                        new SidecarConfig.Sourced(value, "environment " + name));
            }
        });
        overrides.forEach((key, value) -> {
            requireKnown(key, "flag --set " + key);
            values.put(key, new SidecarConfig.Sourced(value, "flag --set " + key));
        });
        return SidecarConfig.parse(values, env);
    }

    /**
     * The text of a file a setting names (keys, a token), with {@code where} (the key and path) in
     * every error: no such file, permission denied, or why else it cannot be read.
     */
    static String readNamedFile(String where, Path file) {
        try {
            return Files.readString(file, StandardCharsets.UTF_8);
        } catch (NoSuchFileException e) {
            throw new ConfigurationException(where + ": no such file");
        } catch (java.nio.file.AccessDeniedException e) {
            throw new ConfigurationException(where + ": permission denied");
        } catch (IOException e) {
            throw new ConfigurationException(where + ": cannot read it: " + e.getMessage());
        }
    }

    /**
     * {@link #readNamedFile}, for a file that holds a secret (keys, a token, a private key): refused
     * when its group or others may read or write it, as ssh refuses such a private key.
     */
    static String readPrivateFile(String where, Path file) {
        requireOwnerOnly(where, file);
        return readNamedFile(where, file);
    }

    /**
     * Throws, naming {@code where}, the permissions and the fix, when {@code file}'s group or others may
     * read or write it; on a file system without POSIX permissions there is nothing to check. A link is
     * judged by the file it points to (a Kubernetes secret's files are links).
     */
    static void requireOwnerOnly(String where, Path file) {
        Set<PosixFilePermission> permissions;
        try {
            permissions = Files.getPosixFilePermissions(file);
        } catch (UnsupportedOperationException noPosix) {
            return;
        } catch (NoSuchFileException e) {
            throw new ConfigurationException(where + ": no such file");
        } catch (IOException e) {
            return; // reading it says what is wrong
        }
        Set<PosixFilePermission> open = EnumSet.copyOf(GROUP_OR_OTHERS);
        open.retainAll(permissions);
        if (!open.isEmpty()) {
            throw new ConfigurationException(where + ": its group or others may read or write it ("
                    + PosixFilePermissions.toString(permissions)
                    + ") (expected: only its owner, e.g. chmod 600 " + file + ")");
        }
    }

    /** {@code key=value} of a {@code --set} flag. */
    public static Map.Entry<String, String> parseAssignment(String text) {
        int equals = text.indexOf('=');
        if (equals <= 0) {
            throw new ConfigurationException(
                    "flag --set: got \"" + text + "\" (expected: key=value, e.g. node.bind=127.0.0.1:7946)");
        }
        return Map.entry(
                text.substring(0, equals).trim(), text.substring(equals + 1).trim());
    }

    private static void requireKnown(String key, String source) {
        if (SidecarSettings.DEFINITION.names().contains(key)) {
            return;
        }
        if (key.equals("security.keys")) {
            throw new ConfigurationException(source + ": keys are never read from a command line or the config file, "
                    + "where others may read them (expected: " + SidecarSettings.SECURITY_KEYS_FILE
                    + " naming a file only this user can read, or the environment variable " + SecuritySettings.ENV_KEYS
                    + ")");
        }
        if ((key.startsWith(SidecarSettings.KAFKA_PROPERTIES)
                        && key.length() > SidecarSettings.KAFKA_PROPERTIES.length())
                || (key.startsWith(SidecarSettings.NODE_LABELS)
                        && key.length() > SidecarSettings.NODE_LABELS.length())) {
            return;
        }
        String removed = SidecarSettings.REMOVED.get(key);
        if (removed != null) {
            throw new ConfigurationException(source + ": " + key + " is no longer a setting: " + removed
                    + " (docs/configuration.md; remove it)");
        }
        String section = key.contains(".") ? key.substring(0, key.indexOf('.') + 1) : key;
        List<String> near = new TreeSet<>(SidecarSettings.DEFINITION.names())
                .stream().filter(name -> name.startsWith(section)).collect(Collectors.toList());
        throw new ConfigurationException(source + ": unknown key " + key + " (expected one of "
                + (near.isEmpty() ? new TreeSet<>(SidecarSettings.DEFINITION.names()) : near)
                + ", or " + SidecarSettings.KAFKA_PROPERTIES + "<Kafka client property>, or "
                + SidecarSettings.NODE_LABELS + "<label>)");
    }

    /** The file's settings, flattened to dotted keys; lists and scalars kept as they are. */
    static Map<String, Object> readYaml(Path file) {
        String text;
        try {
            if (Files.size(file) > MAX_FILE_BYTES) {
                throw new ConfigurationException(file + ": larger than " + MAX_FILE_BYTES + " bytes");
            }
            text = Files.readString(file, StandardCharsets.UTF_8);
        } catch (NoSuchFileException e) {
            throw new ConfigurationException(file + ": no such file");
        } catch (IOException e) {
            throw new ConfigurationException(file + ": cannot read: " + e.getMessage(), e);
        }
        LoaderOptions options = new LoaderOptions();
        options.setAllowDuplicateKeys(false);
        options.setMaxAliasesForCollections(10);
        Object root;
        try {
            root = new Yaml(new SafeConstructor(options)).load(text);
        } catch (MarkedYAMLException e) {
            throw new ConfigurationException(
                    file + ": line " + (e.getProblemMark().getLine() + 1) + ", column "
                            + (e.getProblemMark().getColumn() + 1) + ": " + e.getProblem()
                            + (e.getContext() == null ? "" : " (" + e.getContext() + ")"),
                    e);
        } catch (YAMLException e) {
            throw new ConfigurationException(file + ": not valid YAML: " + e.getMessage(), e);
        }
        Map<String, Object> flat = new LinkedHashMap<>();
        if (root == null) {
            return flat;
        }
        if (!(root instanceof Map<?, ?> map)) {
            throw new ConfigurationException(
                    file + ": got a " + kind(root) + " at the top (expected: a mapping of keys to values)");
        }
        flatten(file, "", map, flat, java.util.Collections.newSetFromMap(new java.util.IdentityHashMap<>()));
        return flat;
    }

    /**
     * @param open the mappings from the top down to this one: an alias back to one of them is a
     *             cycle ({@code node: &n {self: *n}}), which would nest forever
     */
    private static void flatten(
            Path file, String prefix, Map<?, ?> map, Map<String, Object> flat, java.util.Set<Object> open) {
        if (!open.add(map)) {
            throw new ConfigurationException(file + ": " + prefix.substring(0, prefix.length() - 1)
                    + " is an alias of a mapping it is inside of (expected: no alias cycles)");
        }
        if (open.size() > MAX_DEPTH) {
            throw new ConfigurationException(file + ": " + prefix + "...: nested deeper than " + MAX_DEPTH + " levels");
        }
        for (Map.Entry<?, ?> entry : map.entrySet()) {
            if (!(entry.getKey() instanceof String name) || name.isBlank()) {
                throw new ConfigurationException(file + ": got the key " + entry.getKey() + " under "
                        + (prefix.isEmpty() ? "the top" : prefix) + " (expected: a name)");
            }
            String key = prefix + name;
            Object value = entry.getValue();
            if (value instanceof Map<?, ?> nested) {
                flatten(file, key + ".", nested, flat, open);
            } else if (value instanceof List<?> list) {
                flat.put(key, list.stream().map(item -> scalar(file, key, item)).collect(Collectors.toList()));
            } else if (value != null) {
                flat.put(key, scalar(file, key, value));
            }
        }
        open.remove(map);
    }

    private static String scalar(Path file, String key, Object value) {
        if (value instanceof Map<?, ?> || value instanceof List<?> || value == null) {
            throw new ConfigurationException(
                    file + ": " + key + ": got a " + kind(value) + " in a list (expected: plain values)");
        }
        return String.valueOf(value);
    }

    private static String kind(Object value) {
        return value == null
                ? "null"
                : value instanceof Map<?, ?> ? "mapping" : value instanceof List<?> ? "list" : "value";
    }
}
