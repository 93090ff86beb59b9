package io.clipstream.schemas;

import java.nio.ByteBuffer;
import java.time.Instant;
import java.util.Map;

/** Builds {@link Rejected} records: the reason, a message for people, and everything needed to replay the input. */
public final class Rejections {

    private Rejections() {
    }

    /**
     * @param id        pair or image id when known, else {@code null}
     * @param source    where the input was read (topic, partition, offset)
     * @param key       the input's key bytes, kept for replay
     * @param value     the input's value bytes, kept for replay
     * @param service   the service that rejects it
     */
    public static Rejected of(String id, RejectReason reason, String message, Source source, byte[] key, byte[] value,
            String service, String modelVersion, Map<String, String> attributes) {
        return Rejected.newBuilder()
                .setId(id)
                .setReason(reason)
                .setMessage(message == null || message.isBlank() ? reason.name() : message)
                .setSourceTopic(source.topic())
                .setSourcePartition(source.partition())
                .setSourceOffset(source.offset())
                .setOriginalKey(key == null ? null : ByteBuffer.wrap(key))
                .setOriginalValue(value == null ? null : ByteBuffer.wrap(value))
                .setService(service)
                .setModelVersion(modelVersion)
                .setRejectedTime(Instant.now())
                .setAttributes(attributes == null ? Map.of() : attributes)
                .build();
    }

    /** Where a record was read; partition and offset are -1 when it did not come from Kafka (an HTTP call). */
    public record Source(String topic, int partition, long offset) {
        public static Source unknown(String topic) {
            return new Source(topic, -1, -1L);
        }
    }
}
