package io.clipstream.schemas;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.clipstream.schemas.serde.AvroSerde;
import io.clipstream.schemas.serde.RecordDecodingException;
import io.clipstream.schemas.serde.SchemaHistory;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.apache.avro.Schema;
import org.apache.avro.specific.SpecificData;
import org.apache.avro.specific.SpecificRecord;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * A record of a few bytes that declares a string, bytes or collection of about 2 GiB must be refused before
 * anything of that size is allocated. Avro 1.12 allocates first (its limits default to ~2 GiB); this module's
 * tests run on a small heap (see the pom), so an allocation would end in OutOfMemoryError here.
 */
class PoisonRecordTest {

    /** The largest length Avro 1.12 accepts before its own "VM limit" check: the worst case it allocates. */
    static final long HUGE = Integer.MAX_VALUE - 8;

    static Stream<Arguments> poisons() {
        List<Arguments> cases = new ArrayList<>();
        for (Schema schema : SchemaHistory.CURRENT) {
            for (Schema.Type kind : List.of(Schema.Type.STRING, Schema.Type.BYTES, Schema.Type.ARRAY, Schema.Type.MAP)) {
                byte[] body = poisonBody(schema, kind);
                if (body != null) {
                    cases.add(Arguments.of(schema.getName(), kind, singleObject(schema, body)));
                }
            }
        }
        return cases.stream();
    }

    @ParameterizedTest(name = "{0} with a 2 GiB {1}")
    @MethodSource("poisons")
    void aDeclaredLengthPastTheEndIsRefusedBeforeItIsAllocated(String record, Schema.Type kind, byte[] poison) {
        AvroSerde<SpecificRecord> serde = serdeFor(record);
        assertTrue(poison.length < 64, "a poison record is tiny: " + poison.length + " bytes");

        RecordDecodingException e = assertThrows(RecordDecodingException.class, () -> serde.decode(poison));

        assertEquals(RejectReason.UNDECODABLE_RECORD, e.reason());
        assertTrue(e.getMessage().contains(record), e.getMessage());
        assertTrue(e.getMessage().contains(Long.toString(HUGE)), "says what was declared: " + e.getMessage());
    }

    @SuppressWarnings({"unchecked", "rawtypes"})
    private static AvroSerde<SpecificRecord> serdeFor(String record) {
        for (Schema schema : SchemaHistory.CURRENT) {
            if (schema.getName().equals(record)) {
                return (AvroSerde) AvroSerde.of(SpecificData.get().getClass(schema));
            }
        }
        throw new IllegalArgumentException(record);
    }

    /**
     * The binary body of {@code schema} up to its first value of {@code kind}, written with the smallest valid
     * value for every field before it and then a declared length (or item count) of {@link #HUGE}; null when the
     * record has no such value.
     */
    static byte[] poisonBody(Schema schema, Schema.Type kind) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        if (!writeUntil(schema, kind, out)) {
            return null;
        }
        // A few zero bytes after the length: enough for a first map entry, whose insertion would size the table.
        out.writeBytes(new byte[16]);
        return out.toByteArray();
    }

    private static boolean writeUntil(Schema schema, Schema.Type kind, ByteArrayOutputStream out) {
        switch (schema.getType()) {
            case RECORD -> {
                for (Schema.Field field : schema.getFields()) {
                    if (writeUntil(field.schema(), kind, out)) {
                        return true;
                    }
                }
                return false;
            }
            case UNION -> {
                // Take the branch that reaches the kind if one does, else the first (usually null).
                List<Schema> branches = schema.getTypes();
                for (int i = 0; i < branches.size(); i++) {
                    ByteArrayOutputStream probe = new ByteArrayOutputStream();
                    if (writeUntil(branches.get(i), kind, probe)) {
                        writeLong(out, i);
                        out.writeBytes(probe.toByteArray());
                        return true;
                    }
                }
                writeLong(out, 0);
                return writeUntil(branches.get(0), kind, out);
            }
            case STRING, BYTES, ARRAY, MAP -> {
                writeLong(out, schema.getType() == kind ? HUGE : 0);
                return schema.getType() == kind;
            }
            case INT, LONG, ENUM -> writeLong(out, 0);
            case BOOLEAN -> out.write(0);
            case FLOAT -> out.writeBytes(new byte[4]);
            case DOUBLE -> out.writeBytes(new byte[8]);
            case FIXED -> out.writeBytes(new byte[schema.getFixedSize()]);
            case NULL -> {
            }
        }
        return false;
    }

    private static void writeLong(ByteArrayOutputStream out, long value) {
        long zigzag = (value << 1) ^ (value >> 63);
        while ((zigzag & ~0x7FL) != 0) {
            out.write((int) ((zigzag & 0x7F) | 0x80));
            zigzag >>>= 7;
        }
        out.write((int) zigzag);
    }

    private static byte[] singleObject(Schema schema, byte[] body) {
        ByteBuffer bytes = ByteBuffer.allocate(10 + body.length).order(ByteOrder.LITTLE_ENDIAN);
        bytes.put((byte) 0xC3).put((byte) 0x01).putLong(SchemaHistory.fingerprint(schema)).put(body);
        return bytes.array();
    }
}
