package io.clipstream.embedder.stream;

import io.clipstream.embedder.runtime.EmbedderMetrics;
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
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.RetriableException;

/**
 * Writes each record's one output, an embedding or a rejection, and reports it to the {@link OffsetTracker} when the
 * broker acknowledges it (or fails to). Outputs are sent in input order; the idempotent producer keeps that order
 * within every output partition.
 *
 * <p>An output the broker or the client refuses for good (too large, invalid) fails its input, which is read and
 * embedded again from the last commit; after {@link #MAX_OUTPUT_ATTEMPTS} such failures of one input it is
 * dead-lettered instead: a rejection that names the failure, without the attributes (often the cause), so a record
 * that can never be written does not hold its partition forever. Retriable failures (the broker away) never count:
 * they are no fault of the record.
 */
final class OutputWriter implements AutoCloseable {

    static final String SERVICE = "embedder";
    /** Room for a rejection's own fields beside the original bytes. */
    private static final int REJECTION_OVERHEAD = 64 * 1024;
    /** Refused outputs of one input before it is dead-lettered. */
    static final int MAX_OUTPUT_ATTEMPTS = 3;

    private final Producer<byte[], byte[]> producer;
    private final String embeddingsTopic;
    private final String rejectedTopic;
    private final OffsetTracker offsets;
    private final EmbedderMetrics metrics;
    private final AvroSerde<ImageEmbedding> embeddings = AvroSerde.of(ImageEmbedding.class);
    private final AvroSerde<Rejected> rejections = AvroSerde.of(Rejected.class);
    /** Refused outputs so far, by input; written by producer callbacks. */
    private final Map<Input, Integer> refusals = new ConcurrentHashMap<>();
    // Dead letters are sent from here, not from the producer callback that learns of the refusal: a send on the
    // producer's own I/O thread may wait for metadata that only that thread can fetch.
    private final ExecutorService deadLetters = Executors.newSingleThreadExecutor(r -> {
        Thread thread = new Thread(r, "embedder-dead-letters");
        thread.setDaemon(true);
        return thread;
    });

    private record Input(TopicPartition partition, long offset) {
    }

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
        rejection(record, reason, message, modelVersion, record.input().attributes(), false);
    }

    private void rejection(PendingRecord record, RejectReason reason, String message, String modelVersion,
            Map<String, String> attributes, boolean deadLetter) {
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
                modelVersion, attributes);
        byte[] key = id != null ? utf8(id) : record.key();
        send(record, new ProducerRecord<>(rejectedTopic, key, rejections.encode(rejected)),
                () -> metrics.rejected(reason), deadLetter);
    }

    /** The record got no output (no model, shutting down): it is read again from the last commit. */
    void abandon(PendingRecord record, Exception cause) {
        offsets.failed(record.partition(), record.offset(), cause);
    }

    private void send(PendingRecord record, ProducerRecord<byte[], byte[]> output, Runnable onAcknowledged) {
        send(record, output, onAcknowledged, false);
    }

    private void send(PendingRecord record, ProducerRecord<byte[], byte[]> output, Runnable onAcknowledged,
            boolean deadLetter) {
        try {
            producer.send(output, (metadata, error) -> {
                if (error == null) {
                    refusals.remove(new Input(record.partition(), record.offset()));
                    offsets.completed(record.partition(), record.offset());
                    onAcknowledged.run();
                } else {
                    refused(record, output, error, deadLetter);
                }
            });
        } catch (RuntimeException e) {
            refused(record, output, e, deadLetter);
        }
    }

    private void refused(PendingRecord record, ProducerRecord<byte[], byte[]> output, Exception error,
            boolean deadLetter) {
        if (deadLetter || error instanceof RetriableException) {
            offsets.failed(record.partition(), record.offset(), error);
            return;
        }
        int refused = refusals.merge(new Input(record.partition(), record.offset()), 1, Integer::sum);
        if (refused < MAX_OUTPUT_ATTEMPTS) {
            offsets.failed(record.partition(), record.offset(), error);
            return;
        }
        // The offset is still in flight: the dead letter's acknowledgement (or failure) finishes it.
        String message = "its output to " + output.topic() + " was refused " + refused + " times (" + error
                + "); the attributes are left out of this rejection";
        try {
            deadLetters.execute(() -> rejection(record, RejectReason.INTERNAL_ERROR, message, null, Map.of(), true));
        } catch (RejectedExecutionException closing) {
            offsets.failed(record.partition(), record.offset(), error);
        }
    }

    private static byte[] utf8(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    @Override
    public void close() {
        deadLetters.shutdown();
        try {
            deadLetters.awaitTermination(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        producer.close(Duration.ofSeconds(30));
    }
}
