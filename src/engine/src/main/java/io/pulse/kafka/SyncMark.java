package io.pulse.kafka;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.util.zip.CRC32C;

/**
 * The outbox's high-water mark: the highest sequence number known to be in the synced
 * write-ahead log, kept beside it in a file of its own ({@value #FILE_NAME}: 8 bytes of sequence
 * number, 4 of CRC32C). The write-ahead log cannot hold it: a mark written into the log is lost
 * with the part of the log it should measure.
 *
 * <pre>{@code
 * try (SyncMark mark = SyncMark.open(dir)) {
 *     long before = mark.value();   // -1 when none was written, or the file is garbled
 *     mark.write(41);               // after the log holding 0..41 was synced
 * }
 * }</pre>
 *
 * Written after the log was synced, never before, so the mark never claims more than the log
 * holds. It is not synced itself: a power loss can take back its last write, which only makes
 * the next gap check see less.
 */
final class SyncMark implements AutoCloseable {
    static final String FILE_NAME = "PULSE-SYNCED";
    private static final int SIZE = Long.BYTES + Integer.BYTES;

    private final Path file;
    private final FileChannel channel;
    private final long read;
    private long written;

    private SyncMark(Path file, FileChannel channel, long read) {
        this.file = file;
        this.channel = channel;
        this.read = read;
        this.written = read;
    }

    static SyncMark open(Path dir) throws IOException {
        Path file = dir.resolve(FILE_NAME);
        FileChannel channel = OutboxDirectory.openFile(dir, FILE_NAME);
        try {
            return new SyncMark(file, channel, read(channel));
        } catch (IOException | RuntimeException e) {
            channel.close();
            throw e;
        }
    }

    /** The mark found on open; -1 if there was none (a new outbox) or it was garbled. */
    long value() {
        return Math.max(read, -1);
    }

    /** True when the file held something that was not a mark (a torn write, or damage). */
    boolean garbled() {
        return read == -2;
    }

    /** Records that the log holds every sequence number up to {@code seq}; a lower value is ignored. */
    synchronized void write(long seq) {
        if (seq <= written) {
            return;
        }
        ByteBuffer buffer = ByteBuffer.allocate(SIZE).putLong(seq).putInt(crc(seq));
        buffer.flip();
        try {
            while (buffer.hasRemaining()) {
                channel.write(buffer, buffer.position());
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + file + ": " + e.getMessage(), e);
        }
        written = seq;
    }

    @Override
    public synchronized void close() throws IOException {
        try {
            channel.force(false);
        } finally {
            channel.close();
        }
    }

    /** The mark, -1 for an empty file, -2 for a garbled one. */
    private static long read(FileChannel channel) throws IOException {
        if (channel.size() == 0) {
            return -1;
        }
        ByteBuffer buffer = ByteBuffer.allocate(SIZE);
        while (buffer.hasRemaining() && channel.read(buffer, buffer.position()) > 0) {
            // read on
        }
        if (buffer.hasRemaining()) {
            return -2;
        }
        buffer.flip();
        long seq = buffer.getLong();
        return seq >= 0 && buffer.getInt() == crc(seq) ? seq : -2;
    }

    private static int crc(long seq) {
        CRC32C crc = new CRC32C();
        crc.update(ByteBuffer.allocate(Long.BYTES).putLong(seq).flip());
        return (int) crc.getValue();
    }
}
