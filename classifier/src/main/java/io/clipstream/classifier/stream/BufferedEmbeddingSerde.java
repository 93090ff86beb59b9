package io.clipstream.classifier.stream;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serializer;

/**
 * The buffer store's value serde (it is also the changelog's format): a version byte, then key, value, timestamp
 * and source as plain binary fields. Internal to the classifier, so no Avro schema of its own.
 */
final class BufferedEmbeddingSerde implements Serde<BufferedEmbedding>, Serializer<BufferedEmbedding>,
        Deserializer<BufferedEmbedding> {

    private static final byte FORMAT = 1;

    @Override
    public byte[] serialize(String topic, BufferedEmbedding buffered) {
        if (buffered == null) {
            return null;
        }
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(buffered.value().length + 64);
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            out.writeByte(FORMAT);
            out.writeBoolean(buffered.key() != null);
            if (buffered.key() != null) {
                out.writeUTF(buffered.key());
            }
            out.writeInt(buffered.value().length);
            out.write(buffered.value());
            out.writeLong(buffered.timestamp());
            out.writeUTF(buffered.topic());
            out.writeInt(buffered.partition());
            out.writeLong(buffered.offset());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return bytes.toByteArray();
    }

    @Override
    public BufferedEmbedding deserialize(String topic, byte[] data) {
        if (data == null) {
            return null;
        }
        try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(data))) {
            byte format = in.readByte();
            if (format != FORMAT) {
                throw new SerializationException("buffered embedding in unknown format " + format);
            }
            String key = in.readBoolean() ? in.readUTF() : null;
            byte[] value = new byte[in.readInt()];
            in.readFully(value);
            return new BufferedEmbedding(key, value, in.readLong(), in.readUTF(), in.readInt(), in.readLong());
        } catch (IOException e) {
            throw new SerializationException("corrupt buffered embedding", e);
        }
    }

    @Override
    public Serializer<BufferedEmbedding> serializer() {
        return this;
    }

    @Override
    public Deserializer<BufferedEmbedding> deserializer() {
        return this;
    }

    @Override
    public void configure(java.util.Map<String, ?> configs, boolean isKey) {
        // Nothing to configure.
    }

    @Override
    public void close() {
        // Stateless: nothing to release.
    }
}
