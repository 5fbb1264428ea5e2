package io.pulse.kafka;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.rocksdb.RocksDBException;
import org.rocksdb.Status;

/**
 * What the outbox asks of its directory before and after RocksDB opens it: that it can be
 * written, whether it is damaged, and moving a damaged one aside.
 *
 * <pre>{@code
 * OutboxDirectory.prepare(dir);                        // OutboxNotWritableException if it cannot be written
 * String damage = OutboxDirectory.damage(dir);          // null when CURRENT and MANIFEST look sound
 * Path aside = OutboxDirectory.moveAside(dir, clock.now());   // dir.corrupt-20261204T123456Z
 * }</pre>
 *
 * Damage is what RocksDB cannot recover from by itself: a CURRENT file missing (while the files
 * it should point to are there), garbled, or naming a MANIFEST that is missing or empty, and
 * any open that fails with status {@code Corruption}. Everything else (a lock held by another
 * process, permissions, a full disk) is not damage: the open fails and nothing is moved.
 *
 * <p>The events name nodes and their states, so a directory created here is owner-only
 * ({@code rwx------}, on a file system with POSIX permissions; so is any missing parent it
 * creates), and so are the files Pulse creates in it; RocksDB's own files are out of other
 * users' reach inside it. A directory that already exists keeps the permissions it has.
 */
final class OutboxDirectory {
    private static final DateTimeFormatter STAMP =
            DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'", Locale.ROOT).withZone(ZoneOffset.UTC);
    private static final Pattern CURRENT = Pattern.compile("MANIFEST-[0-9]+\n");
    /** Files that only exist once RocksDB wrote a database: without CURRENT beside them it is damaged. */
    private static final Pattern DATABASE_FILE = Pattern.compile("MANIFEST-[0-9]+|[0-9]+\\.(sst|log)");

    private static final FileAttribute<?> OWNER_ONLY_DIRECTORY =
            PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------"));
    private static final FileAttribute<?> OWNER_ONLY_FILE =
            PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------"));

    private OutboxDirectory() {}

    /**
     * Creates {@code dir} if missing, owner-only (and so any missing parent); throws
     * {@link OutboxNotWritableException} if it cannot be written.
     */
    static void prepare(Path dir) {
        try {
            Files.createDirectories(dir, ownerOnly(dir, OWNER_ONLY_DIRECTORY));
        } catch (FileAlreadyExistsException e) {
            throw notWritable(dir, "a file is in the way (expected: a directory)", e);
        } catch (AccessDeniedException e) {
            throw notWritable(dir, "permission denied", e);
        } catch (FileSystemException e) {
            String reason = e.getReason() == null ? e.toString() : e.getReason().toLowerCase(Locale.ROOT);
            throw notWritable(dir, reason + " (creating " + e.getFile() + ")", e);
        } catch (IOException e) {
            throw notWritable(dir, e.toString(), e);
        }
        if (!Files.isWritable(dir)) {
            throw notWritable(dir, "permission denied", null);
        }
    }

    /**
     * Opens (creating it owner-only, {@code rw-------}, if missing) a file of the outbox directory
     * {@code dir} for reading and writing.
     */
    static FileChannel openFile(Path dir, String name) throws IOException {
        return FileChannel.open(
                dir.resolve(name),
                java.util.Set.of(StandardOpenOption.CREATE, StandardOpenOption.READ, StandardOpenOption.WRITE),
                ownerOnly(dir, OWNER_ONLY_FILE));
    }

    /** {@code permissions} where {@code dir}'s file system has POSIX permissions; none elsewhere (Windows). */
    private static FileAttribute<?>[] ownerOnly(Path dir, FileAttribute<?> permissions) {
        boolean posix = dir.getFileSystem().supportedFileAttributeViews().contains("posix");
        return posix ? new FileAttribute<?>[] {permissions} : new FileAttribute<?>[0];
    }

    /** The {@link OutboxNotWritableException} for a RocksDB failure that says permission denied; null otherwise. */
    static OutboxNotWritableException notWritable(Path dir, RocksDBException e) {
        String message = String.valueOf(e.getMessage());
        return message.contains("Permission denied")
                ? notWritable(dir, "permission denied (" + message + ")", e)
                : null;
    }

    private static OutboxNotWritableException notWritable(Path dir, String what, Exception cause) {
        return new OutboxNotWritableException("cannot write to outbox directory " + dir + ": " + what, cause);
    }

    /** What is wrong with the RocksDB files in {@code dir}, or null when CURRENT and its MANIFEST look sound. */
    static String damage(Path dir) {
        Path current = dir.resolve("CURRENT");
        try {
            if (!Files.exists(current)) {
                try (Stream<Path> files = Files.list(dir)) {
                    List<String> database = files.map(f -> f.getFileName().toString())
                            .filter(name -> DATABASE_FILE.matcher(name).matches())
                            .sorted()
                            .toList();
                    return database.isEmpty() ? null : "CURRENT is missing, but " + database + " are there";
                }
            }
            byte[] bytes = Files.readAllBytes(current);
            String content = new String(bytes, StandardCharsets.ISO_8859_1);
            if (bytes.length > 64 || !CURRENT.matcher(content).matches()) {
                return "CURRENT is garbled: got " + bytes.length + " bytes (expected: MANIFEST-<number> and a newline)";
            }
            Path manifest = dir.resolve(content.trim());
            if (!Files.exists(manifest)) {
                return "CURRENT names " + manifest.getFileName() + ", which is missing";
            }
            if (Files.size(manifest) == 0) {
                return manifest.getFileName() + " is empty";
            }
            return null;
        } catch (IOException e) {
            throw new OutboxException("cannot read outbox " + dir + ": " + e, e);
        }
    }

    /** The damage {@code e} reports, or null when it is not damage (a lock, permissions, a full disk). */
    static String damage(RocksDBException e) {
        Status status = e.getStatus();
        return status != null && status.getCode() == Status.Code.Corruption ? e.getMessage() : null;
    }

    /**
     * Renames {@code dir} to {@code <dir>.corrupt-<UTC time>} in the same parent (atomically), unless
     * another process holds its lock; returns the new path.
     */
    static Path moveAside(Path dir, Instant now) {
        Path aside = dir.resolveSibling(dir.getFileName() + ".corrupt-" + STAMP.format(now));
        for (int n = 2; Files.exists(aside); n++) {
            aside = dir.resolveSibling(dir.getFileName() + ".corrupt-" + STAMP.format(now) + "-" + n);
        }
        try (FileChannel lockFile =
                        FileChannel.open(dir.resolve("LOCK"), StandardOpenOption.CREATE, StandardOpenOption.WRITE);
                FileLock lock = lockFile.tryLock()) {
            if (lock == null) {
                throw new OutboxException(
                        "outbox " + dir + " is damaged but another process holds it; not moved", null);
            }
            Files.move(dir, aside, StandardCopyOption.ATOMIC_MOVE);
            return aside;
        } catch (OverlappingFileLockException e) {
            throw new OutboxException("outbox " + dir + " is damaged but open in this process; not moved", e);
        } catch (IOException e) {
            throw new OutboxException("outbox " + dir + " is damaged and cannot be moved to " + aside + ": " + e, e);
        }
    }
}
