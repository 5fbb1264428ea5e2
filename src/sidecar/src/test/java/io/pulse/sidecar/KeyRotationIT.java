package io.pulse.sidecar;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.pulse.core.Liveness;
import io.pulse.core.Transition;
import io.pulse.protocol.Keyring;
import io.pulse.protocol.RejectReason;
import io.pulse.sidecar.config.ConfigLoader;
import io.pulse.testkit.Eventually;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Two sidecars that watch each other through signed datagrams, and the three steps of a key
 * rotation done the way docs/security.md says: by editing each node's keys file, no restart.
 */
class KeyRotationIT {
    private static final Duration STEP = Duration.ofSeconds(10);

    @TempDir
    Path dir;

    private final List<Sidecar> sidecars = new ArrayList<>();

    @AfterEach
    void closeAll() {
        sidecars.forEach(Sidecar::close);
    }

    private Sidecar start(Path keys, String target) {
        Map<String, String> settings = new java.util.HashMap<>(Map.of(
                "node.bind",
                "127.0.0.1:0",
                "kafka.enabled",
                "false",
                "http.bind",
                "127.0.0.1:0",
                "security.keys.file",
                keys.toString(),
                "security.label",
                "rotation-test",
                "detector.probe.interval",
                "200ms"));
        if (target != null) {
            settings.put("targets", target);
        }
        Sidecar sidecar = Sidecar.start(ConfigLoader.load(null, Map.of(), settings));
        sidecars.add(sidecar);
        return sidecar;
    }

    @Test
    void aRotationByEditingTheKeysFilesChangesNoStatusAndDropsNoDatagram() throws Exception {
        String one = Keyring.generateKey();
        String two = Keyring.generateKey();
        List<Path> files = List.of(dir.resolve("keys-a"), dir.resolve("keys-b"));
        for (Path file : files) {
            io.pulse.testkit.SecretFiles.write(file, "1 " + one + " primary\n");
        }
        Sidecar a = start(files.get(0), null);
        Sidecar b = start(files.get(1), a.engine().localId().toString());
        a.engine().addTarget(b.engine().localId(), io.pulse.core.TargetOptions.defaults());
        List<Transition> changes = new CopyOnWriteArrayList<>();
        for (Sidecar sidecar : List.of(a, b)) {
            Eventually.await(
                    "ALIVE at " + sidecar.engine().localId(),
                    () -> sidecar.engine().statusAll().stream().allMatch(s -> s.state() == Liveness.ALIVE),
                    all -> all,
                    STEP);
            sidecar.engine().onStatusChange(changes::add);
        }

        List<String> steps = List.of(
                "1 " + one + " primary\n2 " + two + "\n", // install
                "1 " + one + "\n2 " + two + " primary\n", // use
                "2 " + two + " primary\n"); // remove
        for (String step : steps) {
            for (int i = 0; i < files.size(); i++) {
                Files.writeString(files.get(i), step);
                Sidecar node = List.of(a, b).get(i);
                int primary = step.contains(two + " primary") ? 2 : 1;
                Eventually.await(
                        "step applied at " + node.engine().localId(),
                        () -> node.engine().authentication().keyring(),
                        ring -> ring.primary() == primary && ring.ids().size() == step.split("\n").length,
                        STEP);
            }
        }
        Thread.sleep(1000);
        assertEquals(List.of(), changes);
        for (Sidecar sidecar : List.of(a, b)) {
            assertEquals(
                    0,
                    sidecar.engine().rejects().total(),
                    sidecar.engine().rejects().snapshot().toString());
            assertTrue(sidecar.engine().authentication().authenticated() > 0);
        }

        String keys = java.net.http.HttpClient.newHttpClient()
                .send(
                        java.net.http.HttpRequest.newBuilder(java.net.URI.create(
                                        "http://" + a.apiAddress().getHostString() + ":"
                                                + a.apiAddress().getPort() + "/keys"))
                                .build(),
                        java.net.http.HttpResponse.BodyHandlers.ofString())
                .body();
        assertTrue(keys.contains("\"keys\":[2],\"primary\":2"), keys);
        assertTrue(!keys.contains(two), "no key material in " + keys);

        Files.writeString(files.get(0), "not a key file\n"); // a broken edit keeps the keys in use
        Thread.sleep(KeyFileWatcher.KEYS_CHECK.toMillis() * 2);
        assertEquals(java.util.Set.of(2), a.engine().authentication().keyring().ids());
        assertEquals(0, a.engine().rejects().count(RejectReason.BAD_MAC));
    }
}
