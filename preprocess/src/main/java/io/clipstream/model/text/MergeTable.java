package io.clipstream.model.text;

import java.util.Arrays;

/**
 * BPE merge ranks keyed by the pair of symbol ids, in an open-addressing table (no boxing on the hot path).
 * A pair listed twice keeps its later rank, as Python's {@code dict(zip(merges, range(n)))} does.
 */
final class MergeTable {

    static final int ABSENT = -1;

    private final long[] keys;
    private final int[] ranks;
    private final int mask;
    private final int[] mergedIdByRank;

    MergeTable(int[] lefts, int[] rights, int[] mergedIds) {
        int capacity = Integer.highestOneBit(Math.max(16, lefts.length * 2 - 1)) << 1;
        keys = new long[capacity];
        ranks = new int[capacity];
        Arrays.fill(ranks, ABSENT);
        mask = capacity - 1;
        mergedIdByRank = mergedIds.clone();
        for (int rank = 0; rank < lefts.length; rank++) {
            put(key(lefts[rank], rights[rank]), rank);
        }
    }

    /** Rank of the pair, or {@link #ABSENT}. */
    int rank(int left, int right) {
        long key = key(left, right);
        for (int slot = slot(key); ; slot = (slot + 1) & mask) {
            if (ranks[slot] == ABSENT) {
                return ABSENT;
            }
            if (keys[slot] == key) {
                return ranks[slot];
            }
        }
    }

    int mergedId(int rank) {
        return mergedIdByRank[rank];
    }

    private void put(long key, int rank) {
        for (int slot = slot(key); ; slot = (slot + 1) & mask) {
            if (ranks[slot] == ABSENT || keys[slot] == key) {
                keys[slot] = key;
                ranks[slot] = rank;
                return;
            }
        }
    }

    private int slot(long key) {
        long h = key * 0x9E3779B97F4A7C15L;
        return (int) (h >>> 32) & mask;
    }

    private static long key(int left, int right) {
        return ((long) left << 32) | (right & 0xFFFFFFFFL);
    }
}
