package io.clipstream.trainer.data;

import io.clipstream.schemas.SourceOffset;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.OptionalLong;
import java.util.TreeMap;

/**
 * The next offset to read in each partition of the pairs topic: everything before it has been trained on, held out,
 * skipped as undecodable or is pending in the state saved beside these positions. Immutable.
 *
 * @param topic the pairs topic
 * @param next next offset by partition; a partition not listed has not been read at all
 */
public record SourcePositions(String topic, Map<Integer, Long> next) {

    public SourcePositions {
        Objects.requireNonNull(topic, "topic");
        next = Collections.unmodifiableMap(new TreeMap<>(next));
    }

    public static SourcePositions none(String topic) {
        return new SourcePositions(topic, Map.of());
    }

    /** The offsets of a checkpoint record; offsets of other topics are ignored (the topic may have been renamed). */
    public static SourcePositions of(String topic, List<SourceOffset> offsets) {
        Map<Integer, Long> next = new TreeMap<>();
        for (SourceOffset offset : offsets) {
            if (offset.getTopic().equals(topic)) {
                next.put(offset.getPartition(), offset.getOffset());
            }
        }
        return new SourcePositions(topic, next);
    }

    public OptionalLong nextOffset(int partition) {
        Long offset = next.get(partition);
        return offset == null ? OptionalLong.empty() : OptionalLong.of(offset);
    }

    public List<SourceOffset> toSourceOffsets() {
        return next.entrySet().stream().map(e -> new SourceOffset(topic, e.getKey(), e.getValue())).toList();
    }
}
