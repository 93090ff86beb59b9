package io.clipstream.cli.kafka;

import io.clipstream.cli.CommandFailure;
import io.clipstream.schemas.KafkaClientSettings;
import io.clipstream.schemas.Topics;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Properties;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.errors.AuthenticationException;
import org.apache.kafka.common.errors.AuthorizationException;
import org.apache.kafka.common.errors.TimeoutException;
import picocli.CommandLine.Option;

/**
 * {@code --bootstrap-servers}, {@code --kafka-config} and {@code --kafka-timeout}, shared by every command that talks
 * to Kafka.
 */
public final class KafkaOptions {

    static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(30);

    @Option(names = {"-b", "--bootstrap-servers"}, defaultValue = "${env:KAFKA_BOOTSTRAP_SERVERS:-127.0.0.1:9092}",
            description = "Kafka bootstrap servers (default: $KAFKA_BOOTSTRAP_SERVERS or ${DEFAULT-VALUE}).")
    String bootstrapServers;

    @Option(names = "--kafka-config", paramLabel = "FILE", defaultValue = "${env:CLIPSTREAM_KAFKA_CONFIG}",
            description = "Kafka client properties (security.protocol, ssl.*, sasl.*), as Kafka's tools take "
                    + "--command-config; its bootstrap.servers is ignored (default: $CLIPSTREAM_KAFKA_CONFIG).")
    Path kafkaConfig;

    @Option(names = "--kafka-timeout", paramLabel = "DURATION", defaultValue = "PT30S",
            description = "How long to wait for the broker to answer before giving up (ISO-8601, default: ${DEFAULT-VALUE}).")
    Duration timeout = DEFAULT_TIMEOUT;

    /** Options for servers known to the caller (a stack it started), not read from a command line. */
    public static KafkaOptions of(String bootstrapServers) {
        KafkaOptions options = new KafkaOptions();
        options.bootstrapServers = bootstrapServers;
        return options;
    }

    public String bootstrapServers() {
        return bootstrapServers;
    }

    /** How every client of this command reaches the cluster: the servers and the {@code --kafka-config} file. */
    public KafkaClientSettings settings() {
        if (kafkaConfig == null) {
            return KafkaClientSettings.plaintext(bootstrapServers);
        }
        if (!Files.isReadable(kafkaConfig)) {
            throw new CommandFailure("cannot read the Kafka client config " + kafkaConfig
                    + " (--kafka-config or $CLIPSTREAM_KAFKA_CONFIG)");
        }
        try {
            return KafkaClientSettings.fromFile(kafkaConfig, bootstrapServers);
        } catch (IllegalArgumentException e) {
            throw new CommandFailure(e.getMessage());
        }
    }

    public Duration timeout() {
        return timeout;
    }

    /** Why nothing could be read or written: said once, instead of a timeout per record. */
    public static CommandFailure unreachable(String bootstrapServers, Duration timeout, String topic) {
        return new CommandFailure("cannot reach Kafka at " + bootstrapServers + " within " + seconds(timeout)
                + ", or it has no topic " + topic + " (is it running? -b/--bootstrap-servers or $KAFKA_BOOTSTRAP_SERVERS"
                + " say where)");
    }

    /**
     * Waits until the producer knows {@code topic}'s partitions, so that a broker that is down fails the command once,
     * before anything is read or sent, rather than each record after a timeout of its own.
     */
    public static void awaitTopic(Producer<?, ?> producer, Properties producerProperties, String topic) {
        try {
            producer.partitionsFor(topic);
        } catch (TimeoutException e) {
            producer.close(Duration.ZERO);
            throw unreachable(producerProperties.getProperty(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG),
                    Duration.ofMillis(Long.parseLong(producerProperties.get(ProducerConfig.MAX_BLOCK_MS_CONFIG).toString())),
                    topic);
        } catch (AuthenticationException | AuthorizationException e) {
            producer.close(Duration.ZERO);
            throw refused(producerProperties.getProperty(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG), e);
        }
    }

    /** The broker answered but does not let this principal in, or not to this topic. */
    public static CommandFailure refused(String bootstrapServers, KafkaException e) {
        return new CommandFailure("Kafka at " + bootstrapServers + " refused this client: " + e.getMessage()
                + " (check the credentials and ACLs in --kafka-config or $CLIPSTREAM_KAFKA_CONFIG)");
    }

    private static String seconds(Duration timeout) {
        return timeout.toMillis() % 1000 == 0 ? timeout.toSeconds() + " s" : timeout.toMillis() + " ms";
    }

    /** A durable producer: acknowledged by all in-sync replicas, idempotent, room for large images. */
    public Properties producerProperties(String clientId) {
        Properties props = settings().properties();
        props.put(ProducerConfig.ACKS_CONFIG, "all");
        props.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        props.put(ProducerConfig.MAX_REQUEST_SIZE_CONFIG, Topics.MAX_MESSAGE_BYTES);
        props.put(ProducerConfig.LINGER_MS_CONFIG, 10);
        // --kafka-timeout bounds waiting for metadata and each request; a record may take two requests' time.
        long timeoutMs = timeout.toMillis();
        props.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, timeoutMs);
        props.put(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, (int) Math.min(Integer.MAX_VALUE, timeoutMs));
        props.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, (int) Math.min(Integer.MAX_VALUE, 2 * timeoutMs + 10));
        props.put(ProducerConfig.CLIENT_ID_CONFIG, clientId);
        return props;
    }
}
