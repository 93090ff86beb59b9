package io.clipstream.schemas;

import io.clipstream.schemas.serde.SchemaHistory;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.List;
import java.util.Optional;
import org.apache.avro.Schema;

/**
 * Poison records for tests: a few bytes with a valid single-object header that declare a string, bytes or
 * collection of about 2 GiB. Shared with the services' tests through this module's test jar.
 */
public final class PoisonRecords {

    /** The largest length Avro 1.12 accepts before its own "VM limit" check: the worst case it allocates. */
    public static final long HUGE = Integer.MAX_VALUE - 8;

    private PoisonRecords() {
    }

    /**
     * A single-object encoded {@code schema} record up to its first value of {@code kind}: the smallest valid value
     * for every field before it, then a declared length (or item count) of {@link #HUGE}; empty when the record has
     * no such value.
     */
    public static Optional<byte[]> claiming(Schema schema, Schema.Type kind) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        if (!writeUntil(schema, kind, out)) {
            return Optional.empty();
        }
        // A few zero bytes after the length: enough for a first map entry, whose insertion would size the table.
        out.writeBytes(new byte[16]);
        return Optional.of(singleObject(schema, out.toByteArray()));
    }

    /** A {@code type} record whose first string declares {@link #HUGE} bytes (every record starts with one). */
    public static byte[] hugeString(Schema type) {
        return claiming(type, Schema.Type.STRING).orElseThrow();
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
