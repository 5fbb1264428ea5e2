package io.pulse.sidecar.config;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/**
 * {@link ConfigLoader} on arbitrary YAML text: a configuration loads or is refused with
 * {@link ConfigurationException}, nothing else. {@code mvn verify} runs it once per committed seed
 * under {@code src/test/resources/io/pulse/sidecar/config/ConfigLoaderFuzzTestInputs/load/};
 * fuzzing:
 *
 * <pre>{@code
 * JAZZER_FUZZ=1 mvn -B test -Dtest='ConfigLoaderFuzzTest#load' -Djazzer.max_duration=10m
 * }</pre>
 */
class ConfigLoaderFuzzTest {
    private static final Path FILE = tempFile();

    @FuzzTest(maxDuration = "30s")
    void load(byte[] yaml) throws IOException {
        Files.write(FILE, yaml);
        try {
            ConfigLoader.load(FILE, Map.of(), Map.of());
        } catch (ConfigurationException refused) {
            // the one allowed outcome besides a configuration
        }
    }

    private static Path tempFile() {
        try {
            Path file = Files.createTempFile("pulse-fuzz-", ".yaml");
            file.toFile().deleteOnExit();
            return file;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
