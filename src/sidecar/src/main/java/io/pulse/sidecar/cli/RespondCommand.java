package io.pulse.sidecar.cli;

import io.pulse.sidecar.config.SecuritySettings;
import io.pulse.transport.PulseEngine;
import java.net.InetSocketAddress;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code pulse respond}: answers pulses and relays PING_REQ, nothing else. */
@Command(
        name = "respond",
        mixinStandardHelpOptions = true,
        description = "Answers Pulse probes (and relays indirect probes for the peers that ask) until SIGTERM: "
                + "a lightweight target that watches nothing and needs no Kafka.")
final class RespondCommand implements Callable<Integer> {
    @CommandLine.ParentCommand
    PulseCommand parent;

    @Option(
            names = "--bind",
            paramLabel = "HOST:PORT",
            defaultValue = "0.0.0.0:7946",
            description = "UDP address to answer on (default: ${DEFAULT-VALUE}; port 0 lets the OS choose).")
    String bind;

    @CommandLine.Mixin
    AuthOptions auth;

    @Override
    public Integer call() {
        SecuritySettings security = auth.settings(parent.environment());
        InetSocketAddress address = Arguments.bindAddress("--bind", bind);
        security.requireKeysOrChoice(address, null);
        parent.configureLogging("text", "info");
        Termination termination = Termination.install();
        try (PulseEngine engine = security.applyTo(PulseEngine.builder())
                .bind(address)
                .probing(false)
                .start()) {
            parent.out()
                    .println("pulse responder on udp " + engine.localAddress() + " (incarnation " + engine.incarnation()
                            + ")");
            parent.out().flush();
            termination.await();
        }
        return PulseCommand.OK;
    }
}
