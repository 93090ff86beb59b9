package io.clipstream.embedder.stream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.clipstream.embedder.runtime.EmbedderMetrics;
import io.clipstream.schemas.ImageEmbedding;
import io.clipstream.schemas.RejectReason;
import io.clipstream.schemas.Rejected;
import io.clipstream.schemas.Topics;
import io.clipstream.schemas.serde.AvroSerde;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.MockProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.TimeoutException;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.Test;

/** Outputs and their acknowledgements, with the broker's answers in the test's hands (MockProducer). */
class EmbedderOutputWriterTest {

    private static final TopicPartition INPUT = new TopicPartition(Topics.IMAGES, 4);

    private final MockProducer<byte[], byte[]> producer = new MockProducer<>(false, null, new ByteArraySerializer(),
            new ByteArraySerializer());
    private final OffsetTracker offsets = new OffsetTracker();
    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    private final OutputWriter writer = new OutputWriter(producer, Topics.EMBEDDINGS, Topics.IMAGES_REJECTED, offsets,
            new EmbedderMetrics(registry));

    private PendingRecord record(long offset, ImageInput input, byte[] value) {
        offsets.submitted(INPUT, offset);
        return new PendingRecord(INPUT, offset, 1_000, "key".getBytes(StandardCharsets.UTF_8), value, input, null,
                System.nanoTime());
    }

    @Test
    void anEmbeddingCarriesIdVectorVersionTimesAndAttributesAndCompletesOnAcknowledgement() {
        Instant eventTime = Instant.parse("2026-02-02T10:00:00Z");
        ImageInput.Image image = new ImageInput.Image("cat-1", new byte[] {1}, "image/png", eventTime,
                Map.of("camera", "7"));
        writer.embedding(record(10, image, new byte[] {1}), "5", new float[] {0.6f, 0.8f},
                Instant.parse("2026-02-02T10:00:01Z"));

        ProducerRecord<byte[], byte[]> sent = producer.history().get(0);
        assertEquals(Topics.EMBEDDINGS, sent.topic());
        assertEquals("cat-1", new String(sent.key(), StandardCharsets.UTF_8));
        ImageEmbedding embedding = AvroSerde.of(ImageEmbedding.class).decode(sent.value());
        assertEquals(List.of(0.6f, 0.8f), embedding.getVector());
        assertEquals("5", embedding.getModelVersion());
        assertEquals(eventTime, embedding.getEventTime());
        assertEquals(Map.of("camera", "7"), embedding.getAttributes());

        assertEquals(Map.of(INPUT, new OffsetAndMetadata(10)), offsets.committable(), "not before the broker says so");
        producer.completeNext();
        assertEquals(Map.of(INPUT, new OffsetAndMetadata(11)), offsets.committable());
        assertEquals(1.0, registry.counter("clipstream.embedder.images.embedded", "source", "stream").count());
    }

    @Test
    void aRejectionKeepsTheOriginalBytesUnlessTheyWouldNotFitTheTopic() {
        byte[] small = {9, 8, 7};
        writer.rejection(record(1, new ImageInput.Invalid("a", RejectReason.CORRUPT_IMAGE, "cut short", Map.of()),
                small), RejectReason.CORRUPT_IMAGE, "cut short", null);
        byte[] huge = new byte[Topics.MAX_MESSAGE_BYTES - 1000];
        writer.rejection(record(2, new ImageInput.Invalid("b", RejectReason.IMAGE_TOO_MANY_BYTES, "too big", Map.of()),
                huge), RejectReason.IMAGE_TOO_MANY_BYTES, "too big", null);

        AvroSerde<Rejected> serde = AvroSerde.of(Rejected.class);
        Rejected kept = serde.decode(producer.history().get(0).value());
        assertArrayEquals(small, kept.getOriginalValue().array());
        assertEquals(4, kept.getSourcePartition());
        assertEquals(1, kept.getSourceOffset());
        Rejected dropped = serde.decode(producer.history().get(1).value());
        assertNull(dropped.getOriginalValue());
        assertTrue(dropped.getMessage().startsWith("too big (the original " + huge.length + " bytes are left out"),
                dropped.getMessage());
        assertEquals("b", new String(producer.history().get(1).key(), StandardCharsets.UTF_8));
    }

    @Test
    void aFailedOutputIsReportedAndHoldsTheCommitBeforeIt() {
        ImageInput.Invalid invalid = new ImageInput.Invalid(null, RejectReason.INVALID_RECORD, "no id", Map.of());
        writer.rejection(record(7, invalid, new byte[] {1}), RejectReason.INVALID_RECORD, "no id", null);
        writer.rejection(record(8, invalid, new byte[] {2}), RejectReason.INVALID_RECORD, "no id", null);
        assertArrayEquals("key".getBytes(StandardCharsets.UTF_8), producer.history().get(0).key(),
                "without an image id the original key is kept");
        producer.errorNext(new TimeoutException("broker gone"));
        producer.completeNext();

        assertTrue(offsets.failure().orElseThrow().getMessage().contains("broker gone"));
        assertEquals(Map.of(INPUT, new OffsetAndMetadata(7)), offsets.committable(), "7 failed: 8 is not committed");
        assertEquals(0, offsets.inFlight());
    }
}
