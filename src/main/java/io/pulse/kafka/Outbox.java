package io.pulse.kafka;

import io.pulse.core.Clock;
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
 * by event id. A torn tail record (power loss in the middle of a write) is dropped on open
 * ({@link WALRecoveryMode#PointInTimeRecovery}).
 *
 * <h2>Damage never stops detection</h2>
 * <ul>
 * <li>A damaged database (CURRENT or MANIFEST missing or garbled, or RocksDB reports
 *     {@code Corruption} on open) is renamed to {@code <dir>.corrupt-<UTC time>}, an empty outbox
 *     is opened in its place, and the loss is logged at ERROR and counted
 *     ({@link #corruptions()}). What cannot be written (permissions, a file in the way) is not
 *     damage: {@link OutboxNotWritableException}, and nothing is moved. Nor is a lock held by
 *     another process: {@link OutboxException}.</li>
 * </ul>
 *
 * <p>Thread-safe. {@link #append} is serialized so that sequence order is journal order.
 */
final class Outbox implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(Outbox.class);
    static {
        RocksDB.loadLibrary();
    }

    /** One journaled event. {@code bytes} is its size in the journal, what counts against the bound. */
    record Entry(long seq, OutboxRecord record, int bytes) {
    }

    private final Options options;
    private final WriteOptions writeOptions;
    private final RocksDB db;
    private final long maxBytes;
    private final long corruptions;
    private final AtomicLong pendingEvents = new AtomicLong();
    private final AtomicLong pendingBytes = new AtomicLong();
    private final AtomicLong unreadable = new AtomicLong();
    private final Object appendLock = new Object();
    private long nextSeq;

    private Outbox(Options options, RocksDB db, long maxBytes, long corruptions) {
        this.options = options;
        this.db = db;
        this.maxBytes = maxBytes;
        this.corruptions = corruptions;
        this.writeOptions = new WriteOptions().setSync(false);
        long last = -1;
        try (RocksIterator it = db.newIterator()) {
            for (it.seekToFirst(); it.isValid(); it.next()) {
                last = seq(it.key());
                pendingEvents.incrementAndGet();
                pendingBytes.addAndGet(it.value().length);
            }
        }
        this.nextSeq = last + 1;
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
                    throw notWritable != null ? notWritable
                            : new OutboxException("cannot open outbox " + dir + ": " + e.getMessage(), e);
                }
            }
        }
        Path aside = OutboxDirectory.moveAside(dir, clock.now());
        log.error("outbox {} is damaged ({}): moved it to {} and started an empty outbox; the events it held were "
                + "NOT sent to Kafka. Inspect {} (RocksDB's ldb tool) or delete it", dir, damage, aside, aside);
        OutboxDirectory.prepare(dir);
        try {
            return openDatabase(dir, maxBytes, 1);
        } catch (RocksDBException e) {
            throw new OutboxException("cannot open a new outbox in " + dir + " after moving the damaged one to "
                    + aside + ": " + e.getMessage(), e);
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
        try {
            return new Outbox(options, RocksDB.open(options, dir.toString()), maxBytes, corruptions);
        } catch (RocksDBException | RuntimeException e) {
            options.close();
            throw e;
        }
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
            long seq = nextSeq;
            try {
                db.put(writeOptions, key(seq), value);
            } catch (RocksDBException e) {
                throw new OutboxException("cannot write to outbox: " + e.getMessage(), e);
            }
            nextSeq = seq + 1;
            pendingEvents.incrementAndGet();
            pendingBytes.addAndGet(value.length);
            return seq;
        }
    }

    /** Up to {@code max} pending entries with sequence number {@code fromSeq} or later, in order. */
    List<Entry> read(long fromSeq, int max) {
        List<Entry> entries = new ArrayList<>(Math.min(max, 1024));
        try (RocksIterator it = db.newIterator()) {
            for (it.seek(key(fromSeq)); it.isValid() && entries.size() < max; it.next()) {
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

    /** Makes every entry appended so far survive a power loss (fsync of the write-ahead log). */
    void sync() {
        try {
            db.flushWal(true);
        } catch (RocksDBException e) {
            throw new OutboxException("cannot sync outbox: " + e.getMessage(), e);
        }
    }

    /** Entries dropped because they could not be read back (never seen with RocksDB's checksums; counted all the same). */
    long unreadable() {
        return unreadable.get();
    }

    /** 1 if the outbox was found damaged on open, moved aside and replaced by an empty one; 0 otherwise. */
    long corruptions() {
        return corruptions;
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
            db.syncWal();
        } catch (RocksDBException e) {
            // closing anyway: what was appended is in the kernel already
        } finally {
            db.close();
            writeOptions.close();
            options.close();
        }
    }

    private static byte[] key(long seq) {
        return ByteBuffer.allocate(Long.BYTES).putLong(seq).array();
    }

    private static long seq(byte[] key) {
        return ByteBuffer.wrap(key).getLong();
    }
}
