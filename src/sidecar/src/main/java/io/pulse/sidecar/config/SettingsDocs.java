package io.pulse.sidecar.config;

import java.util.List;
import java.util.Locale;
import org.apache.kafka.common.config.ConfigDef;

/**
 * The settings' reference, generated from their one declaration ({@link SidecarSettings#DEFINITION}):
 * the Markdown table of docs/configuration.md (a test checks the file holds it) and the text of
 * {@code pulse run --help}.
 *
 * <pre>{@code
 * System.out.print(SettingsDocs.markdownTable());
 * }</pre>
 */
public final class SettingsDocs {
    private SettingsDocs() {}

    /** The settings as a Markdown table (key, environment variable, default, allowed, description). */
    public static String markdownTable() {
        StringBuilder table =
                new StringBuilder("| key | environment | default | allowed | description |\n|---|---|---|---|---|\n");
        for (ConfigDef.ConfigKey key : SidecarSettings.DEFINITION.configKeys().values()) {
            table.append("| `")
                    .append(key.name)
                    .append("` | `")
                    .append(SidecarSettings.envName(key.name))
                    .append("` | ")
                    .append(defaultText(key))
                    .append(" | ")
                    .append(allowed(key))
                    .append(" | ")
                    .append(key.documentation)
                    .append(" |\n");
        }
        table.append("| `")
                .append(SidecarSettings.KAFKA_PROPERTIES)
                .append("<name>` | `")
                .append(SidecarSettings.envName(SidecarSettings.KAFKA_PROPERTIES))
                .append("<NAME>` | | any Kafka producer or admin client property | Passed to Kafka as it is, "
                        + "e.g. `kafka.properties.security.protocol: SSL`. |\n");
        table.append("| `")
                .append(SidecarSettings.NODE_LABELS)
                .append("<key>` | `")
                .append(SidecarSettings.envName(SidecarSettings.NODE_LABELS))
                .append("<KEY>` | | a label value, 127 bytes at most | " + SidecarSettings.LABELS_DOC + " |\n");
        return table.toString();
    }

    /** The settings as plain text for {@code --help}, each line at most 78 characters. */
    public static String helpText() {
        StringBuilder text = new StringBuilder();
        for (ConfigDef.ConfigKey key : SidecarSettings.DEFINITION.configKeys().values()) {
            text.append("  ")
                    .append(key.name)
                    .append("  (default: ")
                    .append(defaultText(key).replace("`", ""))
                    .append(")\n");
            wrap(text, key.documentation + " Environment: " + SidecarSettings.envName(key.name) + ".");
        }
        text.append("  ").append(SidecarSettings.KAFKA_PROPERTIES).append("<name>\n");
        wrap(
                text,
                "Any Kafka producer or admin client property, passed through. Environment: "
                        + SidecarSettings.envName(SidecarSettings.KAFKA_PROPERTIES) + "<NAME> (dots as underscores).");
        text.append("  ").append(SidecarSettings.NODE_LABELS).append("<key>\n");
        wrap(
                text,
                SidecarSettings.LABELS_DOC + " Environment: " + SidecarSettings.envName(SidecarSettings.NODE_LABELS)
                        + "<KEY> (the key in lower case).");
        return text.toString();
    }

    private static void wrap(StringBuilder text, String paragraph) {
        StringBuilder line = new StringBuilder("      ");
        for (String word : paragraph.split(" ")) {
            if (line.length() + word.length() + 1 > 78 && line.length() > 6) {
                text.append(line).append('\n');
                line = new StringBuilder("      ");
            }
            line.append(line.length() > 6 ? " " : "").append(word);
        }
        text.append(line).append('\n');
    }

    static String defaultText(ConfigDef.ConfigKey key) {
        if (key.defaultValue == null) {
            return "(none)";
        }
        if (key.defaultValue instanceof List<?> list) {
            return list.isEmpty()
                    ? "(none)"
                    : "`" + String.join(",", list.stream().map(String::valueOf).toList()) + "`";
        }
        return "`" + key.defaultValue + "`";
    }

    private static String allowed(ConfigDef.ConfigKey key) {
        if (key.validator != null) {
            return key.validator.toString().replace("|", "\\|");
        }
        return key.type.name().toLowerCase(Locale.ROOT);
    }
}
