package io.clipstream.schemas.serde;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import org.apache.avro.io.BinaryDecoder;
import org.apache.avro.io.Decoder;
import org.apache.avro.io.DecoderFactory;
import org.apache.avro.util.Utf8;

/**
 * Avro binary decoding of one record held in a byte array that refuses any declared length or item count larger
 * than the bytes that remain, before it allocates anything. Avro 1.12's decoders allocate what a length declares
 * and only then read (its global {@code org.apache.avro.limits.*} allow ~2 GiB), so a 20-byte record could ask for
 * 2 GiB. Here nothing can be larger than the record itself, whatever the JVM's settings.
 *
 * <p>An item count is bounded by the remaining bytes because every item of the platform's schemas takes at least one
 * byte (no array of nulls exists).
 */
final class BoundedDecoder extends Decoder {

    private final ByteArrayInputStream input;
    // The direct decoder reads its stream byte by byte, never ahead, so input.available() is exactly what remains.
    private final BinaryDecoder binary;

    BoundedDecoder(byte[] bytes, int offset) {
        this.input = new ByteArrayInputStream(bytes, offset, bytes.length - offset);
        this.binary = DecoderFactory.get().directBinaryDecoder(input, null);
    }

    /** A length or count that cannot fit in what remains of the record. */
    static final class DeclaredLengthException extends IOException {
        DeclaredLengthException(String what, long declared, int remaining) {
            super(what + " declares " + declared + " but only " + remaining + " bytes remain");
        }
    }

    private int checked(String what, long declared) throws IOException {
        int remaining = input.available();
        if (declared < 0 || declared > remaining) {
            throw new DeclaredLengthException(what, declared, remaining);
        }
        return (int) declared;
    }

    private byte[] readLengthPrefixed(String what) throws IOException {
        byte[] bytes = new byte[checked(what, binary.readLong())];
        binary.readFixed(bytes);
        return bytes;
    }

    @Override
    public Utf8 readString(Utf8 old) throws IOException {
        return new Utf8(readLengthPrefixed("a string"));
    }

    @Override
    public String readString() throws IOException {
        return new String(readLengthPrefixed("a string"), StandardCharsets.UTF_8);
    }

    @Override
    public void skipString() throws IOException {
        binary.skipFixed(checked("a string", binary.readLong()));
    }

    @Override
    public ByteBuffer readBytes(ByteBuffer old) throws IOException {
        return ByteBuffer.wrap(readLengthPrefixed("a bytes value"));
    }

    @Override
    public void skipBytes() throws IOException {
        binary.skipFixed(checked("a bytes value", binary.readLong()));
    }

    @Override
    public long readArrayStart() throws IOException {
        return checked("an array block", binary.readArrayStart());
    }

    @Override
    public long arrayNext() throws IOException {
        return checked("an array block", binary.arrayNext());
    }

    @Override
    public long skipArray() throws IOException {
        return checked("an array block", binary.skipArray());
    }

    @Override
    public long readMapStart() throws IOException {
        return checked("a map block", binary.readMapStart());
    }

    @Override
    public long mapNext() throws IOException {
        return checked("a map block", binary.mapNext());
    }

    @Override
    public long skipMap() throws IOException {
        return checked("a map block", binary.skipMap());
    }

    @Override
    public void readNull() throws IOException {
        binary.readNull();
    }

    @Override
    public boolean readBoolean() throws IOException {
        return binary.readBoolean();
    }

    @Override
    public int readInt() throws IOException {
        return binary.readInt();
    }

    @Override
    public long readLong() throws IOException {
        return binary.readLong();
    }

    @Override
    public float readFloat() throws IOException {
        return binary.readFloat();
    }

    @Override
    public double readDouble() throws IOException {
        return binary.readDouble();
    }

    @Override
    public void readFixed(byte[] bytes, int start, int length) throws IOException {
        binary.readFixed(bytes, start, length);
    }

    @Override
    public void skipFixed(int length) throws IOException {
        binary.skipFixed(length);
    }

    @Override
    public int readEnum() throws IOException {
        return binary.readEnum();
    }

    @Override
    public int readIndex() throws IOException {
        return binary.readIndex();
    }
}
