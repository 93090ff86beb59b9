package io.clipstream.cli.kafka;

import io.clipstream.schemas.Topics;
import java.util.Properties;
import org.apache.kafka.clients.producer.ProducerConfig;
import picocli.CommandLine.Option;

/** {@code --bootstrap-servers}, shared by every command that talks to Kafka. */
public final class KafkaOptions {

    @Option(names = {"-b", "--bootstrap-servers"}, defaultValue = "${env:KAFKA_BOOTSTRAP_SERVERS:-127.0.0.1:9092}",
            description = "Kafka bootstrap servers (default: $KAFKA_BOOTSTRAP_SERVERS or ${DEFAULT-VALUE}).")
    String bootstrapServers;

    /** Options for servers known to the caller (a stack it started), not read from a command line. */
    public static KafkaOptions of(String bootstrapServers) {
        KafkaOptions options = new KafkaOptions();
        options.bootstrapServers = bootstrapServers;
        return options;
    }

    public String bootstrapServers() {
        return bootstrapServers;
    }

    /** A durable producer: acknowledged by all in-sync replicas, idempotent, room for large images. */
    public Properties producerProperties(String clientId) {
        Properties props = new Properties();
        props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        props.put(ProducerConfig.ACKS_CONFIG, "all");
        props.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        props.put(ProducerConfig.MAX_REQUEST_SIZE_CONFIG, Topics.MAX_MESSAGE_BYTES);
        props.put(ProducerConfig.LINGER_MS_CONFIG, 10);
        props.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, 60_000);
        props.put(ProducerConfig.CLIENT_ID_CONFIG, clientId);
        return props;
    }
}
