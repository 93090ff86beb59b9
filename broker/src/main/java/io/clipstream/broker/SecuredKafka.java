package io.clipstream.broker;

import io.clipstream.schemas.KafkaClientSettings;
import io.clipstream.schemas.ServiceAccess;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ScramCredentialInfo;
import org.apache.kafka.clients.admin.ScramMechanism;
import org.apache.kafka.clients.admin.UserScramCredentialAlteration;
import org.apache.kafka.clients.admin.UserScramCredentialUpsertion;
import org.apache.kafka.common.acl.AclBinding;
import org.apache.kafka.common.acl.AclBindingFilter;
import org.apache.kafka.common.errors.SaslAuthenticationException;
import org.apache.kafka.common.network.ListenerName;
import org.apache.kafka.common.test.KafkaClusterTestKit;
import org.apache.kafka.common.test.TestKitNodes;

/**
 * A real single-node KRaft broker in this JVM with a {@code SASL_SSL} listener as in production: TLS with a test CA,
 * SCRAM-SHA-512 users (one per service, as {@link ServiceAccess} names them, and a super user {@value #ADMIN}), and
 * the {@code StandardAuthorizer} with exactly the ACLs of {@link ServiceAccess#acls()}: nothing is allowed that no
 * ACL allows. Tests share one per JVM through {@link #shared()}.
 *
 * <p>The test kit's own PLAINTEXT listener stays for the broker itself (inter-broker and controller traffic, whose
 * ANONYMOUS principal is a super user) and is used only to create the users; every client in a test uses
 * {@link #bootstrapServers()}.
 */
public final class SecuredKafka implements AutoCloseable {

    /** The test's super user. */
    public static final String ADMIN = "clipstream-admin";
    static final String SECURE_LISTENER = "SECURE";

    /** Where {@link #shared()} leaves the running broker's coordinates for other class loaders of this JVM. */
    private static final String SHARED_PROPERTY = "clipstream.test.secured-kafka";

    private static SecuredKafka shared;

    /** Null in a view of a broker another class loader started. */
    private final KafkaClusterTestKit cluster;
    private final Path baseDirectory;
    private final TestCertificates certificates;
    private final Map<String, String> passwords;
    private final String bootstrapServers;
    private final long startMillis;

    private SecuredKafka(KafkaClusterTestKit cluster, Path baseDirectory, TestCertificates certificates,
            Map<String, String> passwords, long startMillis) {
        this.cluster = cluster;
        this.baseDirectory = baseDirectory;
        this.certificates = certificates;
        this.passwords = Map.copyOf(passwords);
        this.bootstrapServers = "localhost:" + cluster.brokers().values().iterator().next()
                .boundPort(new ListenerName(SECURE_LISTENER));
        this.startMillis = startMillis;
    }

    private SecuredKafka(String bootstrapServers, Path baseDirectory, TestCertificates certificates,
            Map<String, String> passwords) {
        this.cluster = null;
        this.baseDirectory = baseDirectory;
        this.certificates = certificates;
        this.passwords = Map.copyOf(passwords);
        this.bootstrapServers = bootstrapServers;
        this.startMillis = 0;
    }

