package io.pulse.sidecar.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.pulse.testkit.SecretFiles;
import io.pulse.testkit.SelfSignedPem;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Reading the HTTP servers' certificate and key from PEM files, and the errors of files that will not do. */
class ServerTlsTest {
    @TempDir
    Path dir;

    private String failure(Path cert, Path key) {
        return assertThrows(
                        IllegalArgumentException.class,
                        () -> ServerTls.fromPem("cert " + cert, cert, "key " + key, key))
                .getMessage();
    }

    @Test
    void readsAnEcOrRsaPairOfPemFiles() {
        for (String algorithm : new String[] {"EC", "RSA"}) {
            SelfSignedPem pem = SelfSignedPem.create(dir, "pulse-" + algorithm, algorithm);
            ServerTls tls = ServerTls.fromPem("cert", pem.certFile(), "key", pem.keyFile());
            assertEquals("ServerTls[cert=" + pem.certFile() + ", key=" + pem.keyFile() + "]", tls.toString());
        }
    }

    @Test
    void aFileThatWillNotDoIsNamedWithWhatIsWrong() throws Exception {
        SelfSignedPem pem = SelfSignedPem.create(dir, "pulse", "EC");
        SelfSignedPem other = SelfSignedPem.create(dir, "other", "EC");
        Path missing = dir.resolve("missing.pem");
        assertEquals("cert " + missing + ": no such file", failure(missing, pem.keyFile()));
        assertEquals(
                "cert " + pem.keyFile() + ": no certificate in it (expected: PEM, -----BEGIN CERTIFICATE-----, leaf "
                        + "first)",
                failure(pem.keyFile(), pem.keyFile()));
        assertEquals(
                "key " + pem.certFile() + ": no private key in it (expected: an unencrypted PKCS#8 PEM key, -----BEGIN "
                        + "PRIVATE KEY-----; openssl pkcs8 -topk8 -nocrypt -in key.pem -out key.pkcs8.pem converts one)",
                failure(pem.certFile(), pem.certFile()));
        Path pkcs1 = SecretFiles.write(
                dir.resolve("rsa.key"), "-----BEGIN RSA PRIVATE KEY-----\nMIIB\n-----END RSA PRIVATE KEY-----\n");
        assertEquals(
                "key " + pkcs1 + ": got -----BEGIN RSA PRIVATE KEY----- (expected: an unencrypted PKCS#8 PEM key, "
                        + "-----BEGIN PRIVATE KEY-----; openssl pkcs8 -topk8 -nocrypt -in key.pem -out key.pkcs8.pem "
                        + "converts one)",
                failure(pem.certFile(), pkcs1));
        Path garbled = SecretFiles.write(
                dir.resolve("garbled.key"), "-----BEGIN PRIVATE KEY-----\nAAAA\n-----END PRIVATE KEY-----\n");
        assertEquals(
                "key " + garbled + ": not a PKCS#8 key of RSA, EC, Ed25519, Ed448 that this Java can read",
                failure(pem.certFile(), garbled));
        assertEquals(
                "key " + other.keyFile() + " is not the key of the first certificate of cert " + pem.certFile()
                        + " (CN=pulse)",
                failure(pem.certFile(), other.keyFile()));
        Files.writeString(missing, "-----BEGIN CERTIFICATE-----\nnot base64!\n-----END CERTIFICATE-----\n");
        org.junit.jupiter.api.Assertions.assertTrue(
                failure(missing, pem.keyFile()).startsWith("cert " + missing + ": not a PEM certificate: "));
    }
}
