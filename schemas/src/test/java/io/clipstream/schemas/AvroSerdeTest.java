package io.clipstream.schemas;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.clipstream.schemas.serde.AvroSerde;
import io.clipstream.schemas.serde.RecordDecodingException;
import io.clipstream.schemas.serde.SchemaHistory;
import io.clipstream.schemas.serde.SingleObjectEncoding;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;
import java.util.Map;
import java.util.Random;
import java.util.stream.Stream;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericDatumWriter;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.EncoderFactory;
import org.apache.avro.specific.SpecificRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

class AvroSerdeTest {

    static Stream<SpecificRecord> records() {
        return SampleRecords.all().stream();
    }

    @SuppressWarnings({"unchecked", "rawtypes"})
    static AvroSerde<SpecificRecord> serdeFor(SpecificRecord record) {
        return (AvroSerde) AvroSerde.of(record.getClass());
    }

    @ParameterizedTest
    @MethodSource("records")
    void everyRecordRoundTripsInSingleObjectEncoding(SpecificRecord record) {
        AvroSerde<SpecificRecord> serde = serdeFor(record);
        byte[] bytes = serde.serialize("t", record);

        assertTrue(SingleObjectEncoding.isAvro(bytes), "C3 01 marker");
        long fingerprint = ByteBuffer.wrap(bytes, 2, 8).order(ByteOrder.LITTLE_ENDIAN).getLong();
        assertEquals(SchemaHistory.fingerprint(record.getSchema()), fingerprint, "8-byte schema fingerprint");
        assertEquals(record, serde.deserialize("t", bytes));
    }

    @Test
    void everyCatalogRecordHasASample() {
        assertEquals(SchemaHistory.CURRENT.size(), SampleRecords.all().size());
    }

    @Test
    void tombstonesStayNull() {
        AvroSerde<LabelSet> serde = AvroSerde.of(LabelSet.class);
        assertNull(serde.serialize("t", null));
        assertNull(serde.deserialize("t", null));
    }

    @Test
    void plainImageBytesAreNotAvro() {
        byte[] png = {(byte) 0x89, 'P', 'N', 'G', 0x0D, 0x0A, 0x1A, 0x0A, 0, 0, 0, 13};
        assertTrue(!SingleObjectEncoding.isAvro(png));
        RecordDecodingException e = assertThrows(RecordDecodingException.class,
                () -> AvroSerde.of(ImageEvent.class).deserialize("t", png));
        assertEquals(RejectReason.UNDECODABLE_RECORD, e.reason());
        assertTrue(e.getMessage().contains("ImageEvent"), e.getMessage());
    }

    @Test
    void unknownFingerprintIsATypedError() {
        byte[] bytes = AvroSerde.of(ImageEmbedding.class).encode((ImageEmbedding) SampleRecords.all().get(4));
        bytes[5] ^= 0x5A; // a fingerprint no schema has
        RecordDecodingException e = assertThrows(RecordDecodingException.class,
                () -> AvroSerde.of(ImageEmbedding.class).decode(bytes));
        assertEquals(RejectReason.UNKNOWN_SCHEMA, e.reason());
        assertTrue(e.getMessage().contains("Unknown writer schema fingerprint"), e.getMessage());
    }

    @Test
    void garbageAfterAValidHeaderIsATypedErrorNeverACrash() {
        AvroSerde<Checkpoint> serde = AvroSerde.of(Checkpoint.class);
        byte[] valid = serde.encode((Checkpoint) SampleRecords.all().get(7));
        Random random = new Random(7);
        int failures = 0;
        for (int trial = 0; trial < 2_000; trial++) {
            byte[] bytes = Arrays.copyOf(valid, 10 + random.nextInt(valid.length));
            for (int i = 10; i < bytes.length; i++) {
                if (random.nextInt(4) == 0) {
                    bytes[i] = (byte) random.nextInt(256);
                }
            }
            try {
                serde.decode(bytes);
            } catch (RecordDecodingException e) {
                assertEquals(RejectReason.UNDECODABLE_RECORD, e.reason());
                failures++;
            }
        }
        assertTrue(failures > 1_000, "most mangled records must be refused, got " + failures);
    }

