package io.pulse.sidecar.config;

import io.pulse.protocol.Keyring;
import io.pulse.transport.Cidr;
import io.pulse.transport.PulseEngineBuilder;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The sidecar's settings against a hostile network ({@code security.*}, {@code node.relay.from},
 * {@code node.answers.*}), validated, with the keyring read from its file or the environment.
 *
 * <pre>{@code
 * PulseEngineBuilder builder = config.security().applyTo(PulseEngine.builder());
 * Keyring fresh = config.security().readKeyring().orElseThrow();   // after the file changed
 * }</pre>
 *
 * Keys come from {@code security.keys.file} or the environment variable {@value #ENV_KEYS}
 * (the same lines, {@code ;} between them), never from a command line, where other users of
 * the host could read them. {@link #toString()} shows no key.
 *
 * @param keysFile          {@code security.keys.file}, or empty
 * @param keysFromEnv       the text of {@value #ENV_KEYS}, or empty
 * @param label             {@code security.label}
 * @param mode              {@code security.auth.mode}
 * @param relayFrom         {@code node.relay.from}
 * @param answersPerSource  {@code node.answers.per.source}
 * @param answersTotal      {@code node.answers.total}
 */
public record SecuritySettings(
        Optional<Path> keysFile,
        Optional<String> keysFromEnv,
        String label,
        AuthMode mode,
        List<Cidr> relayFrom,
        int answersPerSource,
        int answersTotal) {
    /** The environment variable that may hold the keys themselves. */
    public static final String ENV_KEYS = "PULSE_SECURITY_KEYS";

    public SecuritySettings {
        relayFrom = List.copyOf(relayFrom);
    }

    /** No keys, the default relay and answer limits: what a node without {@code security.*} runs with. */
    public static SecuritySettings none() {
        return new SecuritySettings(
                Optional.empty(), Optional.empty(), "", AuthMode.REQUIRED, Cidr.PRIVATE, 200, 50_000);
    }

    /** Keys from {@code keysFile}, or else from {@value #ENV_KEYS} in {@code env}; checked now. */
    public static SecuritySettings of(
            Optional<Path> keysFile,
            Map<String, String> env,
            String label,
            AuthMode mode,
            List<Cidr> relayFrom,
            int answersPerSource,
            int answersTotal) {
        Optional<String> fromEnv = keysFile.isPresent()
                ? Optional.empty()
                : Optional.ofNullable(env.get(ENV_KEYS)).filter(text -> !text.isBlank());
        SecuritySettings settings =
                new SecuritySettings(keysFile, fromEnv, label, mode, relayFrom, answersPerSource, answersTotal);
        if (mode == AuthMode.NONE && settings.authenticating()) {
            throw new ConfigurationException(SidecarSettings.SECURITY_AUTH_MODE + " is none and there are keys (from "
                    + settings.keysSource() + "): remove one (expected: keys with required or permissive, or none "
                    + "without keys)");
        }
        settings.readKeyring();
        return settings;
    }

    public boolean authenticating() {
        return keysFile.isPresent() || keysFromEnv.isPresent();
    }

    /** {@code security.auth.mode: none}: no keys, by the operator's choice. */
    public boolean unauthenticatedByChoice() {
        return mode == AuthMode.NONE;
    }

    /**
     * Refuses a node that would believe any datagram without its operator saying so: one in a cluster
     * ({@code cluster}), or one that answers on {@code bind} beyond loopback, needs keys or
     * {@code security.auth.mode: none}.
     *
     * @param why what makes this node need keys if it does, in the user's terms ("cluster.enabled is
     *     true"); null to judge by {@code bind} alone
     * @throws ConfigurationException naming both ways out
     */
    public void requireKeysOrChoice(InetSocketAddress bind, String why) {
        if (authenticating() || unauthenticatedByChoice()) {
            return;
        }
        InetAddress address = bind.isUnresolved()
                ? new InetSocketAddress(bind.getHostString(), bind.getPort()).getAddress()
                : bind.getAddress();
        boolean loopback = address != null && address.isLoopbackAddress();
        String reason = why != null
                ? why
                : loopback
                        ? null
                        : "this node answers on udp " + bind.getHostString() + ":" + bind.getPort()
                                + ", beyond loopback";
        if (reason == null) {
            return;
        }
        throw new ConfigurationException(reason + ", and there are no keys: anyone who can send it a datagram could "
                + "forge its verdicts. Create keys with 'pulse keys generate --primary --output pulse.keys' and set "
                + SidecarSettings.SECURITY_KEYS_FILE + ": pulse.keys on every node (or "
                + "the environment variable " + ENV_KEYS + "), or, on a network you trust, write "
                + SidecarSettings.SECURITY_AUTH_MODE + ": none");
    }

    private String keysSource() {
        return keysFile.map(Path::toString).orElse("environment " + ENV_KEYS);
    }

    /**
     * The keyring as the file (or the environment) says now; empty without keys.
     *
     * @throws ConfigurationException naming the file and what is wrong with it (never a key)
     */
    public Optional<Keyring> readKeyring() {
        String where;
        String text;
        if (keysFile.isPresent()) {
            Path file = keysFile.get();
            where = SidecarSettings.SECURITY_KEYS_FILE + " " + file;
            text = ConfigLoader.readPrivateFile(where, file);
        } else if (keysFromEnv.isPresent()) {
            where = "environment " + ENV_KEYS;
            text = keysFromEnv.get().replace(';', '\n');
        } else {
            return Optional.empty();
        }
        try {
            return Optional.of(Keyring.parse(text, label));
        } catch (IllegalArgumentException e) {
            throw new ConfigurationException(where + ": " + e.getMessage());
        }
    }

    /** Sets the keyring, relay policy and answer limits on an engine's builder. */
    public PulseEngineBuilder applyTo(PulseEngineBuilder builder) {
        readKeyring().ifPresent(keyring -> builder.keyring(keyring, mode.engineMode()));
        return builder.relayFrom(relayFrom).answerLimits(answersPerSource, answersTotal);
    }

    @Override
    public String toString() {
        return "SecuritySettings[keys="
                + (keysFile.isPresent()
                        ? keysFile.get().toString()
                        : keysFromEnv.isPresent() ? "environment " + ENV_KEYS : "none")
                + ", label=" + label + ", mode=" + mode.text()
                + ", relayFrom=" + relayFrom + ", answersPerSource="
                + answersPerSource
                + ", answersTotal=" + answersTotal + "]";
    }
}
