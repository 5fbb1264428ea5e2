package io.pulse.sidecar.cli;

import io.pulse.sidecar.config.ConfigurationException;
import java.io.PrintWriter;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * The {@code pulse} command and its subcommands.
 *
 * <pre>{@code
 * int exit = PulseCommand.execute(new String[] {"status", "--api", "127.0.0.1:8946"}, out, err);
 * }</pre>
 */
@Command(
        name = "pulse",
        mixinStandardHelpOptions = true,
        versionProvider = PulseCommand.Version.class,
        description = "Watches nodes, decides which have failed, and publishes that to Kafka.",
        subcommands = {
            RunCommand.class,
            RespondCommand.class,
            DemoCommand.class,
            TailCommand.class,
            DashboardCommand.class,
            ProbeCommand.class,
            StatusCommand.class,
            MembersCommand.class,
            KeysCommand.class,
            CommandLine.HelpCommand.class
        },
        footer = {"", "Exit codes: 0 success, 1 failure, 2 bad usage or configuration."})
public final class PulseCommand implements Runnable {
    public static final int OK = 0;
    public static final int FAILED = 1;
    public static final int USAGE = 2;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    private final java.util.Map<String, String> environment;
    private PrintWriter out;
    private PrintWriter err;

    private PulseCommand(java.util.Map<String, String> environment) {
        this.environment = java.util.Map.copyOf(environment);
    }

    /** Runs {@code args} with this process's environment; returns the exit code. */
    public static int execute(String[] args, PrintWriter out, PrintWriter err) {
        return execute(args, out, err, System.getenv());
    }

    /** Runs {@code args} with {@code environment} as the {@code PULSE_*} variables' source; returns the exit code. */
    public static int execute(
            String[] args, PrintWriter out, PrintWriter err, java.util.Map<String, String> environment) {
        PulseCommand command = new PulseCommand(environment);
        command.out = out;
        command.err = err;
        CommandLine line = new CommandLine(command);
        line.getSubcommands()
                .get("run")
                .getCommandSpec()
                .usageMessage()
                .footerHeading("%nSettings (file keys; PULSE_<KEY> and --set KEY=VALUE override them):%n")
                .footer(io.pulse.sidecar.config.SettingsDocs.helpText().replace("%", "%%"));
        line.setOut(out);
        line.setErr(err);
        line.setExecutionExceptionHandler((e, commandLine, parseResult) -> {
            if (e instanceof ConfigurationException) {
                commandLine.getErr().println("pulse: invalid configuration: " + e.getMessage());
                return USAGE;
            }
            if (e instanceof UsageException) {
                commandLine.getErr().println("pulse: " + e.getMessage());
                commandLine.getErr().println("Try 'pulse " + commandLine.getCommandName() + " --help'.");
                return USAGE;
            }
            commandLine.getErr().println("pulse: " + (e.getMessage() == null ? e.toString() : e.getMessage()));
            return FAILED;
        });
        int code = line.execute(args);
        out.flush();
        err.flush();
        return code;
    }

    java.util.Map<String, String> environment() {
        return environment;
    }

    PrintWriter out() {
        return out;
    }

    PrintWriter err() {
        return err;
    }

    void configureLogging(io.pulse.sidecar.config.SidecarConfig config) {
        configureLogging(config.logFormat(), config.logLevel());
    }

    void configureLogging(String format, String level) {
        io.pulse.sidecar.Logging.configure(format, level);
    }

    @Override
    public void run() {
        throw new CommandLine.ParameterException(spec.commandLine(), "a command is required");
    }

    /** The version and build time Maven wrote into the classes ({@link io.pulse.sidecar.http.BuildInfo}). */
    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            return new String[] {
                "pulse " + io.pulse.sidecar.http.BuildInfo.current().describe()
            };
        }
    }
}
