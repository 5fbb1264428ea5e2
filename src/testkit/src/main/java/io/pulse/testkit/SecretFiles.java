package io.pulse.testkit;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;

/**
 * Files of secrets (keys, tokens, private keys) as a test writes them: owner-only ({@code rw-------}),
 * since Pulse refuses one its group or others may read.
 *
 * <pre>{@code
 * Path token = SecretFiles.write(dir.resolve("api-token"), "s3cret\n");
 * }</pre>
 */
public final class SecretFiles {
    private SecretFiles() {}

    /** Writes {@code text} to {@code file} and leaves it owner-only (where the file system has POSIX permissions). */
    public static Path write(Path file, String text) {
        try {
            Files.writeString(file, text);
            permissions(file, "rw-------");
            return file;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + file, e);
        }
    }

    /** Sets {@code file}'s permissions ({@code rw-r--r--}) where the file system has POSIX permissions. */
    public static Path permissions(Path file, String permissions) {
        if (!posix(file)) {
            return file;
        }
        try {
            Files.setPosixFilePermissions(file, PosixFilePermissions.fromString(permissions));
            return file;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot set the permissions of " + file, e);
        }
    }

    /** True where {@code file}'s file system has POSIX permissions (not on Windows). */
    public static boolean posix(Path file) {
        return file.getFileSystem().supportedFileAttributeViews().contains("posix");
    }
}
