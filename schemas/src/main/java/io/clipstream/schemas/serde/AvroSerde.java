package io.clipstream.schemas.serde;

import io.clipstream.schemas.RejectReason;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.avro.AvroRuntimeException;
import org.apache.avro.Schema;
import org.apache.avro.io.DatumReader;
import org.apache.avro.message.BinaryMessageEncoder;
import org.apache.avro.message.SchemaStore;
import org.apache.avro.specific.SpecificData;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serializer;

/**
 * Kafka serde for one Avro record type in Avro's single-object encoding ({@code C3 01}, the 8-byte schema
 * fingerprint, the binary record). No registry: older writer schemas are resolved from {@link SchemaHistory}.
 * A {@code null} value (a tombstone) stays {@code null}. Values that cannot be read throw
 * {@link RecordDecodingException}, including records that declare a string, bytes or collection longer than
 * the record itself: they are refused before anything of that size is allocated ({@link BoundedDecoder}).
 */
public final class AvroSerde<T extends SpecificRecord> implements Serde<T>, Serializer<T>, Deserializer<T> {

    private final Class<T> type;
    private final BinaryMessageEncoder<T> encoder;
    private final SpecificData model;
    private final Schema readerSchema;
    private final SchemaStore writerSchemas;
    private final Map<Long, DatumReader<T>> readers = new ConcurrentHashMap<>();

    public AvroSerde(Class<T> type, SchemaStore writerSchemas) {
        this.type = Objects.requireNonNull(type);
        this.model = SpecificData.getForClass(type);
        this.readerSchema = model.getSchema(type);
        this.writerSchemas = Objects.requireNonNull(writerSchemas);
        this.encoder = new BinaryMessageEncoder<>(model, readerSchema);
    }

    /** A serde that reads every released version of {@code type}. */
    public static <T extends SpecificRecord> AvroSerde<T> of(Class<T> type) {
        return new AvroSerde<>(type, SchemaHistory.released());
    }

    public Class<T> type() {
        return type;
    }

    public byte[] encode(T record) {
        if (record == null) {
            return null;
        }
        try {
            ByteBuffer buffer = encoder.encode(record);
            byte[] bytes = new byte[buffer.remaining()];
            buffer.get(bytes);
            return bytes;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public T decode(byte[] bytes) {
        if (bytes == null) {
            return null;
        }
        if (!SingleObjectEncoding.isAvro(bytes)) {
            throw new RecordDecodingException(RejectReason.UNDECODABLE_RECORD,
                    "Not an Avro single-object encoded " + type.getSimpleName() + " (" + bytes.length
                            + " bytes, no C3 01 marker)", null);
        }
        long fingerprint = ByteBuffer.wrap(bytes, 2, 8).order(ByteOrder.LITTLE_ENDIAN).getLong();
        DatumReader<T> reader = readerFor(fingerprint);
        if (reader == null) {
            throw new RecordDecodingException(RejectReason.UNKNOWN_SCHEMA,
                    "Unknown writer schema fingerprint " + SingleObjectEncoding.fingerprintHex(bytes) + " for "
                            + type.getSimpleName() + ": written by a newer or foreign producer", null);
        }
        try {
            return reader.read(null, new BoundedDecoder(bytes, SingleObjectEncoding.HEADER_LENGTH));
        } catch (BoundedDecoder.DeclaredLengthException e) {
            throw new RecordDecodingException(RejectReason.UNDECODABLE_RECORD,
                    "Corrupt " + type.getSimpleName() + " record (" + bytes.length + " bytes): " + e.getMessage(), e);
        } catch (IOException | AvroRuntimeException | IndexOutOfBoundsException | NegativeArraySizeException
                | ClassCastException | UnsupportedOperationException e) {
            throw new RecordDecodingException(RejectReason.UNDECODABLE_RECORD,
                    "Corrupt " + type.getSimpleName() + " record (" + bytes.length + " bytes): " + e, e);
        }
    }

    /** The reader from one writer schema to this type's schema; null for a fingerprint no released schema has. */
    @SuppressWarnings("unchecked")
    private DatumReader<T> readerFor(long fingerprint) {
        DatumReader<T> reader = readers.get(fingerprint);
        if (reader == null) {
            Schema writer = writerSchemas.findByFingerprint(fingerprint);
            if (writer == null) {
                return null;
            }
            reader = readers.computeIfAbsent(fingerprint,
                    f -> (DatumReader<T>) model.createDatumReader(writer, readerSchema));
        }
        return reader;
    }

    @Override
    public byte[] serialize(String topic, T data) {
        return encode(data);
    }

    @Override
    public T deserialize(String topic, byte[] data) {
        return decode(data);
    }

    @Override
    public Serializer<T> serializer() {
        return this;
    }

    @Override
    public Deserializer<T> deserializer() {
        return this;
    }

    @Override
    public void configure(Map<String, ?> configs, boolean isKey) {
        // Nothing to configure: the type and the schema history are fixed at construction.
    }

    @Override
    public void close() {
        // Stateless: nothing to release.
    }
}
