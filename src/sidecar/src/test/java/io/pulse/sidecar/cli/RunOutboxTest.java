package io.pulse.sidecar.cli;

import static io.pulse.sidecar.cli.PulseCommandTest.pulse;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** {@code pulse run} with an outbox directory it cannot write: a configuration error, exit 2, no stack trace. */
@Timeout(60)
class RunOutboxTest {
    @TempDir
    Path dir;

    @Test
    void anOutboxDirectoryThatCannotBeWrittenExitsTwoNamingIt() throws IOException {
        Path file = Files.writeString(dir.resolve("file"), "in the way");
        Path outbox = file.resolve("outbox");
        PulseCommandTest.Result result = pulse(
                "run",
                "--set",
                "node.bind=127.0.0.1:0",
                "--set",
                "http.enabled=false",
                "--set",
                "kafka.bootstrap.servers=127.0.0.1:9",
                "--set",
                "outbox.dir=" + outbox);
        assertEquals(2, result.code(), result.toString());
        assertEquals(
                "pulse: invalid configuration: outbox.dir: cannot write to outbox directory " + outbox
                        + ": not a directory (creating " + outbox + ")\n",
                result.err());
    }
}
