package io.pulse.sidecar;

import io.pulse.protocol.Keyring;
import io.pulse.sidecar.config.AuthMode;
import io.pulse.sidecar.config.ConfigurationException;
import io.pulse.sidecar.config.SecuritySettings;
import io.pulse.sidecar.config.SidecarSettings;
import io.pulse.transport.PulseEngine;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Says how datagrams are authenticated, and re-reads the keys file every {@link #KEYS_CHECK} once
 * it changed: a rotation step is an edit of the file on every node, no restart. A file that no
 * longer parses keeps the keys in use, and says why.
 *
 * <pre>{@code
 * KeyFileWatcher.start(engine, config.security(), scheduler);
 * }</pre>
 */
final class KeyFileWatcher {
    /** How often the keys file is checked for a change. */
    static final Duration KEYS_CHECK = Duration.ofSeconds(2);

    /** The sidecar's: operators find every start-up line under one name. */
    private static final Logger LOG = LoggerFactory.getLogger(Sidecar.class);

    private final PulseEngine engine;
    private final SecuritySettings security;

    private KeyFileWatcher(PulseEngine engine, SecuritySettings security) {
        this.engine = engine;
        this.security = security;
    }

    /** Logs how datagrams are authenticated; with a keys file, checks it on {@code scheduler} from now on. */
    static void start(PulseEngine engine, SecuritySettings security, ScheduledExecutorService scheduler) {
        if (security.unauthenticatedByChoice()) {
            LOG.warn(
                    "{} is none: datagrams are not authenticated, and any host that reaches udp {} can forge what "
                            + "this node believes (members, verdicts); give every node keys ({}) unless the network "
                            + "is trusted",
                    SidecarSettings.SECURITY_AUTH_MODE,
                    engine.localAddress(),
                    SidecarSettings.SECURITY_KEYS_FILE);
            return;
        }
        if (!security.authenticating()) {
            LOG.info(
                    "datagrams are not authenticated (no {}): this node answers on loopback only",
                    SidecarSettings.SECURITY_KEYS_FILE);
            return;
        }
        Keyring keyring = engine.authentication().keyring();
        LOG.info(
                "datagrams are signed with key {} of {} (label \"{}\"), unsigned ones {}",
                keyring.primary(),
                keyring.ids(),
                keyring.label(),
                security.mode() == AuthMode.REQUIRED
                        ? "dropped"
                        : "accepted (permissive: set " + SidecarSettings.SECURITY_AUTH_MODE
                                + ": required once every node has the keys)");
        if (security.keysFile().isEmpty()) {
            return;
        }
        KeyFileWatcher watcher = new KeyFileWatcher(engine, security);
        Path file = security.keysFile().get();
        long[] seen = {lastModified(file)};
        scheduler.scheduleWithFixedDelay(
                () -> {
                    long modified = lastModified(file);
                    if (modified == seen[0]) {
                        return;
                    }
                    seen[0] = modified;
                    watcher.reload();
                },
                KEYS_CHECK.toMillis(),
                KEYS_CHECK.toMillis(),
                TimeUnit.MILLISECONDS);
    }

    /** Installs the keys the file holds now; true if it could. */
    boolean reload() {
        try {
            Keyring next = security.readKeyring().orElseThrow();
            Keyring before = engine.authentication().keyring();
            engine.authentication().keyring(next);
            LOG.info("keys reloaded: {} -> {}, signing with {}", before.ids(), next.ids(), next.primary());
            return true;
        } catch (ConfigurationException e) {
            LOG.error("keys not reloaded, the keys in use stay: {}", e.getMessage());
            return false;
        }
    }

    /** Changes when the file is written: its modification time and size together. */
    private static long lastModified(Path file) {
        try {
            return Files.getLastModifiedTime(file).toMillis() ^ Files.size(file);
        } catch (IOException e) {
            return -1;
        }
    }
}
