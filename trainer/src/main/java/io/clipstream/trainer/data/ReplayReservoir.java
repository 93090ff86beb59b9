package io.clipstream.trainer.data;

import java.util.ArrayList;
import java.util.List;
import java.util.random.RandomGenerator;

/**
 * A uniform sample of every pair trained on so far (reservoir sampling, Vitter's algorithm R), replayed into new
 * batches against forgetting: the stream drifts, and a model trained only on the newest pairs forgets the older
 * ones. Not thread-safe.
 */
public final class ReplayReservoir {

    private final int capacity;
    private final RandomGenerator random;
    private final ArrayList<StreamPair> pairs;
    private long offered;

    /**
     * @param resumed the reservoir of a checkpoint (empty when starting afresh)
     * @param offered how many pairs that reservoir was sampled from
     */
    public ReplayReservoir(int capacity, RandomGenerator random, List<StreamPair> resumed, long offered) {
        if (capacity < 0) {
            throw new IllegalArgumentException("The replay capacity must not be negative");
        }
        if (resumed.size() > Math.max(capacity, 0) || offered < resumed.size()) {
            throw new IllegalArgumentException("A reservoir of " + resumed.size() + " pairs sampled from " + offered
                    + " does not fit a capacity of " + capacity);
        }
        this.capacity = capacity;
        this.random = random;
        this.pairs = new ArrayList<>(resumed);
        this.offered = offered;
    }

    /** Offers a freshly trained pair: every pair offered so far stays in the reservoir with equal probability. */
    public void offer(StreamPair pair) {
        offered++;
        if (pairs.size() < capacity) {
            pairs.add(pair);
        } else if (capacity > 0) {
            long slot = random.nextLong(offered);
            if (slot < capacity) {
                pairs.set((int) slot, pair);
            }
        }
    }

    /** Up to {@code count} distinct pairs, uniformly at random; the reservoir keeps them. */
    public List<StreamPair> sample(int count) {
        int n = Math.min(count, pairs.size());
        // A partial Fisher-Yates shuffle over indices: distinct picks without touching the reservoir.
        int[] index = new int[pairs.size()];
        for (int i = 0; i < index.length; i++) {
            index[i] = i;
        }
        List<StreamPair> sample = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            int j = i + random.nextInt(index.length - i);
            int swap = index[i];
            index[i] = index[j];
            index[j] = swap;
            sample.add(pairs.get(index[i]));
        }
        return sample;
    }

    public int size() {
        return pairs.size();
    }

    public int capacity() {
        return capacity;
    }

    public long offered() {
        return offered;
    }

    public List<StreamPair> snapshot() {
        return List.copyOf(pairs);
    }
}
