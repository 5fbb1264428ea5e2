package io.pulse.sidecar.cli;

import io.pulse.embedded.EmbeddedKafka;
import io.pulse.sidecar.Sidecar;
import io.pulse.sidecar.config.ConfigLoader;
import io.pulse.sidecar.config.SidecarConfig;
import io.pulse.sidecar.config.SidecarSettings;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code pulse run}: engine, responder, publisher and HTTP API together, until SIGTERM. */
@Command(
        name = "run",
        mixinStandardHelpOptions = true,
        sortOptions = false,
        description = {
            "Runs the sidecar: probes the configured targets, answers its peers' probes, publishes "
                    + "failures and status changes to Kafka and serves the HTTP API, until SIGTERM or Ctrl-C "
                    + "(then it stops probing, flushes the outbox and exits 0).",
            "Settings come from the file, then PULSE_<KEY> environment variables, then --set flags."
        })
final class RunCommand implements Callable<Integer> {
    @CommandLine.ParentCommand
    PulseCommand parent;

    @Option(
            names = {"-c", "--config"},
            paramLabel = "FILE",
            description = "YAML configuration file (optional).")
    Path config;

    @Option(
            names = "--set",
            paramLabel = "KEY=VALUE",
            description = "Sets one key (repeatable); overrides the file and the environment.")
    List<String> assignments = new ArrayList<>();

    @Option(
            names = "--embedded-kafka",
            description =
                    "Starts a real local Kafka broker in this process and publishes to it (for trying Pulse out).")
    boolean embeddedKafka;

    @Option(
            names = "--dry-run",
            description = "Checks the configuration, prints every setting with its source, and exits.")
    boolean dryRun;

    @Override
    public Integer call() throws Exception {
        Map<String, String> overrides = new LinkedHashMap<>();
        for (String assignment : assignments) {
            Map.Entry<String, String> entry = ConfigLoader.parseAssignment(assignment);
            overrides.put(entry.getKey(), entry.getValue());
        }
        SidecarConfig settings = ConfigLoader.load(config, parent.environment(), overrides);
        settings.requireKeysOrChoice();
        if (dryRun) {
            parent.out().print(settings.describe());
            parent.out().println("configuration OK");
            return PulseCommand.OK;
        }
        parent.configureLogging(settings);
        Termination termination = Termination.install();
        EmbeddedKafka kafka = null;
        try {
            if (embeddedKafka) {
                kafka = EmbeddedKafka.create(Map.of());
                kafka.start();
                overrides.put(SidecarSettings.KAFKA_BOOTSTRAP_SERVERS, kafka.bootstrapServers());
                settings = ConfigLoader.load(config, parent.environment(), overrides);
                parent.out().println("embedded Kafka broker on " + kafka.bootstrapServers());
            }
            try (Sidecar sidecar = Sidecar.start(settings)) {
                parent.out()
                        .println("pulse " + sidecar.observer() + " running: udp "
                                + sidecar.engine().localAddress()
                                + (sidecar.apiAddress() == null ? "" : ", http " + sidecar.apiAddress()));
                parent.out().flush();
                termination.await();
                parent.out().println("pulse " + sidecar.observer() + " stopping");
            }
        } finally {
            if (kafka != null) {
                kafka.close();
            }
        }
        return PulseCommand.OK;
    }
}
