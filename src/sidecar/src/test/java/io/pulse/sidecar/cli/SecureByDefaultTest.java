package io.pulse.sidecar.cli;

import static io.pulse.sidecar.cli.PulseCommandTest.pulse;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.pulse.protocol.Keyring;
import io.pulse.sidecar.Sidecar;
import io.pulse.sidecar.config.ConfigLoader;
import io.pulse.sidecar.config.ConfigurationException;
import io.pulse.testkit.SecretFiles;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * No node believes unauthenticated datagrams unless its operator says so: a cluster member, or a
 * node answering beyond loopback, refuses to start without keys (exit 2, naming the key step and
 * {@code security.auth.mode: none}); loopback-only static nodes may run without.
 */
class SecureByDefaultTest {
    @TempDir
    Path dir;

    private static void assertRefusedNamingBothWaysOut(PulseCommandTest.Result result, String why) {
        assertEquals(2, result.code(), result.toString());
        assertTrue(
                result.err().startsWith("pulse: invalid configuration: " + why + ", and there are no keys"),
                result.err());
        assertTrue(result.err().contains("pulse keys generate --primary --output pulse.keys"), result.err());
        assertTrue(result.err().contains("security.keys.file: pulse.keys"), result.err());
        assertTrue(result.err().contains("security.auth.mode: none"), result.err());
    }

    @Test
    void aClusterMemberOnAWildcardAddressWithoutKeysExitsTwo() {
        assertRefusedNamingBothWaysOut(
                pulse("run", "--set", "cluster.enabled=true", "--set", "node.bind=0.0.0.0:7946", "--dry-run"),
                "cluster.enabled is true");
    }

    @Test
    void aClusterMemberOnLoopbackWithoutKeysExitsTwoToo() {
        assertRefusedNamingBothWaysOut(
                pulse("run", "--set", "cluster.enabled=true", "--set", "node.bind=127.0.0.1:0", "--dry-run"),
                "cluster.enabled is true");
    }

    @Test
    void aStaticNodeBeyondLoopbackWithoutKeysExitsTwo() {
        assertRefusedNamingBothWaysOut(
                pulse("run", "--set", "targets=127.0.0.1:7002", "--dry-run"),
                "this node answers on udp 0.0.0.0:7946, beyond loopback");
    }

    @Test
    void aResponderBeyondLoopbackWithoutKeysExitsTwo() {
        assertRefusedNamingBothWaysOut(
                pulse("respond", "--bind", "0.0.0.0:0"), "this node answers on udp 0.0.0.0:0, beyond loopback");
    }

    @Test
    void aStaticNodeOnLoopbackRunsWithoutKeys() {
        PulseCommandTest.Result result =
                pulse("run", "--set", "node.bind=127.0.0.1:7001", "--set", "targets=127.0.0.1:7002", "--dry-run");
        assertEquals(0, result.code(), result.toString());
    }

    @Test
    void authModeNoneIsTheOperatorsWordForATrustedNetwork() {
        PulseCommandTest.Result result =
                pulse("run", "--set", "cluster.enabled=true", "--set", "security.auth.mode=none", "--dry-run");
        assertEquals(0, result.code(), result.toString());
        assertTrue(
                result.out().contains("security.auth.mode = none   (flag --set security.auth.mode)\n"), result.out());
    }

    @Test
    void keysLetAClusterMemberStart() throws IOException {
        Path keys = dir.resolve("pulse.keys");
        SecretFiles.write(keys, "1 " + Keyring.generateKey() + "\n");
        PulseCommandTest.Result result =
                pulse("run", "--set", "cluster.enabled=true", "--set", "security.keys.file=" + keys, "--dry-run");
        assertEquals(0, result.code(), result.toString());
    }

    @Test
    void authModeNoneWithKeysIsAContradiction() {
        PulseCommandTest.Result result = pulse(
                Map.of("PULSE_SECURITY_KEYS", "1 " + Keyring.generateKey()),
                "run",
                "--set",
                "security.auth.mode=none",
                "--dry-run");
        assertEquals(2, result.code(), result.toString());
        assertTrue(
                result.err()
                        .contains("security.auth.mode is none and there are keys (from environment "
                                + "PULSE_SECURITY_KEYS): remove one"),
                result.err());
        assertFalse(result.err().contains("primary"), result.err());
    }

    /** The key step of the message: a new keys file, owner-only; never overwritten. */
    @Test
    void keysGenerateOutputWritesANewOwnerOnlyFileAndNeverOverwritesOne() throws IOException {
        Path keys = dir.resolve("pulse.keys");
        PulseCommandTest.Result made = pulse("keys", "generate", "--primary", "--output", keys.toString());
        assertEquals(0, made.code(), made.toString());
        String line = Files.readString(keys);
        assertTrue(line.matches("1 \\S{44} primary\n"), line);
        assertEquals(
                "rw-------",
                java.nio.file.attribute.PosixFilePermissions.toString(Files.getPosixFilePermissions(keys)));

        PulseCommandTest.Result again = pulse("keys", "generate", "--output", keys.toString());
        assertEquals(2, again.code(), again.toString());
        assertTrue(
                again.err().contains("--output: " + keys + " exists (expected: a new file; --if-missing keeps it)"),
                again.err());
        PulseCommandTest.Result kept = pulse("keys", "generate", "--output", keys.toString(), "--if-missing");
        assertEquals(0, kept.code(), kept.toString());
        assertEquals(line, Files.readString(keys));
    }

    /** A program that starts the sidecar itself is held to the same rule as {@code pulse run}. */
    @Test
    void sidecarStartRefusesTheSame() {
        ConfigurationException e = org.junit.jupiter.api.Assertions.assertThrows(
                ConfigurationException.class,
                () -> Sidecar.start(ConfigLoader.load(
                        null, Map.of(), Map.of("cluster.enabled", "true", "node.bind", "127.0.0.1:0"))));
        assertTrue(e.getMessage().startsWith("cluster.enabled is true, and there are no keys"), e.getMessage());
    }
}
