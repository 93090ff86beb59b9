package io.clipstream.trainer.data;

import java.time.Duration;
import java.util.List;
import java.util.OptionalLong;

/**
 * The pairs topic as the trainer reads it: every partition, from positions the trainer chooses (a checkpoint's),
 * never from a consumer group's committed offsets. One thread polls; {@link #wakeup} may come from any.
 */
public interface PairSource extends AutoCloseable {

    /** Reads on from {@code positions}; partitions they do not name start at the configured end of the topic. */
    void seek(SourcePositions positions);

    /** The next records, or none after {@code timeout}. */
    List<SourceRecord> poll(Duration timeout);

    /** Records between the read positions and the end of the topic, when known. */
    OptionalLong lag();

    /** Makes a blocked {@link #poll} return at once (thread-safe). */
    void wakeup();

    @Override
    void close();
}
