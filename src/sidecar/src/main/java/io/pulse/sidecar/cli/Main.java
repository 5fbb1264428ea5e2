package io.pulse.sidecar.cli;

import io.pulse.sidecar.Logging;
import java.io.PrintWriter;

/**
 * {@code java -jar pulse.jar <command>}: the sidecar's entry point. Exit codes: 0 success,
 * 1 failure, 2 bad usage or configuration.
 *
 * <pre>{@code
 * java -jar target/pulse.jar run --config pulse.yaml
 * java -jar target/pulse.jar demo
 * }</pre>
 */
public final class Main {
    private Main() {}

    public static void main(String[] args) {
        Logging.defaults();
        System.exit(PulseCommand.execute(args, new PrintWriter(System.out, true), new PrintWriter(System.err, true)));
    }
}
