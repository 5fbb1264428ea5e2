package io.pulse.testkit;

import io.pulse.embedded.BrokerFiles;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * A broker in a child JVM ({@code kafka.Kafka server.properties}) on the test class path, for
 * tests that stop it for a while or kill it with SIGKILL. Its output goes to
 * {@code broker.log} in its directory.
 */
final class ChildJvmBroker implements TestBroker {
    private final BrokerFiles files;
    private Process process;

    ChildJvmBroker(Map<String, String> overrides) throws IOException {
        this.files = new BrokerFiles(overrides);
    }

    @Override
    public String bootstrapServers() {
        return files.bootstrapServers();
    }

    @Override
    public synchronized void start() throws Exception {
        if (process != null && process.isAlive()) {
            return;
        }
        files.formatIfNeeded();
        List<String> command = new ArrayList<>(javaCommand("-Xmx512m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1"));
        command.add("kafka.Kafka");
        command.add(files.propertiesFile().toString());
        Path log = files.dir().resolve("broker.log");
        process = new ProcessBuilder(command)
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()))
                .start();
        try {
            files.awaitServing();
        } catch (RuntimeException | InterruptedException e) {
            process.destroyForcibly();
            throw e;
        }
    }

    /** {@code java} of this JVM with this JVM's class path, {@code jvmOptions} first. */
    static List<String> javaCommand(String... jvmOptions) {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(List.of(jvmOptions));
        command.add("-Dlog4j2.configurationFile=log4j2-test.xml");
        command.add("-cp");
        command.add(System.getProperty("java.class.path"));
        return command;
    }

    @Override
    public synchronized void stop() throws InterruptedException {
        if (process != null) {
            process.destroy();
            if (!process.waitFor(30, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor();
            }
            process = null;
        }
    }

    @Override
    public synchronized void kill() throws InterruptedException {
        if (process != null) {
            process.destroyForcibly().waitFor();
            process = null;
        }
    }

    @Override
    public synchronized boolean isRunning() {
        return process != null && process.isAlive();
    }

    @Override
    public void destroy() throws InterruptedException {
        try {
            kill();
        } finally {
            files.delete();
        }
    }
}
