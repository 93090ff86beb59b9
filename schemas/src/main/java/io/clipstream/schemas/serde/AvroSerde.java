package io.clipstream.schemas.serde;

import io.clipstream.schemas.RejectReason;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.util.Map;
import java.util.Objects;
import org.apache.avro.AvroRuntimeException;
import org.apache.avro.Schema;
import org.apache.avro.message.BadHeaderException;
import org.apache.avro.message.BinaryMessageDecoder;
import org.apache.avro.message.BinaryMessageEncoder;
import org.apache.avro.message.MissingSchemaException;
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
 * {@link RecordDecodingException}.
 */
public final class AvroSerde<T extends SpecificRecord> implements Serde<T>, Serializer<T>, Deserializer<T> {

    private final Class<T> type;
    private final BinaryMessageEncoder<T> encoder;
    private final BinaryMessageDecoder<T> decoder;

    public AvroSerde(Class<T> type, SchemaStore writerSchemas) {
        this.type = Objects.requireNonNull(type);
        SpecificData model = SpecificData.getForClass(type);
        Schema schema = model.getSchema(type);
        this.encoder = new BinaryMessageEncoder<>(model, schema);
        this.decoder = new BinaryMessageDecoder<>(model, schema, writerSchemas);
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
        try {
            return decoder.decode(bytes);
        } catch (MissingSchemaException e) {
            throw new RecordDecodingException(RejectReason.UNKNOWN_SCHEMA,
                    "Unknown writer schema fingerprint " + SingleObjectEncoding.fingerprintHex(bytes) + " for "
                            + type.getSimpleName() + ": written by a newer or foreign producer", e);
        } catch (BadHeaderException e) {
            throw new RecordDecodingException(RejectReason.UNDECODABLE_RECORD,
                    "Bad single-object header for " + type.getSimpleName() + ": " + e.getMessage(), e);
        } catch (IOException | AvroRuntimeException | IndexOutOfBoundsException | NegativeArraySizeException
                | ClassCastException | UnsupportedOperationException e) {
            throw new RecordDecodingException(RejectReason.UNDECODABLE_RECORD,
                    "Corrupt " + type.getSimpleName() + " record (" + bytes.length + " bytes): " + e, e);
        }
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
