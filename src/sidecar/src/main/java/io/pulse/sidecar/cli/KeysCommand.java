package io.pulse.sidecar.cli;

import io.pulse.protocol.Keyring;
import java.io.IOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code pulse keys generate}: a new key line for a keys file ({@code security.keys.file}). */
@Command(
        name = "keys",
        mixinStandardHelpOptions = true,
        description = "Authentication keys. Rotation, on every node in turn, one step at a time: add the new key's "
                + "line to the keys file; then move 'primary' to it; then delete the old line. Each node re-reads "
                + "its file within seconds; wait until every node has a step before the next.",
        subcommands = {KeysCommand.Generate.class})
final class KeysCommand implements Runnable {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        throw new CommandLine.ParameterException(spec.commandLine(), "name a subcommand: generate");
    }

    /** Prints {@code <id> <base64 key>[ primary]}. */
    @Command(
            name = "generate",
            mixinStandardHelpOptions = true,
            description = "Prints a line with a new random 256-bit key, to add to a keys file (keep the file "
                    + "readable by Pulse's user only: chmod 600).")
    static final class Generate implements Callable<Integer> {
        @CommandLine.ParentCommand
        KeysCommand keys;

        @Option(
                names = "--id",
                defaultValue = "1",
                paramLabel = "N",
                description = "The key's slot, 1..255 (default: 1).")
        int id;

        @Option(names = "--primary", description = "Mark the line primary (the key that signs).")
        boolean primary;

        @Option(
                names = "--output",
                paramLabel = "FILE",
                description = "Write the line to FILE, a new keys file readable by its owner only, instead of "
                        + "printing it. An existing FILE is an error, unless --if-missing.")
        Path output;

        @Option(
                names = "--if-missing",
                description = "With --output: leave an existing FILE as it is (for a container that makes the "
                        + "cluster's keys on its first start).")
        boolean ifMissing;

        @Override
        public Integer call() throws IOException {
            if (id < 1 || id > 255) {
                throw new UsageException("--id: got " + id + " (expected: 1..255)");
            }
            if (ifMissing && output == null) {
                throw new UsageException("--if-missing needs --output FILE");
            }
            PulseCommand pulse = (PulseCommand) keys.spec.parent().userObject();
            String line = id + " " + Keyring.generateKey() + (primary ? " primary" : "");
            if (output == null) {
                pulse.out().println(line);
            } else if (ifMissing && Files.exists(output)) {
                pulse.out().println(output + " exists: left as it is");
            } else {
                writeOwnerOnly(output, line + "\n");
                pulse.out().println("wrote a new key to " + output + " (readable by its owner only)");
            }
            pulse.out().flush();
            return PulseCommand.OK;
        }

        /** Creates {@code file} with permissions rw------- from the start (where the file system has them). */
        private static void writeOwnerOnly(Path file, String text) throws IOException {
            FileAttribute<?>[] ownerOnly =
                    file.getFileSystem().supportedFileAttributeViews().contains("posix")
                            ? new FileAttribute<?>[] {
                                PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------"))
                            }
                            : new FileAttribute<?>[0];
            try {
                Files.createFile(file, ownerOnly);
            } catch (FileAlreadyExistsException e) {
                throw new UsageException("--output: " + file + " exists (expected: a new file; --if-missing keeps it)");
            }
            Files.writeString(file, text);
        }
    }
}
