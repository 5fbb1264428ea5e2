package io.pulse.sidecar.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The CLI's usage, help and configuration errors, in this JVM (nothing here binds a socket). */
class PulseCommandTest {
    @TempDir
    Path dir;

    record Result(int code, String out, String err) {}

    static Result pulse(Map<String, String> env, String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = PulseCommand.execute(args, new PrintWriter(out, true), new PrintWriter(err, true), env);
        return new Result(code, out.toString(), err.toString());
    }

    static Result pulse(String... args) {
        return pulse(Map.of(), args);
    }

    @Test
    void everyCommandHasHelpAndExitsZero() {
        for (String command :
                new String[] {"run", "respond", "demo", "tail", "dashboard", "probe", "status", "members", "keys"}) {
            Result help = pulse(command, "--help");
            assertEquals(0, help.code(), command + ": " + help);
            assertTrue(help.out().startsWith("Usage: pulse " + command), help.out());
        }
        Result top = pulse("--help");
        assertEquals(0, top.code());
        assertTrue(top.out().contains("Exit codes: 0 success, 1 failure, 2 bad usage or configuration."), top.out());
    }

    @Test
    void runHelpListsEverySettingFromTheDeclaration() {
        String help = pulse("run", "--help").out();
        assertTrue(help.contains("Settings (file keys; PULSE_<KEY> and --set KEY=VALUE override them):"), help);
        assertTrue(
                help.contains("  detector.suspicion.timeout  (default: 1s)\n"
                        + "      How long a SUSPECT node has to answer before it is declared DEAD.\n"
                        + "      Environment: PULSE_DETECTOR_SUSPICION_TIMEOUT.\n"),
                help);
        for (String line : help.split("\n")) {
            assertTrue(line.length() <= 80, "not wrapped by picocli: " + line);
        }
    }

    @Test
    void versionIsThePomsWithTheBuildTime() throws IOException {
        java.util.regex.Matcher pom = java.util.regex.Pattern.compile(
                        "<artifactId>pulse-parent</artifactId>\\s*<version>([^<]+)</version>")
                .matcher(Files.readString(Path.of("pom.xml")));
        assertTrue(pom.find(), "the project's version in pom.xml");
        Result version = pulse("--version");
        assertEquals(0, version.code(), version.toString());
        assertTrue(
                version.out()
                        .matches("pulse " + java.util.regex.Pattern.quote(pom.group(1))
                                + " \\(built \\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\dZ\\)\n"),
                version.out());
    }

    @Test
    void badUsageExitsTwo() {
        Result none = pulse();
        assertEquals(2, none.code());
        assertTrue(none.err().startsWith("a command is required"), none.err());
        Result unknown = pulse("explode");
        assertEquals(2, unknown.code());
        assertTrue(unknown.err().startsWith("Unmatched argument at index 0: 'explode'"), unknown.err());
        Result option = pulse("run", "--no-such-option");
        assertEquals(2, option.code());
        assertTrue(option.err().startsWith("Unknown option: '--no-such-option'"), option.err());
        Result target = pulse("probe", "ftp://127.0.0.1:21");
        assertEquals(2, target.code());
        assertEquals(
                "pulse: TARGET: got \"ftp://127.0.0.1:21\": unknown scheme in ftp://127.0.0.1:21 (expected: "
                        + "host:port, udp://host:port, http(s)://host[:port]/path or tcp://host:port)\n"
                        + "Try 'pulse probe --help'.\n",
                target.err());
        Result count = pulse("probe", "--count", "0", "127.0.0.1:7946");
        assertEquals(2, count.code());
        assertTrue(count.err().startsWith("pulse: --count: got 0 (expected: 1..10000)"), count.err());
    }

    @Test
    void anInvalidConfigurationExitsTwoWithOneClearMessage() throws IOException {
        Path file = dir.resolve("pulse.yaml");
        Files.writeString(file, "detector:\n  suspicion.timeout: soon\n");
        Result result = pulse("run", "--config", file.toString());
        assertEquals(2, result.code());
        assertEquals(
                "pulse: invalid configuration: " + file + ": Invalid value soon for configuration "
                        + "detector.suspicion.timeout: expected a duration such as 500ms, 1s, 1.5s, 2m, 1h or PT0.5S\n",
                result.err());
        Result env = pulse(Map.of("PULSE_HTTP_BIND", "localhost"), "run", "--dry-run");
        assertEquals(2, env.code());
        assertEquals(
                "pulse: invalid configuration: environment PULSE_HTTP_BIND: Invalid value localhost for configuration "
                        + "http.bind: expected host:port (IPv6 in brackets)\n",
                env.err());
        Result set = pulse("run", "--set", "targets");
        assertEquals(2, set.code());
        assertEquals(
                "pulse: invalid configuration: flag --set: got \"targets\" (expected: key=value, e.g. "
                        + "node.bind=127.0.0.1:7946)\n",
                set.err());
        Result missing = pulse("run", "--config", dir.resolve("nope.yaml").toString());
        assertEquals(2, missing.code());
        assertEquals("pulse: invalid configuration: " + dir.resolve("nope.yaml") + ": no such file\n", missing.err());
    }

