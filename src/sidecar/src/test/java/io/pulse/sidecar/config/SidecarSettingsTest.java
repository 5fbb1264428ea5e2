package io.pulse.sidecar.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

class SidecarSettingsTest {
    @Test
    void environmentNamesComeFromTheKeys() {
        assertEquals("PULSE_KAFKA_BOOTSTRAP_SERVERS", SidecarSettings.envName("kafka.bootstrap.servers"));
        assertEquals("PULSE_DETECTOR_PROBE_TIMEOUT_MAX", SidecarSettings.envName("detector.probe.timeout.max"));
    }

    /** The table in docs/configuration.md is generated from the declaration: regenerate it when a setting changes. */
    @Test
    void theDocumentedTableIsTheDeclaration() throws Exception {
        String docs = Files.readString(Path.of("docs/configuration.md"));
        String table = SettingsDocs.markdownTable();
        assertTrue(docs.contains(table), "docs/configuration.md must contain, as generated:\n" + table);
    }

    @Test
    void helpListsEveryKeyWithItsDefault() {
        String help = SettingsDocs.helpText();
        for (String key : SidecarSettings.DEFINITION.names()) {
            assertTrue(help.contains("  " + key + "  (default: "), key);
        }
        assertTrue(help.contains("  detector.probe.interval  (default: 1s)\n"), help);
    }
}
