package io.clipstream.embedder.stream;

import io.clipstream.embedder.PreparedImage;
import io.clipstream.schemas.Rejections;
import org.apache.kafka.common.TopicPartition;

/**
 * A record of clipstream.images on its way through the pipeline: where it was read, its original bytes (a rejection
 * carries them for replay), what it asks for, and the decoded image when there is one to embed.
 *
 * @param value     the original bytes; {@code null} once the image is prepared: its pixels are what the batch needs,
 *                  and a record the model then fails on is found again by its source offset
 * @param image     the prepared image, or {@code null} when {@code input} is {@link ImageInput.Invalid}
 * @param readNanos {@link System#nanoTime()} when it was read, for the queue-wait metric
 */
record PendingRecord(TopicPartition partition, long offset, long timestamp, byte[] key, byte[] value,
        ImageInput input, PreparedImage image, long readNanos) {

    /** The heap this record holds while queued, in bytes: what the queue's byte bound counts. */
    long bytes() {
        long bytes = (key == null ? 0 : key.length) + (value == null ? 0 : value.length);
        if (input instanceof ImageInput.Image wanted && wanted.encoded() != null && wanted.encoded() != value) {
            bytes += wanted.encoded().length;
        }
        return bytes + (image == null ? 0 : image.bytes());
    }

    boolean embeddable() {
        return image != null;
    }

    Rejections.Source source() {
        return new Rejections.Source(partition.topic(), partition.partition(), offset);
    }
}
