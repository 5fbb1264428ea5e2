package io.pulse.sidecar;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.pulse.sidecar.http.BuildInfo;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import org.junit.jupiter.api.Test;

/**
 * What target/pulse.jar carries besides classes (its license and the manifest entries a user relies on),
 * and the sources and javadoc jars built beside it.
 */
class JarIT {
    @Test
    void theJarHasTheLicenseAModuleNameAndTheBuildInfo() throws IOException {
        try (JarFile jar = new JarFile(PulseProcess.jar())) {
            assertEquals(
                    "io.pulse.sidecar", jar.getManifest().getMainAttributes().getValue("Automatic-Module-Name"));
            assertEquals(
                    "io.pulse.sidecar.cli.Main",
                    jar.getManifest().getMainAttributes().getValue("Main-Class"));
            assertTrue(read(jar, "META-INF/LICENSE")
                    .trim()
                    .startsWith("Apache License\n" + "                           Version 2.0, January 2004"));
            String build = read(jar, "io/pulse/sidecar/http/pulse-build.properties");
            assertTrue(build.contains("\nversion=" + BuildInfo.current().version() + "\n"), build);
            String classPath = jar.getManifest().getMainAttributes().getValue("Class-Path");
            String version = BuildInfo.current().version();
            assertTrue(
                    classPath.contains("lib/pulse-engine-" + version + ".jar")
                            && classPath.contains("lib/pulse-consumer-" + version + ".jar"),
                    classPath);
        }
        try (JarFile engine =
                new JarFile("target/lib/pulse-engine-" + BuildInfo.current().version() + ".jar")) {
            assertEquals(
                    "io.pulse.engine", engine.getManifest().getMainAttributes().getValue("Automatic-Module-Name"));
            assertTrue(read(engine, "META-INF/LICENSE").trim().startsWith("Apache License"));
        }
    }

    @Test
    void theSourcesAndJavadocJarsAreBuiltBesideIt() throws IOException {
        try (JarFile sources = new JarFile("target/pulse-sources.jar");
                JarFile javadoc = new JarFile("target/pulse-javadoc.jar")) {
            assertTrue(read(sources, "io/pulse/sidecar/Sidecar.java").contains("public final class Sidecar "));
            assertTrue(read(javadoc, "io/pulse/sidecar/Sidecar.html").contains("Sidecar.start(config)"));
        }
    }

    private static String read(JarFile jar, String name) throws IOException {
        JarEntry entry = jar.getJarEntry(name);
        assertTrue(entry != null, name + " is in the jar");
        try (InputStream in = jar.getInputStream(entry)) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }
}
