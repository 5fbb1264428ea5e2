package io.pulse.testkit;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

/**
 * A self-signed certificate (for 127.0.0.1 and localhost, unless told) and its key, as PEM files, made for a test:
 * the JDK's own {@code keytool} makes the pair (Java has no public API to sign a certificate, and
 * Netty's {@code SelfSignedCertificate} needs BouncyCastle or JDK internals), then the key is written
 * as PKCS#8 ({@code BEGIN PRIVATE KEY}, owner-only) and the certificate as {@code BEGIN CERTIFICATE},
 * what an operator's files look like.
 *
 * <pre>{@code
 * SelfSignedPem pem = SelfSignedPem.create(dir, "EC");
 * HttpClient client = HttpClient.newBuilder().sslContext(pem.trusting()).build();
 * }</pre>
 *
 * @param certFile    the certificate, PEM
 * @param keyFile     its private key, PKCS#8 PEM, {@code rw-------}
 * @param certificate the certificate
 */
public record SelfSignedPem(Path certFile, Path keyFile, X509Certificate certificate) {
    private static final String PASSWORD = "test-only";

    /**
     * Makes a pair for 127.0.0.1 and localhost in {@code dir} (files {@code <name>.crt}, {@code <name>.key},
     * and {@code <name>.p12} on the way), its subject {@code CN=<name>}.
     *
     * @param algorithm {@code EC} (P-256, fast) or {@code RSA} (2048 bits)
     */
    public static SelfSignedPem create(Path dir, String name, String algorithm) {
        return create(dir, name, algorithm, "ip:127.0.0.1,dns:localhost");
    }

    /** @param subjectAltNames keytool's {@code san=} value, e.g. {@code dns:pulse.invalid} for a certificate of another host */
    public static SelfSignedPem create(Path dir, String name, String algorithm, String subjectAltNames) {
        Path store = dir.resolve(name + ".p12");
        List<String> command = new java.util.ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "keytool").toString(),
                "-genkeypair",
                "-alias",
                name,
                "-keyalg",
                algorithm,
                "-dname",
                "CN=" + name,
                "-ext",
                "san=" + subjectAltNames,
                "-validity",
                "2",
                "-storetype",
                "PKCS12",
                "-keystore",
                store.toString(),
                "-storepass",
                PASSWORD,
                "-keypass",
                PASSWORD));
        command.addAll(algorithm.equals("EC") ? List.of("-groupname", "secp256r1") : List.of("-keysize", "2048"));
        try {
            Process keytool =
                    new ProcessBuilder(command).redirectErrorStream(true).start();
            String output = new String(keytool.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!keytool.waitFor(60, TimeUnit.SECONDS) || keytool.exitValue() != 0) {
                throw new IllegalStateException("keytool failed: " + output);
            }
            KeyStore keys = KeyStore.getInstance("PKCS12");
            try (InputStream in = Files.newInputStream(store)) {
                keys.load(in, PASSWORD.toCharArray());
            }
            PrivateKey key = (PrivateKey) keys.getKey(name, PASSWORD.toCharArray());
            X509Certificate certificate = (X509Certificate) keys.getCertificate(name);
            Path certFile = Files.writeString(
                    dir.resolve(name + ".crt"),
                    pem("CERTIFICATE", certificate.getEncoded()),
                    StandardCharsets.US_ASCII);
            Path keyFile = SecretFiles.write(dir.resolve(name + ".key"), pem("PRIVATE KEY", key.getEncoded()));
            return new SelfSignedPem(certFile, keyFile, certificate);
        } catch (IOException | GeneralSecurityException e) {
            throw new IllegalStateException("cannot make a self-signed certificate in " + dir, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while keytool ran", e);
        }
    }

    /** {@code der} as PEM: base64 in lines of 64 between the {@code type}'s BEGIN and END lines. */
    public static String pem(String type, byte[] der) {
        return "-----BEGIN " + type + "-----\n"
                + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII))
                        .encodeToString(der)
                + "\n-----END " + type + "-----\n";
    }

    /** A client's TLS context that trusts this certificate alone. */
    public SSLContext trusting() {
        try {
            KeyStore trust = KeyStore.getInstance(KeyStore.getDefaultType());
            trust.load(null, null);
            trust.setCertificateEntry("pulse", certificate);
            TrustManagerFactory factory = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            factory.init(trust);
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(null, factory.getTrustManagers(), null);
            return context;
        } catch (GeneralSecurityException | IOException e) {
            throw new IllegalStateException("cannot trust " + certificate.getSubjectX500Principal(), e);
        }
    }
}
