package io.pulse.sidecar.cli;

import io.pulse.sidecar.config.SecuritySettings;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import picocli.CommandLine.Option;

/** The authentication options of the commands that speak UDP without a config file ({@code respond}, {@code probe}). */
final class AuthOptions {
    @Option(
            names = "--keys-file",
            paramLabel = "PATH",
            description = "Keys that sign and check every datagram (see pulse keys generate); or the lines in the "
                    + "environment variable PULSE_SECURITY_KEYS. Default: none, nothing signed.")
    Path keysFile;

    @Option(names = "--label", defaultValue = "", description = "Cluster label bound into every MAC (with keys).")
    String label;

    @Option(
            names = "--auth-mode",
            defaultValue = "required",
            paramLabel = "MODE",
            description = "With keys: required (unsigned datagrams dropped) or permissive (accepted, for a rollout). "
                    + "Without keys: none, to answer beyond loopback unauthenticated on a network you trust.")
    String authMode;

    /** These options, over the defaults of everything else {@link SecuritySettings} holds. */
    SecuritySettings settings(Map<String, String> environment) {
        SecuritySettings none = SecuritySettings.none();
        return SecuritySettings.of(
                Optional.ofNullable(keysFile),
                environment,
                label,
                Arguments.authMode("--auth-mode", authMode),
                none.relayFrom(),
                none.answersPerSource(),
                none.answersTotal());
    }
}
