package io.clipstream.model.text;

import java.util.Arrays;

/**
 * Applies BPE merges to one word exactly as {@code simple_tokenizer.bpe} does: repeatedly take the adjacent
 * pair with the lowest merge rank and merge all its occurrences left to right, until no pair has a rank.
 */
final class BytePairEncoder {

    private final MergeTable merges;

    BytePairEncoder(MergeTable merges) {
        this.merges = merges;
    }

    /** Merges the symbol ids in place and returns the resulting ids. */
    int[] encode(int[] symbols) {
        int[] word = symbols;
        int length = word.length;
        while (length > 1) {
            int bestRank = MergeTable.ABSENT;
            int first = 0;
            int second = 0;
            for (int i = 0; i + 1 < length; i++) {
                int rank = merges.rank(word[i], word[i + 1]);
                if (rank != MergeTable.ABSENT && (bestRank == MergeTable.ABSENT || rank < bestRank)) {
                    bestRank = rank;
                    first = word[i];
                    second = word[i + 1];
                }
            }
            if (bestRank == MergeTable.ABSENT) {
                break;
            }
            int merged = merges.mergedId(bestRank);
            int out = 0;
            for (int i = 0; i < length; ) {
                if (i + 1 < length && word[i] == first && word[i + 1] == second) {
                    word[out++] = merged;
                    i += 2;
                } else {
                    word[out++] = word[i++];
                }
            }
            length = out;
        }
        return length == word.length ? word : Arrays.copyOf(word, length);
    }
}
