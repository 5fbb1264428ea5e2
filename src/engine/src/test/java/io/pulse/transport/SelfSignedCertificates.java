package io.pulse.transport;

import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.SslProvider;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.util.List;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.KeyManagerFactory;

/**
 * A self-signed server certificate made at test time with the JDK's {@code keytool} (no extra
 * dependency; Netty's {@code SelfSignedCertificate} needs BouncyCastle or JDK internals that Java 17
 * encapsulates, and names no IP address).
 *
 * <pre>{@code
 * SelfSignedCertificates cert = SelfSignedCertificates.create(tempDir, "ip:127.0.0.1,dns:localhost");
 * TestServer server = TestServer.health(cert.serverContext());
 * HttpProbeSpec.builder().endpoint(url).trustedCertificates(cert.pem()).build();
 * }</pre>
 */
record SelfSignedCertificates(Path keyStore, Path pem) {
    private static final String PASSWORD = "changeit";

    /** @param subjectAltNames keytool's {@code san=} value, e.g. {@code ip:127.0.0.1,dns:localhost} */
    static SelfSignedCertificates create(Path dir, String subjectAltNames) throws IOException, InterruptedException {
        Path keyStore = Files.createTempFile(dir, "server", ".p12");
        Files.delete(keyStore);
        Path pem = Files.createTempFile(dir, "server", ".pem");
        keytool(
                "-genkeypair",
                "-alias",
                "pulse",
                "-keyalg",
                "EC",
                "-groupname",
                "secp256r1",
                "-validity",
                "2",
                "-dname",
                "CN=pulse-test",
                "-ext",
                "san=" + subjectAltNames,
                "-keystore",
                keyStore.toString(),
                "-storetype",
                "PKCS12",
                "-storepass",
                PASSWORD,
                "-keypass",
                PASSWORD);
        SelfSignedCertificates made = new SelfSignedCertificates(keyStore, pem);
        java.security.cert.Certificate certificate;
        try {
            certificate = made.load().getCertificate("pulse");
            Files.writeString(
                    pem,
                    "-----BEGIN CERTIFICATE-----\n"
                            + java.util.Base64.getMimeEncoder(64, new byte[] {'\n'})
                                    .encodeToString(certificate.getEncoded())
                            + "\n-----END CERTIFICATE-----\n",
                    StandardCharsets.US_ASCII);
        } catch (java.security.GeneralSecurityException e) {
            throw new IOException("cannot read back " + keyStore, e);
        }
        return made;
    }

    SslContext serverContext() throws Exception {
        KeyStore store = load();
        KeyManagerFactory keys = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        keys.init(store, PASSWORD.toCharArray());
        return SslContextBuilder.forServer(keys).sslProvider(SslProvider.JDK).build();
    }

    private KeyStore load() throws IOException, java.security.GeneralSecurityException {
        KeyStore store = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(keyStore)) {
            store.load(in, PASSWORD.toCharArray());
        }
        return store;
    }

    private static void keytool(String... args) throws IOException, InterruptedException {
        Path keytool = Path.of(System.getProperty("java.home"), "bin", "keytool");
        List<String> command = new java.util.ArrayList<>(List.of(keytool.toString()));
        command.addAll(List.of(args));
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!process.waitFor(30, TimeUnit.SECONDS) || process.exitValue() != 0) {
            throw new IOException("keytool " + String.join(" ", args) + " failed: " + output);
        }
    }
}