    /** Starts a broker on free ports with the users, their ACLs and every catalog topic. */
    public static SecuredKafka start() {
        long t0 = System.nanoTime();
        try {
            Path baseDirectory = Files.createTempDirectory("clipstream-secured-kafka-");
            TestCertificates certificates = TestCertificates.create(Files.createDirectory(baseDirectory.resolve("tls")));
            KafkaClusterTestKit.Builder builder = new KafkaClusterTestKit.Builder(new TestKitNodes.Builder()
                    .setCombined(true).setNumBrokerNodes(1).setNumControllerNodes(1)
                    .setBaseDirectory(baseDirectory.resolve("kraft")).build())
                    .setDeleteOnClose(false);
            BrokerSettings.singleNode().forEach(builder::setConfigProp);
            securedListener(certificates).forEach(builder::setConfigProp);
            KafkaClusterTestKit cluster = builder.build();
            cluster.format();
            cluster.startup();
            cluster.waitForReadyBrokers();
            Map<String, String> passwords = new HashMap<>();
            passwords.put(ADMIN, UUID.randomUUID().toString());
            ServiceAccess.all().forEach(access -> passwords.put(access.service(), UUID.randomUUID().toString()));
            createUsers(cluster.bootstrapServers(), passwords);
            SecuredKafka broker = new SecuredKafka(cluster, baseDirectory, certificates, passwords, 0);
            broker.awaitAuthentication();
            broker.createAcls();
            TopicProvisioner.ensureCatalog(broker.adminSettings(), (short) 1);
            return new SecuredKafka(cluster, baseDirectory, certificates, passwords,
                    (System.nanoTime() - t0) / 1_000_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted while starting Kafka", e);
        } catch (Exception e) {
            throw new IllegalStateException("Cannot start the secured in-process Kafka broker: " + e, e);
        }
    }

    /**
     * One secured broker per JVM, started on first use and stopped when the JVM exits. Each Quarkus test profile
     * loads this class anew: a later class loader gets a view of the broker the first one started (a second broker
     * in the JVM would not do: SASL's server factories are registered once per JVM, with the first loader's classes).
     */
    public static synchronized SecuredKafka shared() {
        if (shared == null) {
            String started = System.getProperty(SHARED_PROPERTY);
            if (started != null) {
                shared = view(started);
            } else {
                shared = start();
                SecuredKafka broker = shared;
                Runtime.getRuntime().addShutdownHook(new Thread(broker::close, "secured-kafka-shutdown"));
                System.setProperty(SHARED_PROPERTY, broker.coordinates());
            }
        }
        return shared;
    }

    /** bootstrap, base folder, key store, trust store, store password, then user=password pairs; tab-separated. */
    private String coordinates() {
        List<String> fields = new ArrayList<>(List.of(bootstrapServers, baseDirectory.toString(),
                certificates.brokerKeyStore().toString(), certificates.trustStore().toString(), certificates.password()));
        passwords.forEach((user, password) -> fields.add(user + "=" + password));
        return String.join("\t", fields);
    }

    private static SecuredKafka view(String coordinates) {
        String[] fields = coordinates.split("\t");
        Map<String, String> passwords = new HashMap<>();
        for (int i = 5; i < fields.length; i++) {
            String[] user = fields[i].split("=", 2);
            passwords.put(user[0], user[1]);
        }
        return new SecuredKafka(fields[0], Path.of(fields[1]),
                new TestCertificates(Path.of(fields[2]), Path.of(fields[3]), fields[4]), passwords);
    }

    private static Map<String, String> securedListener(TestCertificates certificates) {
        String prefix = "listener.name." + SECURE_LISTENER.toLowerCase() + ".";
        return Map.ofEntries(
                // The kit's two listeners keep their names (its pre-bound sockets); a third speaks SASL_SSL.
                Map.entry("listeners", "EXTERNAL://localhost:0,CONTROLLER://localhost:0," + SECURE_LISTENER
                        + "://localhost:0"),
                Map.entry("listener.security.protocol.map",
                        "EXTERNAL:PLAINTEXT,CONTROLLER:PLAINTEXT," + SECURE_LISTENER + ":SASL_SSL"),
                Map.entry(prefix + "sasl.enabled.mechanisms", "SCRAM-SHA-512"),
                Map.entry(prefix + "scram-sha-512.sasl.jaas.config",
                        "org.apache.kafka.common.security.scram.ScramLoginModule required;"),
                Map.entry(prefix + "ssl.keystore.type", "PKCS12"),
                Map.entry(prefix + "ssl.keystore.location", certificates.brokerKeyStore().toString()),
                Map.entry(prefix + "ssl.keystore.password", certificates.password()),
                Map.entry(prefix + "ssl.key.password", certificates.password()),
                Map.entry("authorizer.class.name", "org.apache.kafka.metadata.authorizer.StandardAuthorizer"),
                Map.entry("allow.everyone.if.no.acl.found", "false"),
                Map.entry("super.users", "User:ANONYMOUS;User:" + ADMIN));
    }

    private static void createUsers(String plaintextBootstrap, Map<String, String> passwords) throws Exception {
        List<UserScramCredentialAlteration> users = new ArrayList<>();
        passwords.forEach((user, password) -> users.add(new UserScramCredentialUpsertion(user,
                new ScramCredentialInfo(ScramMechanism.SCRAM_SHA_512, 4096), password)));
        try (Admin admin = Admin.create(KafkaClientSettings.plaintext(plaintextBootstrap).clientConfig())) {
            admin.alterUserScramCredentials(users).all().get(30, TimeUnit.SECONDS);
        }
    }

    /** The controller has the users before the broker's metadata does: wait until the admin can log in. */
    private void awaitAuthentication() throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (true) {
            try (Admin admin = Admin.create(adminSettings().clientConfig())) {
                admin.describeCluster().clusterId().get(30, TimeUnit.SECONDS);
                return;
            } catch (java.util.concurrent.ExecutionException e) {
                if (!(e.getCause() instanceof SaslAuthenticationException) || System.nanoTime() > deadline) {
                    throw e;
                }
                Thread.sleep(100);
            }
        }
    }

