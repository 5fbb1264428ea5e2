package io.pulse.sidecar;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * {@code java -jar target/pulse.jar ...} as a user runs it, in its own process: its standard
 * output kept line by line, its standard error in a log file shown when an assertion fails.
 */
final class PulseProcess implements AutoCloseable {
    static final Path JAR = Path.of("target", "pulse.jar");

    private final Process process;
    private final Path errLog;
    private final List<String> lines = new ArrayList<>();
    private final Thread reader;

    private PulseProcess(Process process, Path errLog) {
        this.process = process;
        this.errLog = errLog;
        this.reader = new Thread(this::readOutput, "pulse-process-stdout");
        reader.setDaemon(true);
        reader.start();
    }

    static PulseProcess start(Path dir, Map<String, String> env, String... args) throws IOException {
        List<String> command = new ArrayList<>(
                List.of(java(), "-Xmx384m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1", "-jar", jar()));
        command.addAll(List.of(args));
        return command(dir, env, command);
    }

    /** {@code java} of this JVM. */
    static String java() {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }

    /** target/pulse.jar, which the integration tests run after {@code mvn package} built it. */
    static String jar() {
        if (!Files.exists(JAR)) {
            throw new IllegalStateException(JAR + " is missing: integration tests run after `mvn package`");
        }
        return JAR.toString();
    }

    /** An exact command line (e.g. a Dockerfile's ENTRYPOINT and a compose service's command). */
    static PulseProcess command(Path dir, Map<String, String> env, List<String> command) throws IOException {
        Path errLog = Files.createTempFile(dir, "pulse-", ".err");
        ProcessBuilder builder = new ProcessBuilder(command).redirectError(errLog.toFile());
        builder.environment().keySet().removeIf(name -> name.startsWith("PULSE_"));
        builder.environment().putAll(env);
        return new PulseProcess(builder.start(), errLog);
    }

    static PulseProcess start(Path dir, String... args) throws IOException {
        return start(dir, Map.of(), args);
    }

    private void readOutput() {
        try (BufferedReader in =
                new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
            String line;
            while ((line = in.readLine()) != null) {
                synchronized (lines) {
                    lines.add(line);
                    lines.notifyAll();
                }
            }
        } catch (IOException e) {
            // the process ended
        }
    }

    /** Waits for a line of standard output that matches {@code regex}; returns its match. */
    Matcher awaitLine(String regex, Duration limit) throws InterruptedException {
        Pattern pattern = Pattern.compile(regex);
        long deadline = System.nanoTime() + limit.toNanos();
        int checked = 0;
        synchronized (lines) {
            while (true) {
                for (; checked < lines.size(); checked++) {
                    Matcher m = pattern.matcher(lines.get(checked));
                    if (m.find()) {
                        return m;
                    }
                }
                long left = deadline - System.nanoTime();
                if (left <= 0 || (!process.isAlive() && !reader.isAlive())) {
                    throw new AssertionError("no line matching " + regex + " within " + limit + "\n" + transcript());
                }
                lines.wait(Math.max(1, Math.min(left / 1_000_000, 100)));
            }
        }
    }

    /** Waits for the process to end by itself; returns its exit code. */
    int awaitExit(Duration limit) throws InterruptedException {
        if (!process.waitFor(limit.toMillis(), TimeUnit.MILLISECONDS)) {
            process.destroyForcibly().waitFor();
            throw new AssertionError("still running after " + limit + "\n" + transcript());
        }
        reader.join(5_000);
        return process.exitValue();
    }

    /** SIGTERM, then the exit code. Through the handle: {@link Process#destroy()} also closes the output we read. */
    int terminate(Duration limit) throws InterruptedException {
        process.toHandle().destroy();
        return awaitExit(limit);
    }

    /** SIGKILL. */
    void kill() throws InterruptedException {
        process.destroyForcibly().waitFor();
    }

    String output() {
        synchronized (lines) {
            return String.join("\n", lines) + (lines.isEmpty() ? "" : "\n");
        }
    }

    String errors() {
        try {
            return Files.readString(errLog);
        } catch (IOException e) {
            return "(" + errLog + ": " + e + ")";
        }
    }

    String transcript() {
        return "--- stdout ---\n" + output() + "--- stderr ---\n" + errors();
    }

    @Override
    public void close() throws InterruptedException {
        if (process.isAlive()) {
            kill();
        }
    }
}
