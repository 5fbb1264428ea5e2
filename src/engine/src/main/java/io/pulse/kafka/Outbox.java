package io.pulse.kafka;

import io.pulse.core.Clock;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.rocksdb.InfoLogLevel;
import org.rocksdb.Options;
import org.rocksdb.RocksDB;
import org.rocksdb.RocksDBException;
import org.rocksdb.RocksIterator;
import org.rocksdb.WALRecoveryMode;
import org.rocksdb.WriteBatch;
import org.rocksdb.WriteOptions;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The durable journal of events not yet acknowledged by Kafka, in a RocksDB database keyed by a
 * sequence number (8 bytes, big-endian, so key order is publish order).
 *
 * <pre>{@code
 * try (Outbox outbox = Outbox.open(dir, 64 << 20, clock)) {
 *     long seq = outbox.append(record);           // durable against a killed process on return
 *     outbox.sync();                               // and against a power loss after this
 *     for (Outbox.Entry e : outbox.read(0, 100)) { send(e); }
 *     outbox.markDone(seq, bytes);                 // Kafka has it
 * }
 * }</pre>
 *
 * <h2>Why a killed process loses nothing</h2>
 * {@link #append} returns after RocksDB has written the entry to its write-ahead log with
 * {@code write(2)}: the bytes are in the kernel, which keeps them when the process dies.
 * {@link #sync} makes them survive a power loss as well ({@code fsync} of the log); the sender
 * calls it once per batch before the batch goes to the producer (group commit). An entry deleted
 * before a crash may come back, which only means it is sent again, and a consumer drops the copy
 * by event id. A power loss takes the entries appended since the last sync (one sender batch at
 * most) without a trace: that is the price of not syncing every append.
 *
 * <h2>Damage never stops detection, and no loss is silent</h2>
 * <ul>
 * <li>A damaged database (CURRENT or MANIFEST missing or garbled, or RocksDB reports
 *     {@code Corruption} on open) is renamed to {@code <dir>.corrupt-<UTC time>}, an empty outbox
 *     is opened in its place, and the loss is logged at ERROR and counted
 *     ({@link #corruptions()}). What cannot be written (permissions, a file in the way) is not
 *     damage: {@link OutboxNotWritableException}, and nothing is moved. Nor is a lock held by
 *     another process: {@link OutboxException}.</li>
 * <li>A damaged write-ahead log: the log is replayed with
 *     {@link WALRecoveryMode#PointInTimeRecovery}, which stops at the first bad record, so what
 *     is lost is always a tail. The alternatives are worse here: {@code AbsoluteConsistency} and
 *     {@code TolerateCorruptedTailRecords} refuse to open over a bad record in the middle (and the
 *     whole outbox would be moved aside); {@code SkipAnyCorruptedRecords} replays the records
 *     after a bad one, so a lost entry could sit in the middle where nothing measures it. A tail
 *     is measured: each append also writes the last appended sequence number into the database
 *     (same write batch), and {@link #sync} records the last synced one in a file of its own
 *     ({@link SyncMark}). On open, a database that ends below the mark lost the entries between;
 *     their number (an upper bound: some may have reached Kafka before the crash) is logged at
 *     ERROR and counted ({@link #lostEvents()}), and numbering goes on above the mark.</li>
 * </ul>
 *
 * <p>Thread-safe. {@link #append} is serialized so that sequence order is journal order.
 */
final class Outbox implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(Outbox.class);
    /** The last appended sequence number; sorts after every entry key (those start with 0x00..0x7f). */
    private static final byte[] LAST_APPENDED = {(byte) 0xff, 'l', 'a', 's', 't'};

    static {
        RocksDB.loadLibrary();
    }

    /** One journaled event. {@code bytes} is its size in the journal, what counts against the bound. */
    record Entry(long seq, OutboxRecord record, int bytes) {}

    private final Options options;
    private final WriteOptions writeOptions;
    private final RocksDB db;
    private final SyncMark mark;
    private final long maxBytes;
    private final long corruptions;
    private final AtomicLong pendingEvents = new AtomicLong();
    private final AtomicLong pendingBytes = new AtomicLong();
    private final AtomicLong unreadable = new AtomicLong();
    private final Object appendLock = new Object();
    private long lastAppended;
    private long lostEvents;

    private Outbox(Options options, RocksDB db, SyncMark mark, long maxBytes, long corruptions) {
        this.options = options;
        this.db = db;
        this.mark = mark;
        this.maxBytes = maxBytes;
        this.corruptions = corruptions;
        this.writeOptions = new WriteOptions().setSync(false);
        long last = -1;
        try (RocksIterator it = db.newIterator()) {
            for (it.seekToFirst(); it.isValid() && isEntry(it.key()); it.next()) {
                last = seq(it.key());
                pendingEvents.incrementAndGet();
                pendingBytes.addAndGet(it.value().length);
            }
        }
        this.lastAppended = Math.max(last, lastAppendedRecorded(db));
    }

    /** Opens the journal in {@code dir}, creating it if missing; what it holds is pending again. */
    static Outbox open(Path dir, long maxBytes) {
        return open(dir, maxBytes, Clock.system());
    }

    /**
     * Opens the journal in {@code dir}, creating it if missing; what it holds is pending again. A
     * damaged journal is moved aside (named after {@code clock}'s time) and an empty one opened.
     *
     * @throws OutboxNotWritableException {@code dir} cannot be created or written
     * @throws OutboxException it cannot be opened for another reason (another process holds it)
     */
    static Outbox open(Path dir, long maxBytes, Clock clock) {
        OutboxDirectory.prepare(dir);
        String damage = OutboxDirectory.damage(dir);
        if (damage == null) {
            try {
                return openDatabase(dir, maxBytes, 0);
            } catch (RocksDBException e) {
                damage = OutboxDirectory.damage(e);
                if (damage == null) {
                    OutboxNotWritableException notWritable = OutboxDirectory.notWritable(dir, e);
                    throw notWritable != null
                            ? notWritable
                            : new OutboxException("cannot open outbox " + dir + ": " + e.getMessage(), e);
                }
            }
        }
        Path aside = OutboxDirectory.moveAside(dir, clock.now());
        log.error(
                "outbox {} is damaged ({}): moved it to {} and started an empty outbox; the events it held were "
                        + "NOT sent to Kafka. Inspect {} (RocksDB's ldb tool) or delete it",
                dir,
                damage,
                aside,
                aside);
        OutboxDirectory.prepare(dir);
        try {
            return openDatabase(dir, maxBytes, 1);
        } catch (RocksDBException e) {
            throw new OutboxException(
                    "cannot open a new outbox in " + dir + " after moving the damaged one to " + aside + ": "
                            + e.getMessage(),
                    e);
        }
    }

    private static Outbox openDatabase(Path dir, long maxBytes, long corruptions) throws RocksDBException {
        Options options = new Options()
                .setCreateIfMissing(true)
                .setWalRecoveryMode(WALRecoveryMode.PointInTimeRecovery)
                .setInfoLogLevel(InfoLogLevel.WARN_LEVEL)
                .setKeepLogFileNum(2)
                .setMaxTotalWalSize(64L << 20)
                .setWriteBufferSize(8L << 20);
        RocksDB db = null;
        SyncMark mark = null;
        try {
            db = RocksDB.open(options, dir.toString());
            mark = SyncMark.open(dir);
            Outbox outbox = new Outbox(options, db, mark, maxBytes, corruptions);
            outbox.checkForGap(dir);
            return outbox;
        } catch (IOException e) {
            closeQuietly(db, mark, options);
            throw new OutboxNotWritableException("cannot write to outbox directory " + dir + ": " + e, e);
        } catch (RocksDBException | RuntimeException e) {
            closeQuietly(db, mark, options);
            throw e;
        }
    }

    /** Compares what the database holds with the synced mark; a database that ends below it lost a tail. */
    private void checkForGap(Path dir) throws RocksDBException {
        if (mark.garbled()) {
            log.warn(
                    "outbox {}: {} is garbled; lost events cannot be counted for this start",
                    dir,
                    dir.resolve(SyncMark.FILE_NAME));
        }
        long synced = mark.value();
        if (synced <= lastAppended) {
            return;
        }
        lostEvents = synced - lastAppended;
        log.error(
                "outbox {}: its write-ahead log is damaged: up to {} events (numbers {} to {}, synced before) are "
                        + "gone and were NOT all sent to Kafka (an upper bound: some may have been sent before the crash)",
                dir,
                lostEvents,
                lastAppended + 1,
                synced);
        // numbering goes on above the mark, so that the same loss is not reported again
        try (WriteOptions synchronous = new WriteOptions().setSync(true)) {
            db.put(synchronous, LAST_APPENDED, key(synced));
        }
        lastAppended = synced;
    }

    /**
     * Journals {@code record}; returns its sequence number, or -1 if it does not fit under the
     * bound (then nothing was written).
     */
    long append(OutboxRecord record) {
        byte[] value = record.serialize();
        synchronized (appendLock) {
            if (pendingBytes.get() + value.length > maxBytes) {
                return -1;
            }
            long seq = lastAppended + 1;
            try (WriteBatch batch = new WriteBatch()) {
                batch.put(key(seq), value);
                batch.put(LAST_APPENDED, key(seq));
                db.write(writeOptions, batch);
            } catch (RocksDBException e) {
                throw new OutboxException("cannot write to outbox: " + e.getMessage(), e);
            }
            lastAppended = seq;
            pendingEvents.incrementAndGet();
            pendingBytes.addAndGet(value.length);
            return seq;
        }
    }

    /** Up to {@code max} pending entries with sequence number {@code fromSeq} or later, in order. */
    List<Entry> read(long fromSeq, int max) {
        List<Entry> entries = new ArrayList<>(Math.min(max, 1024));
        try (RocksIterator it = db.newIterator()) {
            for (it.seek(key(fromSeq)); it.isValid() && isEntry(it.key()) && entries.size() < max; it.next()) {
                byte[] value = it.value();
                long seq = seq(it.key());
                try {
                    entries.add(new Entry(seq, OutboxRecord.deserialize(value), value.length));
                } catch (IllegalArgumentException e) {
                    // one unreadable entry must not stop the journal behind it
                    log.error("outbox entry {} is unreadable and is dropped: {}", seq, e.getMessage());
                    unreadable.incrementAndGet();
                    markDone(new Entry(seq, null, value.length));
                }
            }
        }
        return entries;
    }

    /** Kafka has the entry: it is deleted from the journal. */
    void markDone(Entry entry) {
        markDone(List.of(entry));
    }

    /** The newest entry appended so far, or -1. */
    long lastAppended() {
        synchronized (appendLock) {
            return lastAppended;
        }
    }

    /** The oldest entry still pending, or {@link Long#MAX_VALUE} if none is. */
    long firstPending() {
        try (RocksIterator it = db.newIterator()) {
            it.seekToFirst();
            return it.isValid() && isEntry(it.key()) ? seq(it.key()) : Long.MAX_VALUE;
        }
    }

    /** Kafka has the entries: they are deleted from the journal in one write. */
    void markDone(List<Entry> entries) {
        if (entries.isEmpty()) {
            return;
        }
        long bytes = 0;
        try (WriteBatch batch = new WriteBatch()) {
            for (Entry entry : entries) {
                batch.delete(key(entry.seq()));
                bytes += entry.bytes();
            }
            db.write(writeOptions, batch);
        } catch (RocksDBException e) {
            throw new OutboxException("cannot delete from outbox: " + e.getMessage(), e);
        }
        pendingEvents.addAndGet(-entries.size());
        pendingBytes.addAndGet(-bytes);
    }

    /**
     * Makes every entry appended so far survive a power loss (fsync of the write-ahead log), then
     * records the last of them in the {@link SyncMark}.
     */
    void sync() {
        long last;
        synchronized (appendLock) {
            last = lastAppended;
        }
        try {
            db.flushWal(true);
        } catch (RocksDBException e) {
            throw new OutboxException("cannot sync outbox: " + e.getMessage(), e);
        }
        mark.write(last);
    }

    /** Entries dropped because they could not be read back (never seen with RocksDB's checksums; counted all the same). */
    long unreadable() {
        return unreadable.get();
    }

    /** 1 if the outbox was found damaged on open, moved aside and replaced by an empty one; 0 otherwise. */
    long corruptions() {
        return corruptions;
    }

    /** Entries found missing from the write-ahead log on open (an upper bound); 0 when none. */
    long lostEvents() {
        return lostEvents;
    }

    long pendingEvents() {
        return pendingEvents.get();
    }

    long pendingBytes() {
        return pendingBytes.get();
    }

    long maxBytes() {
        return maxBytes;
    }

    @Override
    public void close() {
        try {
            sync();
        } catch (OutboxException | UncheckedIOException e) {
            // closing anyway: what was appended is in the kernel already
        } finally {
            closeQuietly(db, mark, options);
            writeOptions.close();
        }
    }

    private static void closeQuietly(RocksDB db, SyncMark mark, Options options) {
        try {
            if (mark != null) {
                mark.close();
            }
        } catch (IOException e) {
            log.warn("cannot close {}: {}", SyncMark.FILE_NAME, e.toString());
        } finally {
            if (db != null) {
                db.close();
            }
            options.close();
        }
    }

    private static long lastAppendedRecorded(RocksDB db) {
        try {
            byte[] value = db.get(LAST_APPENDED);
            return value == null ? -1 : seq(value);
        } catch (RocksDBException e) {
            throw new OutboxException("cannot read the outbox: " + e.getMessage(), e);
        }
    }

    private static boolean isEntry(byte[] key) {
        return key.length == Long.BYTES && key[0] >= 0;
    }

    private static byte[] key(long seq) {
        return ByteBuffer.allocate(Long.BYTES).putLong(seq).array();
    }

    private static long seq(byte[] key) {
        return ByteBuffer.wrap(key).getLong();
    }
}
