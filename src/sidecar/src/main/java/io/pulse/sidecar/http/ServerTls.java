package io.pulse.sidecar.http;

import io.netty.buffer.ByteBufAllocator;
import io.netty.channel.ChannelHandler;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.security.Signature;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.Base64;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.net.ssl.SSLException;

/**
 * The certificate and key Pulse's HTTP servers speak TLS with, read from PEM files: the
 * certificate chain (leaf first) and an unencrypted PKCS#8 private key ({@code -----BEGIN PRIVATE
 * KEY-----}, RSA, EC or Ed25519), checked to belong together. Read once, at start.
 *
 * <pre>{@code
 * ServerTls tls = ServerTls.fromPem("http.tls.cert.file " + cert, cert, "http.tls.key.file " + key, key);
 * ApiServer.start(bind, engine, stats, metrics, ApiLimits.defaults().withTls(tls));
 * }</pre>
 *
 * The JDK's TLS (1.2 and 1.3, its default cipher suites); no client certificate is asked for.
 */
public final class ServerTls {
    private static final Pattern PRIVATE_KEY =
            Pattern.compile("-----BEGIN PRIVATE KEY-----([A-Za-z0-9+/=\\s]+)-----END PRIVATE KEY-----");
    private static final Pattern ANY_KEY = Pattern.compile("-----BEGIN ([A-Z0-9 ]*PRIVATE KEY)-----");
    private static final List<String> KEY_ALGORITHMS = List.of("RSA", "EC", "Ed25519", "Ed448");

    private final Path certFile;
    private final Path keyFile;
    private final SslContext context;

    private ServerTls(Path certFile, Path keyFile, SslContext context) {
        this.certFile = certFile;
        this.keyFile = keyFile;
        this.context = context;
    }

    /**
     * Reads and checks both files.
     *
     * @param certWhere names the certificate file in errors ({@code "http.tls.cert.file /etc/pulse/tls.crt"})
     * @param keyWhere  names the key file in errors
     * @throws IllegalArgumentException naming the file and what is wrong with it: missing, unreadable, no
     *                                  certificate, a key that is not PKCS#8 PEM, or a key of another certificate
     */
    public static ServerTls fromPem(String certWhere, Path certFile, String keyWhere, Path keyFile) {
        List<X509Certificate> chain = certificates(certWhere, read(certWhere, certFile));
        PrivateKey key = privateKey(keyWhere, read(keyWhere, keyFile));
        requireMatch(certWhere, chain.get(0), keyWhere, key);
        try {
            SslContext context = SslContextBuilder.forServer(key, chain.toArray(new X509Certificate[0]))
                    .build();
            return new ServerTls(certFile, keyFile, context);
        } catch (SSLException | IllegalArgumentException e) {
            throw new IllegalArgumentException(
                    certWhere + " and " + keyWhere + ": cannot make a TLS server of them: " + e.getMessage(), e);
        }
    }

    /** A TLS handler for one new connection, the server's side. */
    public ChannelHandler newHandler(ByteBufAllocator allocator) {
        return context.newHandler(allocator);
    }

    private static String read(String where, Path file) {
        try {
            return Files.readString(file, StandardCharsets.US_ASCII);
        } catch (NoSuchFileException e) {
            throw new IllegalArgumentException(where + ": no such file");
        } catch (AccessDeniedException e) {
            throw new IllegalArgumentException(where + ": permission denied");
        } catch (IOException e) {
            throw new IllegalArgumentException(where + ": cannot read it: " + e.getMessage(), e);
        }
    }

    private static List<X509Certificate> certificates(String where, String pem) {
        if (!pem.contains("-----BEGIN CERTIFICATE-----")) {
            throw new IllegalArgumentException(
                    where + ": no certificate in it (expected: PEM, -----BEGIN CERTIFICATE-----, leaf first)");
        }
        try {
            List<X509Certificate> chain = CertificateFactory.getInstance("X.509")
                    .generateCertificates(new ByteArrayInputStream(pem.getBytes(StandardCharsets.US_ASCII)))
                    .stream()
                    .map(X509Certificate.class::cast)
                    .toList();
            if (chain.isEmpty()) {
                throw new CertificateException("no certificate");
            }
            return chain;
        } catch (CertificateException e) {
            throw new IllegalArgumentException(where + ": not a PEM certificate: " + e.getMessage(), e);
        }
    }

    private static PrivateKey privateKey(String where, String pem) {
        Matcher pkcs8 = PRIVATE_KEY.matcher(pem);
        if (!pkcs8.find()) {
            Matcher other = ANY_KEY.matcher(pem);
            String found = other.find() ? "got -----BEGIN " + other.group(1) + "-----" : "no private key in it";
            throw new IllegalArgumentException(where + ": " + found + " (expected: an unencrypted PKCS#8 PEM key, "
                    + "-----BEGIN PRIVATE KEY-----; openssl pkcs8 -topk8 -nocrypt -in key.pem -out key.pkcs8.pem "
                    + "converts one)");
        }
        byte[] der;
        try {
            der = Base64.getMimeDecoder().decode(pkcs8.group(1));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(where + ": the key is not valid base64: " + e.getMessage(), e);
        }
        for (String algorithm : KEY_ALGORITHMS) {
            try {
                return KeyFactory.getInstance(algorithm).generatePrivate(new PKCS8EncodedKeySpec(der));
            } catch (GeneralSecurityException notThisOne) {
                // the next algorithm
            }
        }
        throw new IllegalArgumentException(
                where + ": not a PKCS#8 key of " + String.join(", ", KEY_ALGORITHMS) + " that this Java can read");
    }

    /** Signs with the key and checks with the certificate: a key of another certificate fails here, not at the first handshake. */
    private static void requireMatch(String certWhere, X509Certificate leaf, String keyWhere, PrivateKey key) {
        String algorithm = switch (key.getAlgorithm()) {
            case "RSA" -> "SHA256withRSA";
            case "EC" -> "SHA256withECDSA";
            default -> key.getAlgorithm(); // Ed25519, Ed448
        };
        byte[] probe = new byte[32];
        new SecureRandom().nextBytes(probe);
        boolean match;
        try {
            Signature signer = Signature.getInstance(algorithm);
            signer.initSign(key);
            signer.update(probe);
            byte[] signature = signer.sign();
            Signature verifier = Signature.getInstance(algorithm);
            verifier.initVerify(leaf.getPublicKey());
            verifier.update(probe);
            match = verifier.verify(signature);
        } catch (GeneralSecurityException e) {
            match = false;
        }
        if (!match) {
            throw new IllegalArgumentException(keyWhere + " is not the key of the first certificate of " + certWhere
                    + " (" + leaf.getSubjectX500Principal().getName() + ")");
        }
    }

    @Override
    public String toString() {
        return "ServerTls[cert=" + certFile + ", key=" + keyFile + "]";
    }
}
