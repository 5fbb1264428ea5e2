package io.pulse.sidecar.http;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Objects;
import java.util.Properties;

/**
 * The version of Pulse this process runs, and when it was built, as Maven wrote them into
 * {@value #RESOURCE} (a filtered resource): the same from the jar and from {@code target/classes}.
 *
 * <pre>{@code
 * BuildInfo build = BuildInfo.current();
 * System.out.println("pulse " + build.version() + " (built " + build.built() + ")");
 * }</pre>
 *
 * Classes that Maven did not build (an IDE that copies resources unfiltered) give {@value #UNKNOWN}.
 *
 * @param version the project's version, e.g. {@code 0.1.0-SNAPSHOT}
 * @param built   when the resources were processed, ISO-8601 UTC, e.g. {@code 2026-12-04T13:21:27Z}
 */
public record BuildInfo(String version, String built) {
    /** Next to this class. */
    static final String RESOURCE = "pulse-build.properties";

    static final String UNKNOWN = "unknown";
    private static final BuildInfo CURRENT = read();

    public BuildInfo {
        Objects.requireNonNull(version, "version");
        Objects.requireNonNull(built, "built");
    }

    /** This build's, read once. */
    public static BuildInfo current() {
        return CURRENT;
    }

    /** {@code version} or {@code version (built ...)}: what {@code pulse --version} prints after "pulse ". */
    public String describe() {
        return built.equals(UNKNOWN) ? version : version + " (built " + built + ")";
    }

    private static BuildInfo read() {
        Properties properties = new Properties();
        try (InputStream in = BuildInfo.class.getResourceAsStream(RESOURCE)) {
            if (in != null) {
                properties.load(in);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + RESOURCE, e);
        }
        return new BuildInfo(filtered(properties.getProperty("version")), filtered(properties.getProperty("built")));
    }

    /** The value, or {@link #UNKNOWN} when missing or not filtered (still a {@code ${...}} placeholder). */
    private static String filtered(String value) {
        return value == null || value.isBlank() || value.contains("${") ? UNKNOWN : value.trim();
    }
}
