package io.pulse.sidecar.cli;

import picocli.CommandLine.Option;

/** The options of the commands that ask a running sidecar's HTTP API ({@code status}, {@code members}). */
final class ApiOptions {
    @Option(
            names = "--api",
            paramLabel = "HOST:PORT",
            defaultValue = "${env:PULSE_HTTP_BIND:-127.0.0.1:8946}",
            description = "The sidecar's HTTP API (default: $PULSE_HTTP_BIND or 127.0.0.1:8946).")
    String api;

    @Option(names = "--json", description = "Print the API's JSON as it is.")
    boolean json;

    @Option(
            names = "--token-file",
            paramLabel = "PATH",
            defaultValue = "${env:PULSE_HTTP_TOKEN_FILE}",
            description =
                    "File with the API's bearer token, when the sidecar requires one (default: $PULSE_HTTP_TOKEN_FILE).")
    java.nio.file.Path tokenFile;

    @Option(
            names = "--ca-file",
            paramLabel = "PATH",
            defaultValue = "${env:PULSE_HTTP_TLS_CERT_FILE}",
            description = "PEM certificates to trust for an API that speaks HTTPS (its CA, or its own certificate); "
                    + "given, the request is https (default: $PULSE_HTTP_TLS_CERT_FILE, the sidecar's own).")
    java.nio.file.Path caFile;
}
