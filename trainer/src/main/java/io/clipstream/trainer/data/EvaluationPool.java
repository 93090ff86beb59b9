package io.clipstream.trainer.data;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Set;

/**
 * The held-out pairs evaluation ranks against each other: the first {@code capacity} distinct held-out pairs of the
 * stream, then fixed, so that the recall of one checkpoint compares with its parent's on the same candidates. A pair
 * id met again (a producer re-publishing) is not a second candidate. Held-out pairs beyond the capacity are neither
 * kept nor trained on. Not thread-safe.
 */
public final class EvaluationPool {

    private final int capacity;
    private final ArrayList<StreamPair> pairs;
    private final Set<String> ids = new HashSet<>();

    public EvaluationPool(int capacity, List<StreamPair> resumed) {
        if (capacity < 0 || resumed.size() > capacity) {
            throw new IllegalArgumentException("An evaluation pool of " + resumed.size() + " pairs does not fit "
                    + capacity);
        }
        this.capacity = capacity;
        this.pairs = new ArrayList<>(resumed);
        resumed.forEach(pair -> ids.add(pair.pairId()));
    }

    /** Keeps the pair if there is room and it is not in the pool yet; returns whether it was kept. */
    public boolean offer(StreamPair pair) {
        if (pairs.size() >= capacity || !ids.add(pair.pairId())) {
            return false;
        }
        pairs.add(pair);
        return true;
    }

    public int size() {
        return pairs.size();
    }

    public List<StreamPair> snapshot() {
        return List.copyOf(pairs);
    }

    /**
     * A fingerprint of a pool's pair ids in order: two evaluations are comparable exactly when their pools have the
     * same fingerprint.
     */
    public static String fingerprint(List<StreamPair> pool) {
        try {
            MessageDigest digest = MessageDigest.getInstance("SHA-256");
            for (StreamPair pair : pool) {
                digest.update(pair.pairId().getBytes(StandardCharsets.UTF_8));
                digest.update((byte) 0);
            }
            return HexFormat.of().formatHex(digest.digest(), 0, 8);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("Every JDK has SHA-256", e);
        }
    }
}
