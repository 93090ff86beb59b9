package io.clipstream.embedder;

import io.clipstream.broker.EmbeddedKafka;
import io.clipstream.broker.KafkaTestClient;
import io.clipstream.schemas.ImageEmbedding;
import io.clipstream.schemas.Rejected;
import io.clipstream.schemas.Topics;
import io.clipstream.schemas.serde.AvroSerde;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/** Publishes to clipstream.images as any client would (raw bytes, headers, a chosen partition) and reads the outputs. */
final class ImagesTopic implements AutoCloseable {

    private final KafkaProducer<byte[], byte[]> producer;

    ImagesTopic() {
        Properties props = new Properties();
        props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, EmbeddedKafka.shared().bootstrapServers());
        props.put(ProducerConfig.ACKS_CONFIG, "all");
        props.put(ProducerConfig.MAX_REQUEST_SIZE_CONFIG, Topics.MAX_MESSAGE_BYTES);
        producer = new KafkaProducer<>(props, new ByteArraySerializer(), new ByteArraySerializer());
    }

    /**
     * Sends one record and waits for its acknowledgement.
     *
     * @param partition {@code null} to partition by key
     * @param headers   alternating header names and values
     */
    RecordMetadata send(Integer partition, String key, byte[] value, String... headers) {
        ProducerRecord<byte[], byte[]> record = new ProducerRecord<>(Topics.IMAGES, partition,
                key == null ? null : key.getBytes(StandardCharsets.UTF_8), value);
        for (int i = 0; i < headers.length; i += 2) {
            record.headers().add(headers[i], headers[i + 1].getBytes(StandardCharsets.UTF_8));
        }
        try {
            return producer.send(record).get(30, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new IllegalStateException("cannot produce to " + Topics.IMAGES + ": " + e, e);
        }
    }

    static List<ConsumerRecord<String, ImageEmbedding>> embeddings(
            Predicate<List<ConsumerRecord<String, ImageEmbedding>>> done) {
        try (KafkaTestClient kafka = KafkaTestClient.shared()) {
            return kafka.readUntil(Topics.EMBEDDINGS, AvroSerde.of(ImageEmbedding.class), done, Duration.ofSeconds(60));
        }
    }

    static List<ConsumerRecord<String, Rejected>> rejections(Predicate<List<ConsumerRecord<String, Rejected>>> done) {
        try (KafkaTestClient kafka = KafkaTestClient.shared()) {
            return kafka.readUntil(Topics.IMAGES_REJECTED, AvroSerde.of(Rejected.class), done, Duration.ofSeconds(60));
        }
    }

    @Override
    public void close() {
        producer.close();
    }
}
