package io.clipstream.embedder;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.clipstream.broker.KafkaTestClient;
import io.clipstream.broker.SecuredKafka;
import io.clipstream.broker.SecuredKafkaTestResource;
import io.clipstream.model.image.TestImages;
import io.clipstream.schemas.ImageEmbedding;
import io.clipstream.schemas.ServiceAccess;
import io.clipstream.schemas.Topics;
import io.clipstream.schemas.serde.AvroSerde;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;

/**
 * The embedder against a SASL_SSL broker with ACLs, logging in as its own principal: its consumer (in its group) and
 * its producer both work, so an image becomes an embedding (which ClassifierSecuredKafkaTest takes on from there).
 */
@QuarkusTest
@TestProfile(EmbedderSecuredKafkaTest.AsEmbedder.class)
class EmbedderSecuredKafkaTest {

    public static class AsEmbedder implements QuarkusTestProfile {
        @Override
        public List<TestResourceEntry> testResources() {
            return List.of(
                    new TestResourceEntry(SecuredKafkaTestResource.class, Map.of("user", ServiceAccess.EMBEDDER)),
                    new TestResourceEntry(CheckpointStoreTestResource.class,
                            Map.of(CheckpointStoreTestResource.INITIAL, "1")));
        }
    }

    @Test
    void anImageBecomesAnEmbeddingOverSaslSsl() {
        String imageId = "secured-" + UUID.randomUUID();
        AvroSerde<ImageEmbedding> embeddings = AvroSerde.of(ImageEmbedding.class);
        try (KafkaTestClient admin = new KafkaTestClient(SecuredKafka.shared().adminSettings())) {
            admin.send(Topics.IMAGES, imageId, TestImages.png(64, 48, 3));
            List<ConsumerRecord<String, byte[]>> read = admin.readBytesUntil(Topics.EMBEDDINGS,
                    records -> records.stream().anyMatch(r -> imageId.equals(r.key())), Duration.ofSeconds(90));
            ConsumerRecord<String, byte[]> mine = read.stream().filter(r -> imageId.equals(r.key())).findFirst()
                    .orElseThrow(() -> new AssertionError("no embedding of " + imageId + " on " + Topics.EMBEDDINGS));
            assertEquals("1", embeddings.decode(mine.value()).getModelVersion());
        }
    }
}
