package io.clipstream.broker;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.clipstream.schemas.ImageEvent;
import io.clipstream.schemas.Topics;
import io.clipstream.schemas.serde.AvroSerde;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;

/** Sends Avro records through a broker and reads them back: the check both broker tests share. */
final class BrokerRoundTrip {

    private BrokerRoundTrip() {
    }

    /** Produces a small and a 2 MiB image event with lz4 to {@code topic} and reads both back. */
    static void check(String bootstrapServers, String topic) {
        AvroSerde<ImageEvent> serde = AvroSerde.of(ImageEvent.class);
        byte[] big = new byte[2 * 1024 * 1024];
        new java.util.Random(1).nextBytes(big);
        List<ImageEvent> sent = List.of(event("small", new byte[] {1, 2, 3}), event("big", big));

        Properties producerProps = new Properties();
        producerProps.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        producerProps.put(ProducerConfig.COMPRESSION_TYPE_CONFIG, "lz4");
        producerProps.put(ProducerConfig.MAX_REQUEST_SIZE_CONFIG, Topics.MAX_MESSAGE_BYTES);
        producerProps.put(ProducerConfig.ACKS_CONFIG, "all");
        try (KafkaProducer<String, ImageEvent> producer =
                new KafkaProducer<>(producerProps, new StringSerializer(), serde)) {
            for (ImageEvent event : sent) {
                producer.send(new ProducerRecord<>(topic, event.getImageId(), event)).get();
            }
        } catch (Exception e) {
            throw new AssertionError("produce failed: " + e, e);
        }

        Properties consumerProps = new Properties();
        consumerProps.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        consumerProps.put(ConsumerConfig.GROUP_ID_CONFIG, "round-trip-" + UUID.randomUUID());
        consumerProps.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        consumerProps.put(ConsumerConfig.FETCH_MAX_BYTES_CONFIG, Topics.MAX_MESSAGE_BYTES);
        consumerProps.put(ConsumerConfig.MAX_PARTITION_FETCH_BYTES_CONFIG, Topics.MAX_MESSAGE_BYTES);
        List<ImageEvent> received = new ArrayList<>();
        try (KafkaConsumer<String, ImageEvent> consumer =
                new KafkaConsumer<>(consumerProps, new StringDeserializer(), serde)) {
            consumer.subscribe(List.of(topic));
            long deadline = System.currentTimeMillis() + 30_000;
            while (received.size() < sent.size() && System.currentTimeMillis() < deadline) {
                for (ConsumerRecord<String, ImageEvent> record : consumer.poll(Duration.ofMillis(200))) {
                    assertEquals(record.key(), record.value().getImageId());
                    received.add(record.value());
                }
            }
        }
        assertEquals(sent.size(), received.size(), "records read back");
        assertTrue(received.containsAll(sent));
    }

    private static ImageEvent event(String id, byte[] image) {
        return ImageEvent.newBuilder().setImageId(id + "-" + UUID.randomUUID()).setImage(ByteBuffer.wrap(image))
                .setEventTime(Instant.now()).setAttributes(Map.of("test", "round-trip")).build();
    }
}
