package io.clipstream.trainer.data;

import java.util.ArrayList;
import java.util.List;

/**
 * One training batch: fresh pairs from the stream and pairs replayed from the reservoir, with the data state right
 * after it was drawn (what a checkpoint taken after this batch's step must save).
 *
 * @param sequence the batch's number since the trainer started (0, 1, ...)
 * @param fresh pairs trained on for the first time
 * @param replayed pairs trained on before, mixed in against forgetting
 * @param after the data state once this batch was drawn
 */
public record Batch(long sequence, List<StreamPair> fresh, List<StreamPair> replayed, DataState after) {

    public Batch {
        fresh = List.copyOf(fresh);
        replayed = List.copyOf(replayed);
    }

    public int size() {
        return fresh.size() + replayed.size();
    }

    /** Fresh pairs first, then replayed ones: the rows of the batch tensors. */
    public List<StreamPair> pairs() {
        List<StreamPair> all = new ArrayList<>(size());
        all.addAll(fresh);
        all.addAll(replayed);
        return all;
    }

    /** The newest event time among the fresh pairs, or {@code Long.MIN_VALUE} for none. */
    public long newestFreshEventTime() {
        return fresh.stream().mapToLong(StreamPair::eventTimeMillis).max().orElse(Long.MIN_VALUE);
    }
}
