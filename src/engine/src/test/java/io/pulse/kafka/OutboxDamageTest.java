package io.pulse.kafka;

import static io.pulse.kafka.OutboxTest.record;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.pulse.core.ManualClock;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** A damaged outbox never stops the publisher, and what it lost is counted. */
@Timeout(60)
class OutboxDamageTest {
    /** 2026-12-04T12:34:56.789Z */
    private static final ManualClock CLOCK = new ManualClock(0, 1_796_387_696_789_000_000L);

    /**
     * The size of one append in the write-ahead log (all records alike): 7 bytes of record header, 12 of
     * batch header, two puts: the entry (1 + 1 + 8 + 1 + value) and the last appended number (1 + 1 + 5 + 1 + 8).
     */
    private static final int RECORD_BYTES = 7 + 12 + (11 + record(0).serialize().length) + 16;

    @TempDir
    Path root;

    private Path dir() {
        return root.resolve("outbox");
    }

    private void journal(int events) {
        try (Outbox outbox = Outbox.open(dir(), 1 << 20, CLOCK)) {
            for (int i = 0; i < events; i++) {
                outbox.append(record(i));
            }
        }
    }

    private Path manifest() throws IOException {
        return dir().resolve(Files.readString(dir().resolve("CURRENT")).trim());
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "CURRENT garbled",
                "CURRENT missing",
                "CURRENT names a missing MANIFEST",
                "MANIFEST garbled",
                "MANIFEST empty"
            })
    void aDamagedOutboxIsMovedAsideAndAnEmptyOneTakesItsPlace(String damage) throws IOException {
        journal(3);
        Path manifest = manifest();
        switch (damage) {
            case "CURRENT garbled" -> Files.writeString(dir().resolve("CURRENT"), "\0\0garbage\0");
            case "CURRENT missing" -> Files.delete(dir().resolve("CURRENT"));
            case "CURRENT names a missing MANIFEST" -> Files.delete(manifest);
            case "MANIFEST garbled" -> garble(manifest, 0, (int) Files.size(manifest));
            case "MANIFEST empty" -> Files.write(manifest, new byte[0]);
            default -> throw new AssertionError(damage);
        }

        try (Outbox outbox = Outbox.open(dir(), 1 << 20, CLOCK)) {
            assertEquals(1, outbox.corruptions());
            assertEquals(0, outbox.pendingEvents());
            assertEquals(0, outbox.lostEvents(), "the new outbox has no mark to fall short of");
            long seq = outbox.append(record(7));
            assertEquals(
                    List.of(record(7)),
                    outbox.read(seq, 10).stream().map(Outbox.Entry::record).toList());
        }
        Path aside = root.resolve("outbox.corrupt-20261204T123456Z");
        assertTrue(Files.isDirectory(aside), "moved to " + aside);
        assertTrue(list(aside).stream().anyMatch(name -> name.endsWith(".log")), "the journal moved with it");
        assertEquals(List.of("outbox", "outbox.corrupt-20261204T123456Z"), list(root));

        try (Outbox reopened = Outbox.open(dir(), 1 << 20, CLOCK)) {
            assertEquals(0, reopened.corruptions(), "the new outbox is sound");
            assertEquals(
                    List.of(record(7)),
                    reopened.read(0, 10).stream().map(Outbox.Entry::record).toList());
        }
    }

    @Test
    void whatIsDamagedIsNamed() throws IOException {
        journal(1);
        assertEquals(null, OutboxDirectory.damage(dir()));
        Files.writeString(dir().resolve("CURRENT"), "MANIFEST-999999\n");
        assertEquals("CURRENT names MANIFEST-999999, which is missing", OutboxDirectory.damage(dir()));
        Files.writeString(dir().resolve("CURRENT"), "garbage");
        assertEquals(
                "CURRENT is garbled: got 7 bytes (expected: MANIFEST-<number> and a newline)",
                OutboxDirectory.damage(dir()));
        Files.delete(dir().resolve("CURRENT"));
        assertEquals("CURRENT is missing, but [000004.log, MANIFEST-000005] are there", OutboxDirectory.damage(dir()));
    }

    @Test
    void aSecondDamageTheSameSecondGetsANameOfItsOwn() throws IOException {
        journal(1);
        Files.writeString(dir().resolve("CURRENT"), "garbage");
        Outbox.open(dir(), 1 << 20, CLOCK).close();
        Files.writeString(dir().resolve("CURRENT"), "garbage");
        Outbox.open(dir(), 1 << 20, CLOCK).close();
        assertEquals(
                List.of("outbox", "outbox.corrupt-20261204T123456Z", "outbox.corrupt-20261204T123456Z-2"), list(root));
    }

    @Test
    void aTruncatedLogIsAGapThatIsCountedOnce() throws IOException {
        Path log = journalSynced(5);
        try (RandomAccessFile file = new RandomAccessFile(log.toFile(), "rw")) {
            // the fifth entry gone, the fourth cut in the middle
            file.setLength(file.length() - RECORD_BYTES - 10);
        }

        assertLost(2, 3);
    }

    @Test
    void aGarbledLogIsAGapUpToItsLastSyncedEntry() throws IOException {
        Path log = journalSynced(5);
        // the fourth entry is garbled; the fifth, intact, is not replayed past it
        garble(log, (int) Files.size(log) - 2 * RECORD_BYTES + 4, 8);

        assertLost(2, 3);
    }

    /** Journals {@code events}, synced; returns the write-ahead log that holds them. */
    private Path journalSynced(int events) throws IOException {
        try (Outbox outbox = Outbox.open(dir(), 1 << 20, CLOCK)) {
            for (int i = 0; i < events; i++) {
                outbox.append(record(i));
            }
            outbox.sync();
        }
        try (Stream<Path> files = Files.list(dir())) {
            List<Path> logs = files.filter(f -> f.toString().endsWith(".log")).toList();
            assertEquals(1, logs.size(), "one write-ahead log: " + logs);
            return logs.get(0);
        }
    }

    private void assertLost(int lost, int kept) {
        try (Outbox outbox = Outbox.open(dir(), 1 << 20, CLOCK)) {
            assertEquals(lost, outbox.lostEvents());
            assertEquals(0, outbox.corruptions(), "the database itself is sound: nothing is moved aside");
            assertEquals(kept, outbox.pendingEvents());
            assertEquals(kept + lost, outbox.append(record(9)), "numbering goes on above the lost ones");
        }
        try (Outbox reopened = Outbox.open(dir(), 1 << 20, CLOCK)) {
            assertEquals(0, reopened.lostEvents(), "the same loss is not reported twice");
            assertEquals(kept + 1, reopened.pendingEvents());
        }
    }

    @Test
    void aGarbledMarkCountsNothing() throws IOException {
        journalSynced(3);
        Files.writeString(dir().resolve(SyncMark.FILE_NAME), "garbage, not a mark");
        try (Outbox outbox = Outbox.open(dir(), 1 << 20, CLOCK)) {
            assertEquals(0, outbox.lostEvents());
            assertEquals(3, outbox.pendingEvents());
            assertEquals(3, outbox.append(record(3)));
            outbox.sync();
        }
        try (Outbox reopened = Outbox.open(dir(), 1 << 20, CLOCK)) {
            assertEquals(0, reopened.lostEvents(), "the next sync wrote a sound mark");
            assertEquals(4, reopened.pendingEvents());
        }
    }

    @Test
    void entriesDoneBeforeARestartAreNoGap() {
        try (Outbox outbox = Outbox.open(dir(), 1 << 20, CLOCK)) {
            for (int i = 0; i < 6; i++) {
                outbox.append(record(i));
            }
            outbox.sync();
            List<Outbox.Entry> entries = outbox.read(0, 10);
            outbox.markDone(List.of(entries.get(0), entries.get(2), entries.get(5)));
        }
        try (Outbox reopened = Outbox.open(dir(), 1 << 20, CLOCK)) {
            assertEquals(0, reopened.lostEvents());
            assertEquals(
                    List.of(1L, 3L, 4L),
                    reopened.read(0, 10).stream().map(Outbox.Entry::seq).toList());
            assertEquals(6, reopened.append(record(6)), "the last one was done, its number is not used again");
            reopened.markDone(reopened.read(0, 10));
            reopened.sync();
        }
        try (Outbox empty = Outbox.open(dir(), 1 << 20, CLOCK)) {
            assertEquals(0, empty.lostEvents(), "an outbox all done is no gap either");
            assertEquals(0, empty.pendingEvents());
            assertEquals(7, empty.append(record(7)));
        }
    }

    @Test
    void aFileInTheWayIsNotWritableAndStaysWhereItIs() throws IOException {
        Path file = Files.writeString(root.resolve("file"), "not a directory");
        OutboxNotWritableException e =
                assertThrows(OutboxNotWritableException.class, () -> Outbox.open(file, 1 << 20, CLOCK));
        assertEquals(
                "cannot write to outbox directory " + file + ": a file is in the way (expected: a directory)",
                e.getMessage());

        Path below = file.resolve("outbox");
        e = assertThrows(OutboxNotWritableException.class, () -> Outbox.open(below, 1 << 20, CLOCK));
        assertEquals(
                "cannot write to outbox directory " + below + ": not a directory (creating " + below + ")",
                e.getMessage());
        assertEquals("not a directory", Files.readString(file));
        assertEquals(List.of("file"), list(root));
    }

    @Test
    void aDirectoryWeMayNotWriteIsPermissionDeniedAndNotMoved() throws IOException {
        org.junit.jupiter.api.Assumptions.assumeFalse(
                "root".equals(System.getProperty("user.name")), "permission bits do not stop root");
        journal(1);
        Files.setPosixFilePermissions(dir(), java.nio.file.attribute.PosixFilePermissions.fromString("r-x------"));
        try {
            OutboxNotWritableException e =
                    assertThrows(OutboxNotWritableException.class, () -> Outbox.open(dir(), 1 << 20, CLOCK));
            assertEquals("cannot write to outbox directory " + dir() + ": permission denied", e.getMessage());
            assertEquals(List.of("outbox"), list(root));
        } finally {
            Files.setPosixFilePermissions(dir(), java.nio.file.attribute.PosixFilePermissions.fromString("rwx------"));
        }
    }

    @Test
    void anOutboxInUseIsNotDamageAndStaysWhereItIs() {
        try (Outbox first = Outbox.open(dir(), 1 << 20, CLOCK)) {
            first.append(record(0));
            OutboxException e = assertThrows(OutboxException.class, () -> Outbox.open(dir(), 1 << 20, CLOCK));
            assertFalse(e instanceof OutboxNotWritableException, e.toString());
            assertTrue(e.getMessage().startsWith("cannot open outbox " + dir() + ": "), e.getMessage());
            assertTrue(e.getMessage().contains("lock"), e.getMessage());
            assertInstanceOf(org.rocksdb.RocksDBException.class, e.getCause());
            assertEquals(List.of("outbox"), list(root));
            assertEquals(1, first.pendingEvents());
        }
    }

    private static void garble(Path file, int offset, int length) throws IOException {
        try (RandomAccessFile raf = new RandomAccessFile(file.toFile(), "rw")) {
            raf.seek(offset);
            byte[] junk = new byte[length];
            for (int i = 0; i < length; i++) {
                junk[i] = (byte) (0xA5 ^ i);
            }
            raf.write(junk);
        }
    }

    private static List<String> list(Path dir) {
        try (Stream<Path> files = Files.list(dir)) {
            return files.map(f -> f.getFileName().toString()).sorted().toList();
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }
}
