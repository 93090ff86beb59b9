package io.clipstream.trainer.data;

import java.util.ArrayList;
import java.util.List;
import java.util.random.RandomGenerator;

/**
 * Pairs read but not yet trained on, drawn in random order: the stream arrives in producer order (a folder, a
 * crawl, one camera), and batches of neighbours would make poor negatives for a contrastive loss. Not thread-safe.
 */
public final class ShuffleBuffer {

    private final int capacity;
    private final RandomGenerator random;
    private final ArrayList<StreamPair> pairs;

    public ShuffleBuffer(int capacity, RandomGenerator random, List<StreamPair> pending) {
        if (capacity < 1) {
            throw new IllegalArgumentException("The shuffle buffer needs room for at least one pair");
        }
        this.capacity = capacity;
        this.random = random;
        this.pairs = new ArrayList<>(Math.max(capacity, pending.size()));
        this.pairs.addAll(pending);
    }

    /** Full: the next batch can be drawn without waiting for more input. */
    public boolean full() {
        return pairs.size() >= capacity;
    }

    public int size() {
        return pairs.size();
    }

    public int capacity() {
        return capacity;
    }

    public void add(StreamPair pair) {
        pairs.add(pair);
    }

    /** Removes and returns up to {@code count} pairs chosen uniformly at random. */
    public List<StreamPair> draw(int count) {
        int n = Math.min(count, pairs.size());
        List<StreamPair> drawn = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            int pick = random.nextInt(pairs.size());
            int last = pairs.size() - 1;
            drawn.add(pairs.get(pick));
            pairs.set(pick, pairs.get(last)); // swap-remove: O(1), the order inside the buffer does not matter
            pairs.remove(last);
        }
        return drawn;
    }

    /** What is pending now, for a checkpoint. */
    public List<StreamPair> snapshot() {
        return List.copyOf(pairs);
    }
}
