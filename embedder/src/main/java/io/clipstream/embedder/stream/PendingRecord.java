package io.clipstream.embedder.stream;

import io.clipstream.embedder.ImageInput;
import io.clipstream.embedder.PreparedImage;
import io.clipstream.schemas.Rejections;
import org.apache.kafka.common.TopicPartition;

/**
 * A record of clipstream.images on its way through the pipeline: where it was read, its original bytes (a rejection
 * carries them for replay), what it asks for, and the decoded image when there is one to embed.
 *
 * @param image     the prepared image, or {@code null} when {@code input} is {@link ImageInput.Invalid}
 * @param readNanos {@link System#nanoTime()} when it was read, for the queue-wait metric
 */
record PendingRecord(TopicPartition partition, long offset, long timestamp, byte[] key, byte[] value,
        ImageInput input, PreparedImage image, long readNanos) {

    boolean embeddable() {
        return image != null;
    }

    Rejections.Source source() {
        return new Rejections.Source(partition.topic(), partition.partition(), offset);
    }
}
