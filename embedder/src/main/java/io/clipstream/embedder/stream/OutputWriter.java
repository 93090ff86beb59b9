package io.clipstream.embedder.stream;

import io.clipstream.embedder.EmbedderMetrics;
import io.clipstream.embedder.ImageInput;
import io.clipstream.embedder.OffsetTracker;
import io.clipstream.schemas.ImageEmbedding;
import io.clipstream.schemas.RejectReason;
import io.clipstream.schemas.Rejected;
import io.clipstream.schemas.Rejections;
import io.clipstream.schemas.Topics;
import io.clipstream.schemas.serde.AvroSerde;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;

/**
 * Writes each record's one output, an embedding or a rejection, and reports it to the {@link OffsetTracker} when the
 * broker acknowledges it (or fails to). Outputs are sent in input order; the idempotent producer keeps that order
 * within every output partition.
 */
final class OutputWriter implements AutoCloseable {

    static final String SERVICE = "embedder";
    /** Room for a rejection's own fields beside the original bytes. */
    private static final int REJECTION_OVERHEAD = 64 * 1024;

    private final Producer<byte[], byte[]> producer;
    private final String embeddingsTopic;
    private final String rejectedTopic;
    private final OffsetTracker offsets;
    private final EmbedderMetrics metrics;
    private final AvroSerde<ImageEmbedding> embeddings = AvroSerde.of(ImageEmbedding.class);
    private final AvroSerde<Rejected> rejections = AvroSerde.of(Rejected.class);

    OutputWriter(Producer<byte[], byte[]> producer, String embeddingsTopic, String rejectedTopic, OffsetTracker offsets,
            EmbedderMetrics metrics) {
        this.producer = producer;
        this.embeddingsTopic = embeddingsTopic;
        this.rejectedTopic = rejectedTopic;
        this.offsets = offsets;
        this.metrics = metrics;
    }

    void embedding(PendingRecord record, String modelVersion, float[] vector, Instant embeddedTime) {
        ImageInput.Image image = (ImageInput.Image) record.input();
        List<Float> values = new ArrayList<>(vector.length);
        for (float v : vector) {
            values.add(v);
        }
        ImageEmbedding embedding = ImageEmbedding.newBuilder()
                .setImageId(image.imageId())
                .setVector(values)
                .setModelVersion(modelVersion)
                .setEventTime(image.eventTime())
                .setEmbeddedTime(embeddedTime)
                .setAttributes(image.attributes())
                .build();
        send(record, new ProducerRecord<>(embeddingsTopic, utf8(image.imageId()), embeddings.encode(embedding)), () -> {
            metrics.embedded(EmbedderMetrics.Source.STREAM, 1);
            if (record.timestamp() >= 0) {
                metrics.latency(Duration.ofMillis(System.currentTimeMillis() - record.timestamp()));
            }
        });
    }

    /** Rejects the record: its reason, a message for people, where it came from and its original bytes. */
    void rejection(PendingRecord record, RejectReason reason, String message, String modelVersion) {
        String id = record.input().imageId();
        byte[] value = record.value();
        String text = message;
        if (value != null && value.length > Topics.MAX_MESSAGE_BYTES - REJECTION_OVERHEAD) {
            // The original plus the rejection's fields would not fit the topic: keep the reason, say where the bytes are.
            text = message + " (the original " + value.length + " bytes are left out: too large for "
                    + rejectedTopic + "; they stay at the source offset)";
            value = null;
        } else if (value == null && record.embeddable()) {
            // Let go once the pixels were made (they bound the queue's bytes); the source offset still has them.
            text = message + " (the original bytes are left out: released once decoded; they stay at the source"
                    + " offset)";
        }
        Rejected rejected = Rejections.of(id, reason, text, record.source(), record.key(), value, SERVICE,
                modelVersion, record.input().attributes());
        byte[] key = id != null ? utf8(id) : record.key();
        send(record, new ProducerRecord<>(rejectedTopic, key, rejections.encode(rejected)),
                () -> metrics.rejected(reason));
    }

    /** The record got no output (no model, shutting down): it is read again from the last commit. */
    void abandon(PendingRecord record, Exception cause) {
        offsets.failed(record.partition(), record.offset(), cause);
    }

    private void send(PendingRecord record, ProducerRecord<byte[], byte[]> output, Runnable onAcknowledged) {
        try {
            producer.send(output, (metadata, error) -> {
                if (error == null) {
                    offsets.completed(record.partition(), record.offset());
                    onAcknowledged.run();
                } else {
                    offsets.failed(record.partition(), record.offset(), error);
                }
            });
        } catch (RuntimeException e) {
            offsets.failed(record.partition(), record.offset(), e);
        }
    }

    private static byte[] utf8(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    @Override
    public void close() {
        producer.close(Duration.ofSeconds(30));
    }
}
