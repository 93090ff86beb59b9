package io.clipstream.broker;

import io.clipstream.schemas.KafkaClientSettings;
import io.clipstream.schemas.Topics;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;

/** Produces raw records and reads topics from the start, for tests against a real broker. */
public final class KafkaTestClient implements AutoCloseable {

    private final KafkaClientSettings kafka;
    private final KafkaProducer<String, byte[]> producer;

    public KafkaTestClient(String bootstrapServers) {
        this(KafkaClientSettings.plaintext(bootstrapServers));
    }

    /** A client with these settings: a secured broker's user, say. */
    public KafkaTestClient(KafkaClientSettings kafka) {
        this.kafka = kafka;
        Properties props = kafka.properties();
        props.put(ProducerConfig.ACKS_CONFIG, "all");
        props.put(ProducerConfig.MAX_REQUEST_SIZE_CONFIG, Topics.MAX_MESSAGE_BYTES);
        producer = new KafkaProducer<>(props, new StringSerializer(), new ByteArraySerializer());
    }

    /** A client of the JVM's shared in-process broker. */
    public static KafkaTestClient shared() {
        return new KafkaTestClient(EmbeddedKafka.shared().bootstrapServers());
    }

    /** Sends one record (value {@code null} is a tombstone) and waits for the acknowledgement. */
    public void send(String topic, String key, byte[] value) {
        try {
            producer.send(new ProducerRecord<>(topic, key, value)).get(30, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new IllegalStateException("cannot produce to " + topic + ": " + e, e);
        }
    }

    /**
     * Reads {@code topic} from the beginning (read-committed) until {@code done} holds for what was read, or the
     * timeout passes; returns what was read either way.
     */
    public <V> List<ConsumerRecord<String, V>> readUntil(String topic, Deserializer<V> values,
            Predicate<List<ConsumerRecord<String, V>>> done, Duration timeout) {
        Properties props = kafka.properties();
        props.put(ConsumerConfig.GROUP_ID_CONFIG, "test-reader-" + UUID.randomUUID());
        props.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        props.put(ConsumerConfig.MAX_PARTITION_FETCH_BYTES_CONFIG, Topics.MAX_MESSAGE_BYTES);
        props.put(ConsumerConfig.FETCH_MAX_BYTES_CONFIG, Topics.MAX_MESSAGE_BYTES);
        List<ConsumerRecord<String, V>> read = new ArrayList<>();
        try (KafkaConsumer<String, V> consumer = new KafkaConsumer<>(props, new StringDeserializer(), values)) {
            consumer.subscribe(List.of(topic));
            long deadline = System.nanoTime() + timeout.toNanos();
            while (!done.test(read) && System.nanoTime() < deadline) {
                consumer.poll(Duration.ofMillis(200)).forEach(read::add);
            }
        }
        return read;
    }

    /** Reads raw bytes: for asserting on values that may not decode. */
    public List<ConsumerRecord<String, byte[]>> readBytesUntil(String topic,
            Predicate<List<ConsumerRecord<String, byte[]>>> done, Duration timeout) {
        return readUntil(topic, new ByteArrayDeserializer(), done, timeout);
    }

    @Override
    public void close() {
        producer.close();
    }
}
