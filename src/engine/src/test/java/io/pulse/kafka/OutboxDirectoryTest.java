package io.pulse.kafka;

import static io.pulse.kafka.OutboxTest.record;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.pulse.core.ManualClock;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The outbox is the owner's: the directory it creates (rwx------) and Pulse's files in it (rw-------). */
class OutboxDirectoryTest {
    private static final ManualClock CLOCK = new ManualClock(0, 1_796_387_696_789_000_000L);

    @TempDir
    Path root;

    @BeforeEach
    void posixOnly() {
        Assumptions.assumeTrue(
                root.getFileSystem().supportedFileAttributeViews().contains("posix"),
                "no POSIX permissions on this file system");
    }

    @Test
    void aNewOutboxDirectoryAndItsParentsAreOwnerOnlyAndSoIsTheSyncMark() throws IOException {
        Path dir = root.resolve("var").resolve("outbox");
        try (Outbox outbox = Outbox.open(dir, 1 << 20, CLOCK)) {
            outbox.append(record(1));
        }
        assertEquals("rwx------", permissions(dir));
        assertEquals("rwx------", permissions(dir.getParent()));
        assertEquals("rw-------", permissions(dir.resolve(SyncMark.FILE_NAME)));
    }

    @Test
    void anExistingDirectoryKeepsItsPermissions() throws IOException {
        Path dir = Files.createDirectory(root.resolve("outbox"));
        Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxr-x---"));
        try (Outbox outbox = Outbox.open(dir, 1 << 20, CLOCK)) {
            outbox.append(record(1));
        }
        assertEquals("rwxr-x---", permissions(dir));
        assertEquals("rw-------", permissions(dir.resolve(SyncMark.FILE_NAME)));
    }

    private static String permissions(Path path) throws IOException {
        return PosixFilePermissions.toString(Files.getPosixFilePermissions(path));
    }
}
