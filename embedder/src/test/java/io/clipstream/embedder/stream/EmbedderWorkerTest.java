package io.clipstream.embedder.stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.clipstream.embedder.ActiveModel;
import io.clipstream.embedder.runtime.EmbedderMetrics;
import io.clipstream.embedder.PreparedImage;
import io.clipstream.embedder.TestCheckpoints;
import io.clipstream.model.image.ImageLimits;
import io.clipstream.model.image.RgbImage;
import io.clipstream.model.image.TestImages;
import io.clipstream.model.serve.CheckpointResolver;
import io.clipstream.model.store.ArtifactStore;
import io.clipstream.schemas.ImageEmbedding;
import io.clipstream.schemas.RejectReason;
import io.clipstream.schemas.Rejected;
import io.clipstream.schemas.Topics;
import io.clipstream.schemas.serde.AvroSerde;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.MockProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** One batch through a real (random, tiny) model, outputs caught by a MockProducer. */
class EmbedderWorkerTest {

    private static final TopicPartition INPUT = new TopicPartition(Topics.IMAGES, 0);

    @TempDir
    static Path store;
    private static ActiveModel model;

    private final MockProducer<byte[], byte[]> producer = new MockProducer<>(true, null, new ByteArraySerializer(),
            new ByteArraySerializer());
    private final OffsetTracker offsets = new OffsetTracker();
    private final EmbeddingWorker worker = new EmbeddingWorker(new MicroBatcher<>(8, Duration.ZERO, 8), model,
            new OutputWriter(producer, Topics.EMBEDDINGS, Topics.IMAGES_REJECTED, offsets,
                    new EmbedderMetrics(new SimpleMeterRegistry())), new EmbedderMetrics(new SimpleMeterRegistry()));

    @BeforeAll
    static void model() throws Exception {
        ArtifactStore artifacts = ArtifactStore.open(store.toString());
        TestCheckpoints.publish(artifacts, "4", "tiny");
        model = new ActiveModel();
        model.activate(new CheckpointResolver(artifacts, Optional.empty(), ImageLimits.DEFAULT).load("4"));
    }

    @AfterAll
    static void close() throws Exception {
        model.close();
    }

    private PendingRecord record(long offset, ImageInput input, PreparedImage image) {
        offsets.submitted(INPUT, offset);
        return new PendingRecord(INPUT, offset, 0, input.imageId() == null ? null
                : input.imageId().getBytes(StandardCharsets.UTF_8), new byte[] {1}, input, image, System.nanoTime());
    }

    private static ImageInput.Image image(String id) {
        return new ImageInput.Image(id, new byte[] {1}, null, Instant.EPOCH, Map.of());
    }

    @Test
    void anImageTheModelFailsOnIsRejectedAloneAndEveryOutputLeavesInInputOrder() throws Exception {
        PreparedImage good = PreparedImage.of(TestImages.png(80, 80, 1), model.transform().orElseThrow());
        // Pixels of another size and bytes that no longer decode: the batch fails on this one image.
        PreparedImage broken = new PreparedImage(new byte[] {1, 2, 3}, new RgbImage(8, 8, new byte[8 * 8 * 3]));
        List<PendingRecord> batch = List.of(
                record(0, image("good-a"), good),
                record(1, image("broken"), broken),
                record(2, new ImageInput.Invalid("html", RejectReason.NOT_AN_IMAGE, "no image signature", Map.of()),
                        null),
                record(3, image("good-b"), good));

        worker.process(batch);

        List<String> outputs = new ArrayList<>();
        for (ProducerRecord<byte[], byte[]> sent : producer.history()) {
            String key = new String(sent.key(), StandardCharsets.UTF_8);
            if (sent.topic().equals(Topics.EMBEDDINGS)) {
                ImageEmbedding embedding = AvroSerde.of(ImageEmbedding.class).decode(sent.value());
                assertEquals("4", embedding.getModelVersion());
                assertEquals(64, embedding.getVector().size());
                outputs.add(key + " embedded");
            } else {
                Rejected rejected = AvroSerde.of(Rejected.class).decode(sent.value());
                outputs.add(key + " " + rejected.getReason());
                if (rejected.getReason() == RejectReason.INTERNAL_ERROR) {
                    assertTrue(rejected.getMessage().startsWith("the model failed on this image"), rejected.getMessage());
                    assertEquals("4", rejected.getModelVersion());
                }
            }
        }
        assertEquals(List.of("good-a embedded", "broken INTERNAL_ERROR", "html NOT_AN_IMAGE", "good-b embedded"),
                outputs);
        assertEquals(Map.of(INPUT, new OffsetAndMetadata(4)), offsets.committable(), "all four done");
    }
}
