package io.pulse.sidecar.config;

/**
 * An invalid sidecar configuration. The message names where the value came from (the file, an
 * environment variable or a flag), the key, the value and what is allowed; the CLI prints it and
 * exits with code 2.
 *
 * <pre>{@code
 * try {
 *     SidecarConfig config = ConfigLoader.load(Path.of("pulse.yaml"), System.getenv(), Map.of());
 * } catch (ConfigurationException e) {
 *     System.err.println(e.getMessage());   // pulse.yaml: Invalid value 5x for configuration detector.probe.interval: ...
 * }
 * }</pre>
 */
public final class ConfigurationException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public ConfigurationException(String message) {
        super(message);
    }

    public ConfigurationException(String message, Throwable cause) {
        super(message, cause);
    }
}
