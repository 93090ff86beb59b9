package io.clipstream.trainer.checkpoint;

import io.clipstream.trainer.data.PairCodec;
import io.clipstream.trainer.data.StreamPair;
import io.clipstream.trainer.data.UndecodablePairException;
import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * A list of pairs in a checkpoint directory (the pending pairs, the replay reservoir, the evaluation pool): a magic
 * number, the count, then each pair as a length-prefixed {@code NormalizedPair} record in the stream's own Avro
 * encoding, so the schema history that reads the topic reads these files too.
 */
public final class PairFile {

    private static final int MAGIC = 0x43535031; // "CSP1"
    /** A pair at 224 px is 150 kB; anything far beyond that is a corrupt length, not a pair. */
    private static final int MAX_RECORD_BYTES = 64 << 20;

    private PairFile() {
    }

    public static void write(Path file, List<StreamPair> pairs, PairCodec codec) throws IOException {
        try (DataOutputStream out = new DataOutputStream(new BufferedOutputStream(Files.newOutputStream(file), 1 << 16))) {
            out.writeInt(MAGIC);
            out.writeInt(pairs.size());
            for (StreamPair pair : pairs) {
                byte[] record = codec.encode(pair);
                out.writeInt(record.length);
                out.write(record);
            }
        }
    }

    public static List<StreamPair> read(Path file, PairCodec codec) throws IOException {
        try (DataInputStream in = new DataInputStream(new BufferedInputStream(Files.newInputStream(file), 1 << 16))) {
            if (in.readInt() != MAGIC) {
                throw new IOException(file + " is not a pair file");
            }
            int count = in.readInt();
            if (count < 0) {
                throw new IOException(file + ": negative pair count " + count);
            }
            List<StreamPair> pairs = new ArrayList<>(Math.min(count, 1 << 16));
            for (int i = 0; i < count; i++) {
                int length = in.readInt();
                if (length < 0 || length > MAX_RECORD_BYTES) {
                    throw new IOException(file + ": pair " + i + " claims " + length + " bytes");
                }
                byte[] record = in.readNBytes(length);
                if (record.length != length) {
                    throw new IOException(file + " is truncated in pair " + i + " of " + count);
                }
                try {
                    pairs.add(codec.decode(record));
                } catch (UndecodablePairException e) {
                    throw new IOException(file + ": pair " + i + " cannot be read: " + e.getMessage(), e);
                }
            }
            return pairs;
        }
    }
}
