package io.pulse.kafka;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.pulse.events.EventType;
import java.nio.file.Path;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class OutboxTest {
    @TempDir
    Path dir;

    static OutboxRecord record(int i) {
        return new OutboxRecord(
                EventType.STATUS_CHANGE,
                new UUID(0, i),
                "10.0.0." + i + ":7946",
                new byte[] {(byte) i, 1, 2},
                java.time.Instant.ofEpochMilli(1_714_564_800_123L + i));
    }

    @Test
    void entriesComeBackInOrderFromAnyPoint() {
        try (Outbox outbox = Outbox.open(dir, 1 << 20)) {
            for (int i = 0; i < 5; i++) {
                assertEquals(i, outbox.append(record(i)));
            }
            assertEquals(
                    List.of(record(2), record(3)),
                    outbox.read(2, 2).stream().map(Outbox.Entry::record).toList());
            assertEquals(
                    List.of(3L, 4L),
                    outbox.read(3, 10).stream().map(Outbox.Entry::seq).toList());
        }
    }

    @Test
    void onlyEntriesNotMarkedDoneSurviveAReopen() {
        try (Outbox outbox = Outbox.open(dir, 1 << 20)) {
            for (int i = 0; i < 4; i++) {
                outbox.append(record(i));
            }
            List<Outbox.Entry> entries = outbox.read(0, 10);
            outbox.markDone(entries.get(0));
            outbox.markDone(entries.get(2));
        }

        try (Outbox reopened = Outbox.open(dir, 1 << 20)) {
            assertEquals(
                    List.of(record(1), record(3)),
                    reopened.read(0, 10).stream().map(Outbox.Entry::record).toList());
            assertEquals(2, reopened.pendingEvents());
            assertEquals(2L * record(1).serialize().length, reopened.pendingBytes());
            assertEquals(4, reopened.append(record(4)), "numbering goes on after the last pending entry");
        }
    }

    @Test
    void aTombstoneKeepsItsNullValue() {
        OutboxRecord tombstone = new OutboxRecord(
                EventType.NODE_REMOVED, new UUID(1, 2), "[::1]:7946", null, java.time.Instant.ofEpochMilli(7));
        try (Outbox outbox = Outbox.open(dir, 1 << 20)) {
            outbox.append(tombstone);
        }
        try (Outbox reopened = Outbox.open(dir, 1 << 20)) {
            assertEquals(
                    List.of(tombstone),
                    reopened.read(0, 10).stream().map(Outbox.Entry::record).toList());
        }
    }

    @Test
    void anEntryLeftByTheFirstFormatIsReadWithoutItsTime() {
        // version 1, FAILURE, event id 3:4, key "k", value {9}: what an outbox of an older Pulse holds
        java.nio.ByteBuffer v1 = java.nio.ByteBuffer.allocate(1 + 1 + 16 + 4 + 1 + 4 + 1);
        v1.put((byte) 1).put((byte) EventType.FAILURE.ordinal()).putLong(3).putLong(4);
        v1.putInt(1).put((byte) 'k').putInt(1).put((byte) 9);
        assertEquals(
                new OutboxRecord(EventType.FAILURE, new UUID(3, 4), "k", new byte[] {9}, null),
                OutboxRecord.deserialize(v1.array()));
        OutboxRecord now = record(5);
        assertEquals(now, OutboxRecord.deserialize(now.serialize()));
        assertEquals(2, now.serialize()[0], "written as version 2");
    }

    @Test
    void appendPastTheBoundIsRefusedUntilSomethingIsDone() {
        int size = record(0).serialize().length;
        try (Outbox outbox = Outbox.open(dir, 3L * size)) {
            assertEquals(0, outbox.append(record(0)));
            assertEquals(1, outbox.append(record(1)));
            assertEquals(2, outbox.append(record(2)));
            assertEquals(-1, outbox.append(record(3)));
            assertEquals(3, outbox.pendingEvents());

            outbox.markDone(outbox.read(0, 1).get(0));
            assertEquals(3, outbox.append(record(3)));
        }
    }

    @Test
    void aCorruptEntryIsReportedWithWhatIsWrong() {
        byte[] bytes = record(1).serialize();
        bytes[0] = 9;
        IllegalArgumentException e =
                assertThrows(IllegalArgumentException.class, () -> OutboxRecord.deserialize(bytes));
        assertEquals("outbox record: got format version 9 (expected: 1 or 2)", e.getMessage());
    }

    @Test
    void anUnreadableEntryIsDroppedAndCountedAndTheRestIsRead() throws Exception {
        try (Outbox outbox = Outbox.open(dir, 1 << 20)) {
            outbox.append(record(0));
            outbox.append(record(1));
        }
        try (org.rocksdb.Options options = new org.rocksdb.Options();
                org.rocksdb.RocksDB db = org.rocksdb.RocksDB.open(options, dir.toString())) {
            db.put(java.nio.ByteBuffer.allocate(8).putLong(0).array(), new byte[] {9, 9, 9});
        }

        try (Outbox reopened = Outbox.open(dir, 1 << 20)) {
            assertEquals(
                    List.of(record(1)),
                    reopened.read(0, 10).stream().map(Outbox.Entry::record).toList());
            assertEquals(1, reopened.unreadable());
            assertEquals(1, reopened.pendingEvents());
            assertEquals(record(1).serialize().length, reopened.pendingBytes());
        }
    }
}
