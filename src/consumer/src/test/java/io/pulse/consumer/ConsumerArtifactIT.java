package io.pulse.consumer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.jar.JarFile;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * The consumer-only artifact, io.pulse:pulse-consumer, as a downstream service resolves it: its own
 * small jar, Avro and kafka-clients with what they bring themselves, and nothing else (the list
 * Maven resolved for it in this build, src/consumer/target/dependencies.txt). And
 * the BOM names every artifact at the build's versions. An integration test: it reads the jar that
 * the module's package phase built.
 */
class ConsumerArtifactIT {
    static final Path MODULE = Path.of("src/consumer");
    /** Avro 1.12 and kafka-clients 4.x, and their own dependencies. */
    static final Set<String> ALLOWED = Set.of(
            "org.apache.kafka:kafka-clients",
            "org.slf4j:slf4j-api",
            "at.yawk.lz4:lz4-java",
            "org.lz4:lz4-java",
            "com.github.luben:zstd-jni",
            "org.xerial.snappy:snappy-java",
            "org.apache.avro:avro",
            "com.fasterxml.jackson.core:jackson-core",
            "com.fasterxml.jackson.core:jackson-databind",
            "com.fasterxml.jackson.core:jackson-annotations",
            "org.apache.commons:commons-compress",
            "org.apache.commons:commons-lang3",
            "commons-io:commons-io",
            "commons-codec:commons-codec");

    @Test
    void theConsumerArtifactBringsAvroAndKafkaClientsAndNothingElse() throws IOException {
        Map<String, Long> resolved = new TreeMap<>();
        Matcher line = Pattern.compile("(?m)^\\s+([^:\\s]+):([^:]+):jar:([^:]+):(compile|runtime):(.+?\\.jar)")
                .matcher(Files.readString(MODULE.resolve("target/dependencies.txt")));
        while (line.find()) {
            resolved.put(line.group(1) + ":" + line.group(2), Files.size(Path.of(line.group(5))));
        }
        assertTrue(
                resolved.containsKey("org.apache.kafka:kafka-clients") && resolved.containsKey("org.apache.avro:avro"),
                resolved.toString());
        Set<String> beyond = new TreeSet<>(resolved.keySet());
        beyond.removeAll(ALLOWED);
        assertEquals(Set.of(), beyond, "no Netty, no RocksDB, no broker, nothing beyond Avro and kafka-clients");

        Path jar = MODULE.resolve("target/pulse-consumer.jar");
        assertTrue(Files.size(jar) < 1_000_000, Files.size(jar) + " bytes");
        try (JarFile file = new JarFile(jar.toFile())) {
            Set<String> packages = file.stream()
                    .map(e -> e.getName())
                    .filter(n -> n.endsWith(".class"))
                    .map(n -> n.substring(0, n.lastIndexOf('/')))
                    .collect(Collectors.toCollection(TreeSet::new));
            assertEquals(Set.of("io/pulse/consumer", "io/pulse/events", "io/pulse/events/serde"), packages);
            assertTrue(file.getEntry("io/pulse/events/schemas/FailureMessage-v1.avsc") != null, "the released schemas");
            assertEquals(
                    "io.pulse.consumer", file.getManifest().getMainAttributes().getValue("Automatic-Module-Name"));
        }
    }

    @Test
    void theBomNamesEveryArtifactAtTheBuildsVersions() throws IOException {
        String parent = Files.readString(Path.of("pom.xml"));
        String bom = Files.readString(Path.of("src/bom/pom.xml"));
        String version = first(parent, "<artifactId>pulse-parent</artifactId>\\s*<version>([^<]+)</version>");
        for (String artifact : new String[] {"pulse-consumer", "pulse-engine", "pulse-sidecar"}) {
            assertEquals(
                    version,
                    first(bom, "<artifactId>" + artifact + "</artifactId>\\s*<version>([^<]+)</version>"),
                    artifact);
        }
        assertEquals(
                first(parent, "<kafka.version>([^<]+)</kafka.version>"),
                first(bom, "<artifactId>kafka-clients</artifactId>\\s*<version>([^<]+)</version>"));
        assertEquals(
                first(parent, "<avro.version>([^<]+)</avro.version>"),
                first(bom, "<artifactId>avro</artifactId>\\s*<version>([^<]+)</version>"));
        assertEquals(version, first(bom, "<artifactId>pulse-bom</artifactId>\\s*<version>([^<]+)</version>"));
    }

    private static String first(String text, String regex) {
        Matcher m = Pattern.compile(regex).matcher(text);
        assertTrue(m.find(), regex);
        return m.group(1);
    }
}