    @Test
    void aTokenOrKeysFileOthersMayReadStopsTheStartWithExitTwo() throws IOException {
        org.junit.jupiter.api.Assumptions.assumeTrue(
                io.pulse.testkit.SecretFiles.posix(dir), "no POSIX permissions on this file system");
        Path token = io.pulse.testkit.SecretFiles.permissions(
                Files.writeString(dir.resolve("api-token"), "s3cret\n"), "rw-r--r--");
        Result run = pulse(Map.of("PULSE_HTTP_TOKEN_FILE", token.toString()), "run");
        assertEquals(2, run.code(), run.toString());
        assertEquals(
                "pulse: invalid configuration: http.token.file " + token + ": its group or others may read or write it "
                        + "(rw-r--r--) (expected: only its owner, e.g. chmod 600 " + token + ")\n",
                run.err());
        Path keys = io.pulse.testkit.SecretFiles.permissions(
                Files.writeString(dir.resolve("keys"), pulse("keys", "generate").out()), "rw-rw----");
        Result dryRun = pulse("run", "--dry-run", "--set", "security.keys.file=" + keys);
        assertEquals(2, dryRun.code(), dryRun.toString());
        assertEquals(
                "pulse: invalid configuration: security.keys.file " + keys + ": its group or others may read or "
                        + "write it (rw-rw----) (expected: only its owner, e.g. chmod 600 " + keys + ")\n",
                dryRun.err());
    }

    @Test
    void statusOfASidecarThatIsNotRunningFailsWithTheReason() throws IOException {
        int port = io.pulse.embedded.BrokerFiles.freePort();
        Result result = pulse("status", "--api", "127.0.0.1:" + port);
        assertEquals(1, result.code());
        assertTrue(
                result.err()
                        .startsWith("pulse: cannot reach the sidecar's API at http://127.0.0.1:" + port + "/status: "),
                result.err());
    }

    @Test
    void statusSendsTheTokenOfItsTokenFile() throws IOException {
        Path token = dir.resolve("api-token");
        Files.writeString(token, "s3cret\n");
        try (io.pulse.transport.PulseEngine engine = io.pulse.transport.PulseEngine.builder()
                        .bind(new java.net.InetSocketAddress("127.0.0.1", 0))
                        .probing(false)
                        .start();
                io.pulse.sidecar.http.ApiServer api = io.pulse.sidecar.http.ApiServer.start(
                        new java.net.InetSocketAddress("127.0.0.1", 0),
                        engine,
                        () -> null,
                        io.pulse.sidecar.http.PulseMetrics.create(),
                        io.pulse.sidecar.http.ApiLimits.defaults().withToken("s3cret"))) {
            String address = "127.0.0.1:" + api.localAddress().getPort();
            Result without = pulse("status", "--api", address);
            assertEquals(1, without.code());
            assertTrue(without.err().contains("answered HTTP 401"), without.err());
            Result with = pulse("status", "--api", address, "--token-file", token.toString(), "--json");
            assertEquals(0, with.code(), with.toString());
            assertTrue(with.out().contains("\"node\""), with.out());
        }
    }

