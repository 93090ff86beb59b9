package io.clipstream.schemas;

import java.io.IOException;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;
import org.apache.kafka.clients.CommonClientConfigs;

/**
 * How every Clipstream Kafka client reaches the cluster: bootstrap servers and the security settings
 * ({@code security.protocol}, {@code ssl.*}, {@code sasl.*}), passed through unchanged to every producer, consumer,
 * admin client and Kafka Streams. Services take them from their {@code kafka.*} configuration (Quarkus's
 * {@code default-kafka-broker} map, which Kafka Streams and the readiness check use too); the CLI from a client
 * properties file, as Kafka's own tools take {@code --command-config}.
 *
 * <p>Values are never printed: {@link #toString()} names the servers and the protocol only (a JAAS config or a
 * key store password must not reach a log).
 */
public final class KafkaClientSettings {

    private final Map<String, Object> connection;

    private KafkaClientSettings(Map<String, Object> connection) {
        this.connection = Map.copyOf(connection);
    }

    /**
     * From client configuration without a prefix ({@code bootstrap.servers}, {@code security.protocol}, …); every
     * other key (a group id, a serializer) is left out, so that each client sets its own.
     */
    public static KafkaClientSettings of(Map<?, ?> clientConfig) {
        Map<String, Object> connection = new TreeMap<>();
        clientConfig.forEach((key, value) -> {
            String name = key.toString();
            if (isConnectionSetting(name) && value != null && !value.toString().isBlank()) {
                connection.put(name, value);
            }
        });
        if (!connection.containsKey(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG)) {
            throw new IllegalArgumentException("No Kafka bootstrap servers configured (kafka.bootstrap.servers)");
        }
        return new KafkaClientSettings(connection);
    }

    /** Just the servers, over PLAINTEXT. */
    public static KafkaClientSettings plaintext(String bootstrapServers) {
        return of(Map.of(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers));
    }

    /**
     * A client properties file (Kafka's {@code --command-config} format) with these servers; a
     * {@code bootstrap.servers} in the file is overridden by {@code bootstrapServers}.
     */
    public static KafkaClientSettings fromFile(Path clientProperties, String bootstrapServers) {
        Properties file = new Properties();
        try (Reader reader = Files.newBufferedReader(clientProperties)) {
            file.load(reader);
        } catch (IOException e) {
            throw new IllegalArgumentException("Cannot read the Kafka client config " + clientProperties + ": " + e.getMessage(), e);
        }
        file.put(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        return of(file);
    }

    /** Whether a client setting says how to reach and authenticate to the cluster (and so goes to every client). */
    public static boolean isConnectionSetting(String name) {
        return name.equals(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG)
                || name.equals(CommonClientConfigs.SECURITY_PROTOCOL_CONFIG)
                || name.equals(CommonClientConfigs.CLIENT_DNS_LOOKUP_CONFIG)
                || name.startsWith("ssl.")
                || name.startsWith("sasl.");
    }

    public String bootstrapServers() {
        return connection.get(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG).toString();
    }

    public String securityProtocol() {
        return connection.getOrDefault(CommonClientConfigs.SECURITY_PROTOCOL_CONFIG, "PLAINTEXT").toString();
    }

    /** The same connection to other servers. */
    public KafkaClientSettings withBootstrapServers(String bootstrapServers) {
        Map<String, Object> copy = new TreeMap<>(connection);
        copy.put(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        return new KafkaClientSettings(copy);
    }

    /** A new, mutable client configuration: the connection settings, then the client's own on top. */
    public Map<String, Object> clientConfig(Map<String, ?> own) {
        Map<String, Object> config = new TreeMap<>(connection);
        config.putAll(own);
        return config;
    }

    /** {@link #clientConfig(Map)} with nothing of the client's own yet. */
    public Map<String, Object> clientConfig() {
        return new TreeMap<>(connection);
    }

    /** The connection settings as {@link Properties} for code that builds its clients from those. */
    public Properties properties() {
        Properties properties = new Properties();
        properties.putAll(connection);
        return properties;
    }

    @Override
    public String toString() {
        return bootstrapServers() + " (" + securityProtocol() + ")";
    }
}
