package io.pulse.sidecar;

import java.net.URISyntaxException;
import java.net.URL;
import org.apache.logging.log4j.core.config.Configurator;

/**
 * Chooses the sidecar's log4j2 configuration: readable text or JSON lines on standard error, and
 * the level of Pulse's own loggers. Only the CLI calls it: a program that embeds Pulse as a
 * library keeps its own logging, and a user's {@code -Dlog4j2.configurationFile} always wins.
 *
 * <pre>{@code
 * Logging.configure("json", "debug");
 * }</pre>
 */
public final class Logging {
    static final String CONFIGURATION_FILE = "log4j2.configurationFile";
    static final String LEVEL_PROPERTY = "pulse.log.level";

    private Logging() {}

    /** The text format at info, before anything logs (the configuration is read after that). */
    public static void defaults() {
        if (System.getProperty(CONFIGURATION_FILE) == null) {
            System.setProperty(CONFIGURATION_FILE, "pulse-log4j2.xml");
        }
    }

    /** Switches to {@code format} ({@code text} or {@code json}) and {@code level}, now. */
    public static void configure(String format, String level) {
        System.setProperty(LEVEL_PROPERTY, level);
        String file = "json".equals(format) ? "pulse-log4j2-json.xml" : "pulse-log4j2.xml";
        String configured = System.getProperty(CONFIGURATION_FILE);
        if (configured != null && !configured.startsWith("pulse-log4j2")) {
            return;
        }
        System.setProperty(CONFIGURATION_FILE, file);
        URL resource = Logging.class.getClassLoader().getResource(file);
        if (resource != null) {
            try {
                Configurator.reconfigure(resource.toURI());
            } catch (URISyntaxException e) {
                throw new IllegalStateException("cannot read " + resource, e);
            }
        }
    }
}
