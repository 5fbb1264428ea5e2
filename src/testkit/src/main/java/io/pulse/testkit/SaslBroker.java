package io.pulse.testkit;

import io.pulse.embedded.BrokerFiles;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ScramCredentialInfo;
import org.apache.kafka.clients.admin.ScramMechanism;
import org.apache.kafka.clients.admin.UserScramCredentialUpsertion;
import org.apache.kafka.common.acl.AccessControlEntry;
import org.apache.kafka.common.acl.AclBinding;
import org.apache.kafka.common.acl.AclOperation;
import org.apache.kafka.common.acl.AclPermissionType;
import org.apache.kafka.common.resource.ResourcePattern;

/**
 * A broker that authenticates with SASL/SCRAM-SHA-512 on one listener and authorizes with ACLs
 * (StandardAuthorizer), as docs/security.md ("Kafka: TLS, SASL and ACLs") configures it. Its PLAINTEXT
 * listener ({@link KafkaBrokerExtension#bootstrapServers()}) is for the broker itself and for a
 * test's setup: its anonymous principal is a super user there.
 *
 * <pre>{@code
 * static final SaslBroker sasl = SaslBroker.create();
 * @RegisterExtension
 * static final KafkaBrokerExtension kafka = sasl.extension();
 * // in @BeforeAll: sasl.addUser(kafka, "reader", "secret"); sasl.allow(kafka, "reader", topics, AclOperation.READ);
 * Map<String, Object> client = sasl.clientProperties("reader", "secret");
 * }</pre>
 */
public final class SaslBroker {
    public static final String MECHANISM = "SCRAM-SHA-512";
    private static final Duration AUTHENTICATED_WITHIN = Duration.ofSeconds(20);

    private final String saslServers;

    private SaslBroker(int saslPort) {
        this.saslServers = "127.0.0.1:" + saslPort;
    }

    public static SaslBroker create() {
        return new SaslBroker(freePort());
    }

    /** The in-JVM broker with a SASL_PLAINTEXT listener on {@link #saslServers()} and the authorizer on. */
    public KafkaBrokerExtension extension() {
        int plain = freePort();
        int controller = freePort();
        return KafkaBrokerExtension.inJvm()
                .with(
                        "listeners",
                        "PLAINTEXT://127.0.0.1:" + plain + ",CONTROLLER://127.0.0.1:" + controller
                                + ",SASL_PLAINTEXT://" + saslServers)
                .with("advertised.listeners", "PLAINTEXT://127.0.0.1:" + plain + ",SASL_PLAINTEXT://" + saslServers)
                .with("controller.quorum.bootstrap.servers", "127.0.0.1:" + controller)
                .with(
                        "listener.security.protocol.map",
                        "PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT,SASL_PLAINTEXT:SASL_PLAINTEXT")
                .with("sasl.enabled.mechanisms", MECHANISM)
                .with(
                        "listener.name.sasl_plaintext.scram-sha-512.sasl.jaas.config",
                        "org.apache.kafka.common.security.scram.ScramLoginModule required;")
                .with("authorizer.class.name", "org.apache.kafka.metadata.authorizer.StandardAuthorizer")
                .with("super.users", "User:ANONYMOUS")
                .with("allow.everyone.if.no.acl.found", "false");
    }

    /** The SASL listener's address. */
    public String saslServers() {
        return saslServers;
    }

    /** Creates SCRAM users (name, password, name, password, ...) and waits until the first one can log in. */
    public void addUsers(KafkaBrokerExtension kafka, String... namesAndPasswords) throws Exception {
        List<UserScramCredentialUpsertion> users = new ArrayList<>();
        ScramCredentialInfo info = new ScramCredentialInfo(ScramMechanism.SCRAM_SHA_512, 8192);
        for (int i = 0; i < namesAndPasswords.length; i += 2) {
            users.add(new UserScramCredentialUpsertion(namesAndPasswords[i], info, namesAndPasswords[i + 1]));
        }
        try (Admin admin = Admin.create(Map.of("bootstrap.servers", kafka.bootstrapServers()))) {
            admin.alterUserScramCredentials(List.copyOf(users)).all().get();
        }
        // SCRAM credentials reach the SASL listener through the metadata log, a moment after the call returns.
        try (Admin user = Admin.create(clientProperties(namesAndPasswords[0], namesAndPasswords[1]))) {
            Eventually.await(
                    namesAndPasswords[0] + " authenticated", () -> authenticates(user), ok -> ok, AUTHENTICATED_WITHIN);
        }
    }

    /** Allows {@code user} each of {@code operations} on {@code pattern}. */
    public static void allow(
            KafkaBrokerExtension kafka, String user, ResourcePattern pattern, AclOperation... operations)
            throws Exception {
        List<AclBinding> bindings = new ArrayList<>();
        for (AclOperation operation : operations) {
            bindings.add(new AclBinding(
                    pattern, new AccessControlEntry("User:" + user, "*", operation, AclPermissionType.ALLOW)));
        }
        try (Admin admin = Admin.create(Map.of("bootstrap.servers", kafka.bootstrapServers()))) {
            admin.createAcls(bindings).all().get();
        }
    }

    /** A client's settings for the SASL listener as {@code user}. */
    public Map<String, Object> clientProperties(String user, String password) {
        return Map.of(
                "bootstrap.servers",
                saslServers,
                "security.protocol",
                "SASL_PLAINTEXT",
                "sasl.mechanism",
                MECHANISM,
                "sasl.jaas.config",
                jaas(user, password));
    }

    public static String jaas(String user, String password) {
        return "org.apache.kafka.common.security.scram.ScramLoginModule required username=\"" + user + "\" password=\""
                + password + "\";";
    }

    private static boolean authenticates(Admin admin) {
        try {
            admin.describeCluster().nodes().get();
            return true;
        } catch (ExecutionException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    private static int freePort() {
        try {
            return BrokerFiles.freePort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
