package io.pulse.sidecar.cli;

import java.io.PrintWriter;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine;

/**
 * A command that asks a running sidecar's HTTP API for one JSON document and prints it: as it is
 * with {@code --json}, else as the subclass renders it ({@code pulse status}, {@code pulse members}).
 *
 * <pre>{@code
 * final class StatusCommand extends ApiCommand {
 *     StatusCommand() { super("/status", "a status document"); }
 *     int print(Map<String, Object> body, PrintWriter out) { ...; return PulseCommand.OK; }
 * }
 * }</pre>
 */
abstract class ApiCommand implements Callable<Integer> {
    @CommandLine.ParentCommand
    PulseCommand parent;

    @CommandLine.Mixin
    ApiOptions options;

    private final String path;
    private final String document;

    /** @param document what the answer should be, for the error when it is not ("a status document") */
    ApiCommand(String path, String document) {
        this.path = path;
        this.document = document;
    }

    /** Prints the document for a person; returns the exit code. */
    abstract int print(Map<String, Object> body, PrintWriter out);

    @Override
    public final Integer call() throws Exception {
        String text = ApiClient.get(options, path);
        if (options.json) {
            parent.out().println(text);
            return PulseCommand.OK;
        }
        int exit = print(ApiClient.object(options.api, path, text, document), parent.out());
        parent.out().flush();
        return exit;
    }
}
