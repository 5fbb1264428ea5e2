package io.pulse.sidecar.cli;

import io.pulse.protocol.Keyring;
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

        @Override
        public Integer call() {
            if (id < 1 || id > 255) {
                throw new UsageException("--id: got " + id + " (expected: 1..255)");
            }
            PulseCommand pulse = (PulseCommand) keys.spec.parent().userObject();
            pulse.out().println(id + " " + Keyring.generateKey() + (primary ? " primary" : ""));
            pulse.out().flush();
            return PulseCommand.OK;
        }
    }
}
