package io.clipstream.embedder.stream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.clipstream.embedder.ActiveModel;
import io.clipstream.embedder.runtime.EmbedderMetrics;
import io.clipstream.embedder.TestCheckpoints;
import io.clipstream.model.image.DecodeBudget;
import io.clipstream.model.image.ImageLimits;
import io.clipstream.model.image.TestImages;
import io.clipstream.model.serve.CheckpointResolver;
import io.clipstream.model.store.ArtifactStore;
import io.clipstream.schemas.ImageEvent;
import io.clipstream.schemas.Topics;
import io.clipstream.schemas.serde.AvroSerde;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What a record holds once the consumer has prepared it: the pixels, not the original bytes or a copy. */
class EmbedderImageConsumerTest {

    @TempDir
    static Path store;
    private static ActiveModel model;

    private final DecodeBudget budget = new DecodeBudget(64 << 20);
    private final ImageConsumer consumer = new ImageConsumer(() -> {
        throw new UnsupportedOperationException("prepare only");
    }, Topics.IMAGES, model, new MicroBatcher<>(4, Duration.ZERO, 4), new OffsetTracker(),
            new EmbedderMetrics(new SimpleMeterRegistry()), Duration.ofSeconds(1), budget);

    @BeforeAll
    static void model() throws Exception {
        ArtifactStore artifacts = ArtifactStore.open(store.toString());
        TestCheckpoints.publish(artifacts, "6", "tiny");
        model = new ActiveModel();
        model.activate(new CheckpointResolver(artifacts, Optional.empty(), ImageLimits.DEFAULT).load("6"));
    }

    @AfterAll
    static void close() throws Exception {
        model.close();
    }

    private static ConsumerRecord<byte[], byte[]> record(String key, byte[] value) {
        return new ConsumerRecord<>(Topics.IMAGES, 0, 7, key == null ? null : key.getBytes(StandardCharsets.UTF_8),
                value);
    }

    @Test
    void aPreparedRecordKeepsItsPixelsAndLetsItsBytesAndTheirCopyGo() throws Exception {
        byte[] png = TestImages.png(640, 480, 1);
        byte[] event = AvroSerde.of(ImageEvent.class).encode(ImageEvent.newBuilder().setImageId("evt")
                .setImage(ByteBuffer.wrap(png)).setEventTime(Instant.EPOCH).setAttributes(Map.of()).build());
        int size = model.transform().orElseThrow().size();
        for (ConsumerRecord<byte[], byte[]> record : new ConsumerRecord[] {record("raw", png), record(null, event)}) {
            PendingRecord pending = consumer.prepare(record);
            assertTrue(pending.embeddable());
            assertNull(pending.value(), "the original bytes are let go once prepared");
            assertNull(((ImageInput.Image) pending.input()).encoded(), "and the decoded copy of an ImageEvent's image");
            assertNull(pending.image().encoded());
            long key = record.key() == null ? 0 : record.key().length;
            assertEquals(size * size * 3L + key, pending.bytes(), "the queue counts the pixels (and the key)");
        }
        assertTrue(budget.peak() > 0, "decoded under the budget");
        assertEquals(0, budget.inUse());
    }

    @Test
    void aRecordThatIsRejectedKeepsItsOriginalBytesForTheRejection() throws Exception {
        byte[] html = TestImages.text("<html>not an image</html>");
        PendingRecord pending = consumer.prepare(record("html", html));
        assertTrue(pending.input() instanceof ImageInput.Invalid);
        assertArrayEquals(html, pending.value());
        assertEquals(html.length + 4, pending.bytes());
    }
}