    @Test
    void aReaderOnTheCurrentSchemaReadsARecordWrittenWithAnOlderSchema() throws Exception {
        // An "old" ImageEmbedding: before attributes existed and with no embeddedTime.
        Schema old = new Schema.Parser().parse("""
                {"type": "record", "name": "ImageEmbedding", "namespace": "io.clipstream.schemas", "fields": [
                  {"name": "imageId", "type": "string"},
                  {"name": "vector", "type": {"type": "array", "items": "float"}},
                  {"name": "modelVersion", "type": "string"},
                  {"name": "eventTime", "type": {"type": "long", "logicalType": "timestamp-millis"}},
                  {"name": "embeddedTime", "type": {"type": "long", "logicalType": "timestamp-millis"}}]}""");
        GenericRecord oldRecord = new GenericData.Record(old);
        oldRecord.put("imageId", "i-9");
        oldRecord.put("vector", new GenericData.Array<>(Schema.createArray(Schema.create(Schema.Type.FLOAT)),
                java.util.List.of(1f, 0f)));
        oldRecord.put("modelVersion", "1");
        oldRecord.put("eventTime", 1000L);
        oldRecord.put("embeddedTime", 2000L);
        byte[] bytes = singleObject(old, oldRecord);

        AvroSerde<ImageEmbedding> current = new AvroSerde<>(ImageEmbedding.class,
                SchemaHistory.currentOnly().add(old));
        ImageEmbedding read = current.decode(bytes);
        assertEquals("i-9", read.getImageId());
        assertEquals(java.util.List.of(1f, 0f), read.getVector());
        assertEquals(Map.of(), read.getAttributes(), "missing field takes its default");

        // Without the old schema in the store the same bytes are an unknown schema, not a crash.
        RecordDecodingException e = assertThrows(RecordDecodingException.class,
                () -> new AvroSerde<>(ImageEmbedding.class, SchemaHistory.currentOnly()).decode(bytes));
        assertEquals(RejectReason.UNKNOWN_SCHEMA, e.reason());
    }

    @Test
    void unknownEnumSymbolsFromNewerWritersReadAsUnknown() throws Exception {
        Schema rejectedSchema = Rejected.getClassSchema();
        String newer = rejectedSchema.toString().replace("\"INTERNAL_ERROR\"", "\"INTERNAL_ERROR\",\"FROM_THE_FUTURE\"");
        Schema newerSchema = new Schema.Parser().parse(newer);
        GenericRecord record = new GenericData.Record(newerSchema);
        record.put("reason", new GenericData.EnumSymbol(newerSchema.getField("reason").schema(), "FROM_THE_FUTURE"));
        record.put("message", "m");
        record.put("sourceTopic", "t");
        record.put("sourcePartition", 0);
        record.put("sourceOffset", 0L);
        record.put("service", "s");
        record.put("rejectedTime", 0L);
        record.put("attributes", Map.of());
        byte[] bytes = singleObject(newerSchema, record);

        Rejected read = new AvroSerde<>(Rejected.class, SchemaHistory.currentOnly().add(newerSchema)).decode(bytes);
        assertEquals(RejectReason.UNKNOWN, read.getReason());
    }

    static byte[] singleObject(Schema schema, GenericRecord record) throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write(new byte[] {(byte) 0xC3, 0x01});
        out.write(ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putLong(SchemaHistory.fingerprint(schema)).array());
        BinaryEncoder encoder = EncoderFactory.get().binaryEncoder(out, null);
        new GenericDatumWriter<GenericRecord>(schema).write(record, encoder);
        encoder.flush();
        assertArrayEquals(new byte[] {(byte) 0xC3, 0x01}, Arrays.copyOf(out.toByteArray(), 2));
        return out.toByteArray();
    }
}
