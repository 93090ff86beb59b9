package io.clipstream.embedder.stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.clipstream.broker.EmbeddedKafka;
import io.clipstream.broker.KafkaTestClient;
import io.clipstream.embedder.runtime.EmbedderMetrics;
import io.clipstream.schemas.RejectReason;
import io.clipstream.schemas.Rejected;
import io.clipstream.schemas.Topics;
import io.clipstream.schemas.serde.AvroSerde;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.Test;

/**
 * An embedding the broker refuses for good (here: larger than its topic's max.message.bytes) used to fail its input
 * on every read, so the consumer went back to the last commit forever. After a few refusals the input is
 * dead-lettered to the rejected topic and its partition moves on. The real broker, the real producer.
 */
class EmbedderDeadLetterTest {

    private static final TopicPartition INPUT = new TopicPartition(Topics.IMAGES, 5);

    @Test
    void anEmbeddingTheBrokerRefusesIsDeadLetteredAfterItsLastAttemptAndThePartitionMovesOn() throws Exception {
        String run = UUID.randomUUID().toString().substring(0, 8);
        String embeddings = "dead-letter-embeddings-" + run;
        String rejected = "dead-letter-rejected-" + run;
        String bootstrap = EmbeddedKafka.shared().bootstrapServers();
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap))) {
            admin.createTopics(List.of(
                    new NewTopic(embeddings, 1, (short) 1).configs(Map.of(TopicConfig.MAX_MESSAGE_BYTES_CONFIG, "2048")),
                    new NewTopic(rejected, 1, (short) 1))).all().get();
        }
        Properties props = new Properties();
        props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        props.put(ProducerConfig.ACKS_CONFIG, "all");
        props.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        OffsetTracker offsets = new OffsetTracker();
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        long offset = 40;
        ImageInput.Image image = new ImageInput.Image("too-large-" + run, new byte[] {1}, null, Instant.now(),
                Map.of("note", "n".repeat(3000)));
        byte[] original = "the original image event".getBytes(StandardCharsets.UTF_8);

        try (OutputWriter writer = new OutputWriter(new KafkaProducer<>(props, new ByteArraySerializer(),
                new ByteArraySerializer()), embeddings, rejected, offsets, new EmbedderMetrics(registry))) {
            for (int attempt = 1; attempt <= OutputWriter.MAX_OUTPUT_ATTEMPTS; attempt++) {
                // As the consumer does after a failure: start over from the last commit and read the record again.
                offsets.reset();
                offsets.submitted(INPUT, offset);
                writer.embedding(new PendingRecord(INPUT, offset, 1_000, image.imageId().getBytes(StandardCharsets.UTF_8),
                        original, image, null, System.nanoTime()), "1", new float[] {0.6f, 0.8f}, Instant.now());
                assertTrue(offsets.awaitIdle(Duration.ofSeconds(30)), "the broker answered attempt " + attempt);
                if (attempt < OutputWriter.MAX_OUTPUT_ATTEMPTS) {
                    assertTrue(offsets.failure().isPresent(), "attempt " + attempt + " fails the input: read again");
                }
            }
            assertTrue(offsets.failure().isEmpty(), "the last attempt dead-letters instead of failing: "
                    + offsets.failure().map(Exception::getMessage).orElse(""));
            assertEquals(Map.of(INPUT, new OffsetAndMetadata(offset + 1)), offsets.committable(),
                    "the partition moves past the record");
        }

        try (KafkaTestClient kafka = new KafkaTestClient(bootstrap)) {
            List<ConsumerRecord<String, Rejected>> read = kafka.readUntil(rejected, AvroSerde.of(Rejected.class),
                    r -> !r.isEmpty(), Duration.ofSeconds(30));
            assertEquals(1, read.size(), "one dead letter");
            Rejected letter = read.get(0).value();
            assertEquals(RejectReason.INTERNAL_ERROR, letter.getReason());
            assertEquals(image.imageId(), letter.getId());
            assertEquals(offset, letter.getSourceOffset());
            assertTrue(letter.getMessage().contains("refused " + OutputWriter.MAX_OUTPUT_ATTEMPTS + " times"),
                    letter.getMessage());
            assertTrue(letter.getMessage().contains("RecordTooLargeException"), letter.getMessage());
            assertEquals(ByteBuffer.wrap(original), letter.getOriginalValue(), "kept for replay");
            assertEquals(Map.of(), letter.getAttributes());
        }
    }
}
