package io.clipstream.ingest.api;

import io.clipstream.schemas.ImageTextPair;
import io.clipstream.schemas.Topics;
import io.clipstream.schemas.serde.AvroSerde;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.serialization.StringSerializer;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/** Publishes uploaded pairs to pairs.raw and waits for the broker's acknowledgement before answering. */
@ApplicationScoped
public class PairPublisher {

    private final KafkaProducer<String, ImageTextPair> producer;

    public PairPublisher(@ConfigProperty(name = "kafka.bootstrap.servers") String bootstrapServers) {
        Properties props = new Properties();
        props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        props.put(ProducerConfig.ACKS_CONFIG, "all");
        props.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        props.put(ProducerConfig.MAX_REQUEST_SIZE_CONFIG, Topics.MAX_MESSAGE_BYTES);
        props.put(ProducerConfig.LINGER_MS_CONFIG, 5);
        props.put(ProducerConfig.CLIENT_ID_CONFIG, "clipstream-ingest-uploads");
        producer = new KafkaProducer<>(props, new StringSerializer(), AvroSerde.of(ImageTextPair.class));
    }

    /** Sends all pairs, then waits until every one is acknowledged. */
    public void publish(List<ImageTextPair> pairs) {
        List<Future<RecordMetadata>> acks = new ArrayList<>(pairs.size());
        for (ImageTextPair pair : pairs) {
            acks.add(producer.send(new ProducerRecord<>(Topics.PAIRS_RAW, pair.getPairId(), pair)));
        }
        try {
            for (Future<RecordMetadata> ack : acks) {
                ack.get(30, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while publishing", e);
        } catch (ExecutionException | TimeoutException e) {
            throw new PublishFailedException("Kafka did not accept the pair(s): " + e.getMessage(), e);
        }
    }

    @PreDestroy
    void close() {
        producer.close();
    }

    /** The broker did not acknowledge: the caller gets 503 and may retry. */
    public static final class PublishFailedException extends RuntimeException {
        PublishFailedException(String message, Throwable cause) {
            super(message, cause);
        }
    }
}