    private void createAcls() throws Exception {
        List<AclBinding> acls = ServiceAccess.all().stream().flatMap(a -> a.acls().stream()).toList();
        try (Admin admin = Admin.create(adminSettings().clientConfig())) {
            admin.createAcls(acls).all().get(30, TimeUnit.SECONDS);
            // The broker authorizes from its own copy of the metadata: wait until it has every ACL.
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            while (admin.describeAcls(AclBindingFilter.ANY).values().get(30, TimeUnit.SECONDS).size() < acls.size()) {
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("The broker did not apply the ACLs within 30 s");
                }
                Thread.sleep(50);
            }
        }
    }

    /** The SASL_SSL listener. */
    public String bootstrapServers() {
        return bootstrapServers;
    }

    /** How long start-up took: certificates, format, users, ACLs and topics included. */
    public long startMillis() {
        return startMillis;
    }

    /** A client of the super user. */
    public KafkaClientSettings adminSettings() {
        return clientSettings(ADMIN);
    }

    /** A client logging in as {@code user} (a service's name, or {@link #ADMIN}) with its password. */
    public KafkaClientSettings clientSettings(String user) {
        String password = passwords.get(user);
        if (password == null) {
            throw new IllegalArgumentException("No such user on the test broker: " + user);
        }
        return clientSettings(user, password);
    }

    /** A client logging in as {@code user} with {@code password}, right or wrong. */
    public KafkaClientSettings clientSettings(String user, String password) {
        return KafkaClientSettings.of(clientProperties(user, password));
    }

    /**
     * The {@code kafka.*} settings of a Quarkus service logging in as {@code user}, with a Kafka Streams state folder
     * of this broker's own (as {@link EmbeddedKafka#clientConfig()}).
     */
    public Map<String, String> serviceConfig(String user) {
        Map<String, String> config = new HashMap<>();
        clientProperties(user, passwords.getOrDefault(user, "not-a-password"))
                .forEach((key, value) -> config.put("kafka." + key, value));
        config.put("quarkus.kafka-streams.bootstrap-servers", bootstrapServers);
        config.put("kafka-streams.state.dir", baseDirectory.resolve("streams-state-" + user).toString());
        return config;
    }

    private Map<String, String> clientProperties(String user, String password) {
        return Map.of(
                "bootstrap.servers", bootstrapServers,
                "security.protocol", "SASL_SSL",
                "sasl.mechanism", "SCRAM-SHA-512",
                "sasl.jaas.config", "org.apache.kafka.common.security.scram.ScramLoginModule required username=\""
                        + user + "\" password=\"" + password + "\";",
                "ssl.truststore.type", "PKCS12",
                "ssl.truststore.location", certificates.trustStore().toString(),
                "ssl.truststore.password", certificates.password());
    }

    @Override
    public void close() {
        if (cluster == null) {
            return; // a view: the class loader that started the broker stops it
        }
        try {
            cluster.close();
            EmbeddedKafka.deleteRecursively(baseDirectory);
        } catch (Exception e) {
            throw new IllegalStateException("Cannot stop Kafka cleanly", e);
        }
    }
}