    @Test
    void statusSpeaksHttpsToAnApiWithTlsWhenGivenTheCertificateToTrust() throws IOException {
        io.pulse.testkit.SelfSignedPem pem = io.pulse.testkit.SelfSignedPem.create(dir, "api", "EC");
        Path token = io.pulse.testkit.SecretFiles.write(dir.resolve("api-token"), "s3cret\n");
        try (io.pulse.transport.PulseEngine engine = io.pulse.transport.PulseEngine.builder()
                        .bind(new java.net.InetSocketAddress("127.0.0.1", 0))
                        .probing(false)
                        .start();
                io.pulse.sidecar.http.ApiServer api = io.pulse.sidecar.http.ApiServer.start(
                        new java.net.InetSocketAddress("127.0.0.1", 0),
                        engine,
                        () -> null,
                        io.pulse.sidecar.http.PulseMetrics.create(),
                        io.pulse.sidecar.http.ApiLimits.defaults()
                                .withToken("s3cret")
                                .withTls(io.pulse.sidecar.http.ServerTls.fromPem(
                                        "cert", pem.certFile(), "key", pem.keyFile())))) {
            String address = "127.0.0.1:" + api.localAddress().getPort();
            Result plain = pulse("status", "--api", address, "--token-file", token.toString());
            assertEquals(1, plain.code(), plain.toString());
            assertTrue(
                    plain.err().startsWith("pulse: cannot reach the sidecar's API at http://" + address), plain.err());
            Result tls = pulse(
                    "status",
                    "--api",
                    address,
                    "--token-file",
                    token.toString(),
                    "--ca-file",
                    pem.certFile().toString(),
                    "--json");
            assertEquals(0, tls.code(), tls.toString());
            assertTrue(tls.out().contains("\"node\""), tls.out());
            Result notPem = pulse("status", "--api", address, "--ca-file", token.toString());
            assertEquals(2, notPem.code(), notPem.toString());
            assertTrue(notPem.err().startsWith("pulse: --ca-file: no certificate in " + token), notPem.err());
        }
    }

    @Test
    void probeSignsWithItsKeysFileAndIsIgnoredWithoutIt() throws IOException {
        Path keys = dir.resolve("keys");
        io.pulse.testkit.SecretFiles.write(keys, pulse("keys", "generate").out());
        try (io.pulse.transport.PulseEngine responder = io.pulse.transport.PulseEngine.builder()
                .bind(new java.net.InetSocketAddress("127.0.0.1", 0))
                .probing(false)
                .keyring(
                        io.pulse.protocol.Keyring.parse(Files.readString(keys), "lab"),
                        io.pulse.protocol.DatagramAuth.Mode.REQUIRED)
                .start()) {
            String target = "udp://" + responder.localId();
            Result signed = pulse(
                    "probe",
                    target,
                    "--count",
                    "2",
                    "--interval",
                    "100ms",
                    "--bind",
                    "127.0.0.1:0",
                    "--keys-file",
                    keys.toString(),
                    "--label",
                    "lab");
            assertEquals(0, signed.code(), signed.toString());
            assertTrue(signed.out().contains("2 probes, 2 answered, 0.0% loss"), signed.out());
            Result unsigned = pulse(
                    "probe",
                    target,
                    "--count",
                    "2",
                    "--interval",
                    "100ms",
                    "--timeout",
                    "200ms",
                    "--bind",
                    "127.0.0.1:0");
            assertEquals(1, unsigned.code(), unsigned.toString());
            assertTrue(responder.rejects().count(io.pulse.protocol.RejectReason.UNAUTHENTICATED) >= 2);
        }
    }

    @Test
    void keysGenerateMakesALineOfAKeysFile() {
        Result result = pulse("keys", "generate", "--id", "7", "--primary");
        assertEquals(0, result.code(), result.toString());
        io.pulse.protocol.Keyring ring = io.pulse.protocol.Keyring.parse(result.out(), "");
        assertEquals(7, ring.primary());
        assertEquals(2, pulse("keys", "generate", "--id", "256").code());
    }

    @Test
    void dryRunPrintsEverySettingWithItsSource() throws IOException {
        Path file = dir.resolve("pulse.yaml");
        Files.writeString(file, "targets: [127.0.0.1:7002]\nkafka:\n  properties:\n    client.rack: r1\n");
        Result result = pulse(
                Map.of("PULSE_NODE_BIND", "127.0.0.1:7001"),
                "run",
                "--config",
                file.toString(),
                "--set",
                "http.enabled=false",
                "--dry-run");
        assertEquals(0, result.code(), result.toString());
        assertTrue(result.out().contains("node.bind = 127.0.0.1:7001   (environment PULSE_NODE_BIND)\n"), result.out());
        assertTrue(result.out().contains("targets = 127.0.0.1:7002   (" + file + ")\n"), result.out());
        assertTrue(result.out().contains("http.enabled = false   (flag --set http.enabled)\n"), result.out());
        assertTrue(result.out().contains("detector.probe.interval = 1s   (default)\n"), result.out());
        assertTrue(result.out().contains("kafka.properties.client.rack = r1   (" + file + ")\n"), result.out());
        assertTrue(result.out().endsWith("configuration OK\n"), result.out());
    }
}
