package io.clipstream.embedder.stream;

import io.clipstream.schemas.AttributeLimits;
import io.clipstream.schemas.ImageEvent;
import io.clipstream.schemas.RejectReason;
import io.clipstream.schemas.serde.AvroSerde;
import io.clipstream.schemas.serde.RecordDecodingException;
import io.clipstream.schemas.serde.SingleObjectEncoding;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.Header;

/**
 * Reads a record of clipstream.images. Its value is either an Avro {@link ImageEvent} (recognised by the
 * single-object marker) or the encoded image itself, as any Kafka client or kafka-console-producer sends it:
 * <ul>
 * <li>raw image: the key is the image id, the record timestamp the event time, header {@code content-type} the
 * declared type, headers {@code attr.<name>} the attributes;</li>
 * <li>ImageEvent: id, event time and attributes from the event (header attributes are kept where the event has
 * none of that name); the key is the id when the event's is blank.</li>
 * </ul>
 * A record without an image id is invalid: an embedding is found by its id, and one made up here (a random id, or
 * topic-partition-offset) would name nothing the producer knows. So is one whose attributes are over
 * {@link AttributeLimits}: they would ride along to its embedding (the rejection leaves them out).
 */
final class ImageRecordReader {

    public static final String CONTENT_TYPE_HEADER = "content-type";
    public static final String ATTRIBUTE_HEADER_PREFIX = "attr.";

    private final AvroSerde<ImageEvent> events = AvroSerde.of(ImageEvent.class);

    public ImageInput read(ConsumerRecord<byte[], byte[]> record) {
        String key = record.key() == null ? null : new String(record.key(), StandardCharsets.UTF_8);
        Map<String, String> headerAttributes = attributes(record);
        Optional<String> overCaps = AttributeLimits.DEFAULT.violation(headerAttributes);
        if (overCaps.isPresent()) {
            return new ImageInput.Invalid(key, RejectReason.INVALID_RECORD, "attr.* headers: " + overCaps.get(), Map.of());
        }
        byte[] value = record.value();
        if (value == null) {
            return new ImageInput.Invalid(key, RejectReason.INVALID_RECORD,
                    "empty value (a tombstone): records of clipstream.images carry an encoded image or an ImageEvent",
                    headerAttributes);
        }
        if (SingleObjectEncoding.isAvro(value)) {
            return readEvent(key, value, headerAttributes);
        }
        if (isBlank(key)) {
            return new ImageInput.Invalid(null, RejectReason.INVALID_RECORD,
                    "no image id: a raw image record needs the image id as its key (embeddings are found by id); "
                            + "or send an ImageEvent with imageId set", headerAttributes);
        }
        Instant eventTime = record.timestamp() >= 0 ? Instant.ofEpochMilli(record.timestamp()) : Instant.now();
        return new ImageInput.Image(key, value, header(record, CONTENT_TYPE_HEADER), eventTime, headerAttributes);
    }

    private ImageInput readEvent(String key, byte[] value, Map<String, String> headerAttributes) {
        ImageEvent event;
        try {
            event = events.decode(value);
        } catch (RecordDecodingException e) {
            return new ImageInput.Invalid(key, e.reason(), e.getMessage(), headerAttributes);
        }
        Map<String, String> attributes = new LinkedHashMap<>(headerAttributes);
        attributes.putAll(event.getAttributes());
        String id = isBlank(event.getImageId()) ? key : event.getImageId();
        Optional<String> overCaps = AttributeLimits.DEFAULT.violation(attributes);
        if (overCaps.isPresent()) {
            return new ImageInput.Invalid(id, RejectReason.INVALID_RECORD, overCaps.get(), Map.of());
        }
        if (isBlank(id)) {
            return new ImageInput.Invalid(null, RejectReason.INVALID_RECORD,
                    "no image id: the ImageEvent's imageId is blank and the record has no key", attributes);
        }
        return new ImageInput.Image(id, bytes(event.getImage()), event.getContentType(), event.getEventTime(),
                attributes);
    }

    private static Map<String, String> attributes(ConsumerRecord<byte[], byte[]> record) {
        Map<String, String> attributes = new LinkedHashMap<>();
        for (Header header : record.headers()) {
            if (header.key().startsWith(ATTRIBUTE_HEADER_PREFIX) && header.key().length() > ATTRIBUTE_HEADER_PREFIX.length()) {
                attributes.put(header.key().substring(ATTRIBUTE_HEADER_PREFIX.length()), text(header.value()));
            }
        }
        return attributes;
    }

    /** The last header of that name, any case (HTTP habits: Content-Type). */
    private static String header(ConsumerRecord<byte[], byte[]> record, String name) {
        String found = null;
        for (Header header : record.headers()) {
            if (header.key().equalsIgnoreCase(name)) {
                found = text(header.value());
            }
        }
        return found;
    }

    private static String text(byte[] bytes) {
        return bytes == null ? "" : new String(bytes, StandardCharsets.UTF_8);
    }

    private static boolean isBlank(String s) {
        return s == null || s.isBlank();
    }

    private static byte[] bytes(ByteBuffer buffer) {
        ByteBuffer view = buffer.duplicate();
        byte[] bytes = new byte[view.remaining()];
        view.get(bytes);
        return bytes;
    }
}
