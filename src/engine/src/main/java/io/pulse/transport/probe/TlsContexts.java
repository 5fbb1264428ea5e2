package io.pulse.transport.probe;

import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.SslProvider;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import javax.net.ssl.SSLException;

/**
 * Client TLS contexts, one per trust source (a PEM file, or the JVM's default trust store),
 * built once and shared by every endpoint that trusts the same. The JDK provider, and the peer's
 * certificate checked against the URL's host (endpoint identification "HTTPS"). Thread-safe:
 * targets are added from any thread.
 */
final class TlsContexts {
    private final Map<Optional<Path>, SslContext> contexts = new ConcurrentHashMap<>();

    /** @param pemFile trusted certificates, or {@code null} for the JVM's default trust store */
    SslContext forTrust(Path pemFile) {
        Optional<Path> key =
                Optional.ofNullable(pemFile).map(p -> p.toAbsolutePath().normalize());
        return contexts.computeIfAbsent(key, TlsContexts::build);
    }

    private static SslContext build(Optional<Path> pemFile) {
        SslContextBuilder builder =
                SslContextBuilder.forClient().sslProvider(SslProvider.JDK).endpointIdentificationAlgorithm("HTTPS");
        pemFile.ifPresent(path -> builder.trustManager(path.toFile()));
        try {
            return builder.build();
        } catch (SSLException | IllegalArgumentException e) {
            throw new IllegalArgumentException(
                    "trustedCertificates must be a PEM file of X.509 certificates, got "
                            + pemFile.map(Path::toString).orElse("the JVM default") + ": " + e.getMessage(),
                    e);
        }
    }
}
