package io.pulse.bench;

import io.pulse.protocol.Keyring;
import io.pulse.sidecar.config.SecuritySettings;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * An {@link E2eNodesMain} JVM as the harness talks to it: a command line in, one answer line out.
 * Its standard error goes to a log file. Every child started is killed by a shutdown hook if it is
 * still alive when the harness ends, however it ends.
 *
 * <pre>{@code
 * E2eChild victim = E2eChild.start("victim", command, log);
 * long silentAt = Long.parseLong(victim.ask("silent 7001", "SILENT ", Duration.ofSeconds(5)));
 * }</pre>
 */
final class E2eChild implements AutoCloseable {
    static final Duration START_LIMIT = Duration.ofSeconds(180);
    static final Duration ANSWER_LIMIT = Duration.ofSeconds(30);
    private static final Set<Process> LIVE = ConcurrentHashMap.newKeySet();

    static {
        Runtime.getRuntime()
                .addShutdownHook(new Thread(() -> LIVE.forEach(Process::destroyForcibly), "kill-e2e-children"));
    }

    final String name;
    private final Process process;
    private final PrintStream in;
    private final BlockingQueue<String> lines = new LinkedBlockingQueue<>();

    private E2eChild(String name, Process process) {
        this.name = name;
        this.process = process;
        this.in = new PrintStream(process.getOutputStream(), true, StandardCharsets.US_ASCII);
        Thread reader = new Thread(
                () -> {
                    try (BufferedReader out = new BufferedReader(
                            new InputStreamReader(process.getInputStream(), StandardCharsets.US_ASCII))) {
                        for (String line; (line = out.readLine()) != null; ) {
                            lines.add(line);
                        }
                    } catch (IOException e) {
                        // the child is gone; ask() reports it
                    }
                },
                "e2e-child-" + name);
        reader.setDaemon(true);
        reader.start();
    }

    /** The keys of every node of one harness run: they sign their datagrams, as deployed nodes do. */
    static final String KEYS = "1 " + Keyring.generateKey() + " primary";

    /** Starts {@code java jvmOptions E2eNodesMain args} and waits for its READY line. */
    static E2eChild start(String name, List<String> jvmOptions, List<String> args, Path log) throws Exception {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(jvmOptions);
        command.addAll(List.of(
                "-Dlog4j2.configurationFile=pulse-log4j2.xml",
                "-Dpulse.log.level=warn",
                "-cp",
                System.getProperty("java.class.path"),
                E2eNodesMain.class.getName()));
        command.addAll(args);
        ProcessBuilder builder =
                new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.appendTo(log.toFile()));
        builder.environment().put(SecuritySettings.ENV_KEYS, KEYS);
        Process process = builder.start();
        LIVE.add(process);
        E2eChild child = new E2eChild(name, process);
        try {
            child.await("READY", START_LIMIT);
        } catch (IllegalStateException | InterruptedException e) {
            child.kill();
            throw e;
        }
        return child;
    }

    long pid() {
        return process.pid();
    }

    /** Sends {@code command} and returns the rest of the first line that starts with {@code prefix}. */
    String ask(String command, String prefix, Duration limit) throws InterruptedException {
        in.println(command);
        return await(prefix, limit);
    }

    String await(String prefix, Duration limit) throws InterruptedException {
        long deadline = System.nanoTime() + limit.toNanos();
        while (true) {
            long left = deadline - System.nanoTime();
            String line = lines.poll(Math.max(0, left), TimeUnit.NANOSECONDS);
            if (line == null) {
                throw new IllegalStateException(name + " gave no " + prefix.trim() + " line within " + limit.toSeconds()
                        + " s" + (process.isAlive() ? "" : " (exited with " + process.exitValue() + ")"));
            }
            if (line.startsWith("ERROR")) {
                throw new IllegalStateException(name + " answered " + line);
            }
            if (line.startsWith(prefix)) {
                return line.substring(prefix.length());
            }
        }
    }

    /** SIGKILL, on Linux; returns once the process is gone. */
    void kill() throws InterruptedException {
        process.destroyForcibly();
        process.waitFor(10, TimeUnit.SECONDS);
        LIVE.remove(process);
    }

    /** Asks the child to close its nodes (each flushes its outbox) and exit; kills it if it does not. */
    @Override
    public void close() throws InterruptedException {
        if (process.isAlive()) {
            try {
                ask("quit", "BYE", Duration.ofSeconds(45));
            } catch (IllegalStateException e) {
                // it does not answer: killed below
            }
            if (!process.waitFor(10, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
        }
        LIVE.remove(process);
    }
}
