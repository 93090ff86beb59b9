package io.clipstream.embedder.stream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.clipstream.schemas.ImageEvent;
import io.clipstream.schemas.RejectReason;
import io.clipstream.schemas.serde.AvroSerde;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Arrays;
import java.util.Map;
import java.util.Optional;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.record.TimestampType;
import org.junit.jupiter.api.Test;

class EmbedderRecordReaderTest {

    private static final byte[] PNG = {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1A, '\n', 0, 0, 0, 13};
    private static final long TIMESTAMP = 1_700_000_000_123L;

    private final ImageRecordReader reader = new ImageRecordReader();

    private static ConsumerRecord<byte[], byte[]> record(String key, byte[] value, RecordHeaders headers) {
        return new ConsumerRecord<>("clipstream.images", 2, 41, TIMESTAMP, TimestampType.CREATE_TIME, -1, -1,
                key == null ? null : key.getBytes(StandardCharsets.UTF_8), value, headers, Optional.empty());
    }

    private static RecordHeaders headers(String... namesAndValues) {
        RecordHeaders headers = new RecordHeaders();
        for (int i = 0; i < namesAndValues.length; i += 2) {
            headers.add(namesAndValues[i], namesAndValues[i + 1].getBytes(StandardCharsets.UTF_8));
        }
        return headers;
    }

    private static byte[] event(String imageId, Map<String, String> attributes) {
        return AvroSerde.of(ImageEvent.class).encode(ImageEvent.newBuilder().setImageId(imageId)
                .setImage(ByteBuffer.wrap(PNG)).setContentType("image/png")
                .setEventTime(Instant.ofEpochMilli(42)).setAttributes(attributes).build());
    }

    @Test
    void aRawImageIsKeyedByItsIdTimedByTheRecordAndAttributedByHeaders() {
        ImageInput input = reader.read(record("cat-7", PNG, headers("Content-Type", "image/png", "attr.camera", "7",
                "attr.site", "north", "attr.", "nameless", "trace-id", "abc")));
        ImageInput.Image image = (ImageInput.Image) input;
        assertEquals("cat-7", image.imageId());
        assertArrayEquals(PNG, image.encoded());
        assertEquals("image/png", image.contentType());
        assertEquals(Instant.ofEpochMilli(TIMESTAMP), image.eventTime());
        assertEquals(Map.of("camera", "7", "site", "north"), image.attributes());
    }

    @Test
    void aRawImageWithoutKeyIsInvalidWithAMessageSayingWhy() {
        for (String key : new String[] {null, "", "  "}) {
            ImageInput.Invalid invalid = (ImageInput.Invalid) reader.read(record(key, PNG, headers("attr.a", "1")));
            assertEquals(RejectReason.INVALID_RECORD, invalid.reason());
            assertNull(invalid.imageId());
            assertTrue(invalid.message().contains("key"), invalid.message());
            assertEquals(Map.of("a", "1"), invalid.attributes());
        }
    }

    @Test
    void aTombstoneIsInvalid() {
        ImageInput.Invalid invalid = (ImageInput.Invalid) reader.read(record("gone", null, headers()));
        assertEquals(RejectReason.INVALID_RECORD, invalid.reason());
        assertEquals("gone", invalid.imageId());
    }

    @Test
    void anImageEventCarriesItsOwnIdTimeAndAttributesOverHeaderOnes() {
        ImageInput.Image image = (ImageInput.Image) reader.read(record("other-key",
                event("evt-1", Map.of("camera", "event")), headers("attr.camera", "header", "attr.extra", "x")));
        assertEquals("evt-1", image.imageId());
        assertArrayEquals(PNG, image.encoded());
        assertEquals(Instant.ofEpochMilli(42), image.eventTime());
        assertEquals(Map.of("camera", "event", "extra", "x"), image.attributes());
    }

    @Test
    void anImageEventWithABlankIdFallsBackToTheKeyAndWithoutEitherIsInvalid() {
        assertEquals("the-key", reader.read(record("the-key", event(" ", Map.of()), headers())).imageId());
        ImageInput.Invalid invalid = (ImageInput.Invalid) reader.read(record(null, event("", Map.of()), headers()));
        assertEquals(RejectReason.INVALID_RECORD, invalid.reason());
    }

    @Test
    void corruptOrForeignAvroIsRejectedWithTheSerdesReason() {
        byte[] corrupt = event("x", Map.of());
        byte[] truncated = Arrays.copyOf(corrupt, 14);
        assertEquals(RejectReason.UNDECODABLE_RECORD,
                ((ImageInput.Invalid) reader.read(record("k", truncated, headers()))).reason());
        byte[] foreign = corrupt.clone();
        foreign[5] ^= 0x5A; // another schema fingerprint
        assertEquals(RejectReason.UNKNOWN_SCHEMA,
                ((ImageInput.Invalid) reader.read(record("k", foreign, headers()))).reason());
    }
}
