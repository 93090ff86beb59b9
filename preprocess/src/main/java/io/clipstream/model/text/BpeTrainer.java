package io.clipstream.model.text;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.PriorityQueue;
import java.util.Set;

/**
 * Trains a CLIP-style byte-level BPE: words (as {@link ClipTokenizer} splits them) become byte symbols with
 * {@code </w>} on the last one, and the most frequent adjacent pair is merged until the vocabulary
 * (512 base symbols + merges + 2 special tokens) reaches the target size.
 *
 * <p>Pair counts are kept incrementally: a merge only revisits the words that contain the merged pair.
 * Ties go to the lexicographically smaller pair (left symbol, then right), so training is deterministic.
 * A pair whose merge would spell a token that already exists is never merged, so every token is unique.
 */
public final class BpeTrainer {

    private final int vocabSize;
    private final int minPairCount;

    /** A trainer that merges pairs seen at least twice. */
    public BpeTrainer(int vocabSize) {
        this(vocabSize, 2);
    }

    public BpeTrainer(int vocabSize, int minPairCount) {
        if (vocabSize <= ClipTokenizer.RESERVED_TOKENS) {
            throw new IllegalArgumentException("vocabSize must exceed " + ClipTokenizer.RESERVED_TOKENS);
        }
        if (minPairCount < 1) {
            throw new IllegalArgumentException("minPairCount must be at least 1");
        }
        this.vocabSize = vocabSize;
        this.minPairCount = minPairCount;
    }

    public List<Merge> train(Iterable<String> captions) {
        return train(WordFrequencies.of(captions));
    }

    /**
     * The merges, best first: {@code vocabSize - 514} of them, or fewer when no pair is left that is frequent
     * enough (the vocabulary is then smaller than asked).
     */
    public List<Merge> train(WordFrequencies frequencies) {
        return new Run(frequencies.counts()).merge(vocabSize - ClipTokenizer.RESERVED_TOKENS);
    }

    /** Writes merges in OpenAI's format, gzipped when the name ends in {@code .gz}; {@link ClipTokenizer#load} reads it. */
    public static void save(List<Merge> merges, Path path) throws IOException {
        MergesFile.write(path, merges);
    }

    /** The state of one training run. */
    private final class Run {

        private final List<String> symbols = new ArrayList<>();
        private final Set<String> tokens = new HashSet<>();
        private final int[][] words;
        private final int[] lengths;
        private final long[] frequencies;
        private final Map<Long, long[]> pairCounts = new HashMap<>();
        /** Words that held the pair at some point; stale entries are skipped when visited. */
        private final Map<Long, IntBuffer> pairWords = new HashMap<>();
        /** Pairs whose merge would spell an existing token: never counted again. */
        private final Set<Long> banned = new HashSet<>();
        private final PriorityQueue<Candidate> queue;
        /** The merge step at which each word was last rewritten, to visit it once per merge. */
        private final int[] visitedAt;

        Run(Map<String, Long> wordCounts) {
            for (String symbol : ByteSymbols.alphabet()) {
                symbols.add(symbol);
            }
            for (String symbol : ByteSymbols.alphabet()) {
                symbols.add(symbol + Vocabulary.END_OF_WORD);
            }
            tokens.addAll(symbols);
            tokens.add(PreTokenizer.START_OF_TEXT);
            tokens.add(PreTokenizer.END_OF_TEXT);
            queue = new PriorityQueue<>(Comparator.<Candidate>comparingLong(c -> -c.count())
                    .thenComparing(c -> symbols.get(c.left()))
                    .thenComparing(c -> symbols.get(c.right())));

            // Sorted words make the run independent of the map's iteration order.
            List<String> sorted = new ArrayList<>(wordCounts.keySet());
            sorted.sort(null);
            words = new int[sorted.size()][];
            lengths = new int[sorted.size()];
            frequencies = new long[sorted.size()];
            visitedAt = new int[sorted.size()];
            Arrays.fill(visitedAt, -1);
            for (int w = 0; w < sorted.size(); w++) {
                words[w] = initialSymbols(sorted.get(w));
                lengths[w] = words[w].length;
                frequencies[w] = wordCounts.get(sorted.get(w));
                addPairs(w);
                for (int i = 0; i + 1 < lengths[w]; i++) {
                    pairWords.computeIfAbsent(key(words[w][i], words[w][i + 1]), k -> new IntBuffer(4)).add(w);
                }
            }
            pairCounts.forEach((pair, count) -> queue.add(new Candidate(left(pair), right(pair), count[0])));
        }

        List<Merge> merge(int target) {
            List<Merge> merges = new ArrayList<>(target);
            while (merges.size() < target) {
                Candidate best = queue.poll();
                if (best == null || best.count < minPairCount) {
                    break;
                }
                long pair = key(best.left, best.right);
                long[] current = pairCounts.get(pair);
                if (current == null || current[0] != best.count) {
                    continue;
                }
                String joined = symbols.get(best.left) + symbols.get(best.right);
                if (tokens.contains(joined)) {
                    // Spelling an existing token again would give one string two ids.
                    banned.add(pair);
                    pairCounts.remove(pair);
                    continue;
                }
                int merged = symbols.size();
                symbols.add(joined);
                tokens.add(joined);
                merges.add(new Merge(symbols.get(best.left), symbols.get(best.right)));
                apply(pair, best.left, best.right, merged, merges.size());
            }
            return merges;
        }

        private void apply(long pair, int first, int second, int merged, int step) {
            Set<Long> touched = new HashSet<>();
            IntBuffer holders = pairWords.remove(pair);
            int[] candidates = holders == null ? new int[0] : holders.toArray();
            for (int w : candidates) {
                if (visitedAt[w] == step || !contains(w, first, second)) {
                    continue;
                }
                visitedAt[w] = step;
                removePairs(w, touched);
                int[] word = words[w];
                int out = 0;
                for (int i = 0; i < lengths[w]; ) {
                    if (i + 1 < lengths[w] && word[i] == first && word[i + 1] == second) {
                        word[out++] = merged;
                        i += 2;
                    } else {
                        word[out++] = word[i++];
                    }
                }
                lengths[w] = out;
                addPairs(w);
                for (int i = 0; i + 1 < out; i++) {
                    long q = key(word[i], word[i + 1]);
                    touched.add(q);
                    if (word[i] == merged || word[i + 1] == merged) {
                        pairWords.computeIfAbsent(q, k -> new IntBuffer(4)).add(w);
                    }
                }
            }
            pairCounts.remove(pair);
            touched.remove(pair);
            for (long q : touched) {
                long[] count = pairCounts.get(q);
                if (count != null) {
                    queue.add(new Candidate(left(q), right(q), count[0]));
                }
            }
        }

        private boolean contains(int w, int first, int second) {
            for (int i = 0; i + 1 < lengths[w]; i++) {
                if (words[w][i] == first && words[w][i + 1] == second) {
                    return true;
                }
            }
            return false;
        }

        private void addPairs(int w) {
            for (int i = 0; i + 1 < lengths[w]; i++) {
                long q = key(words[w][i], words[w][i + 1]);
                if (!banned.contains(q)) {
                    pairCounts.computeIfAbsent(q, k -> new long[1])[0] += frequencies[w];
                }
            }
        }

        private void removePairs(int w, Set<Long> touched) {
            for (int i = 0; i + 1 < lengths[w]; i++) {
                long q = key(words[w][i], words[w][i + 1]);
                long[] count = pairCounts.get(q);
                if (count == null) {
                    continue;
                }
                count[0] -= frequencies[w];
                if (count[0] == 0) {
                    pairCounts.remove(q);
                }
                touched.add(q);
            }
        }

        private int[] initialSymbols(String word) {
            byte[] bytes = word.getBytes(StandardCharsets.UTF_8);
            int[] ids = new int[bytes.length];
            for (int i = 0; i < bytes.length; i++) {
                ids[i] = ByteSymbols.baseIndexOf(bytes[i] & 0xFF);
            }
            ids[bytes.length - 1] += 256;
            return ids;
        }
    }

    private record Candidate(int left, int right, long count) {
    }

    private static long key(int left, int right) {
        return ((long) left << 32) | (right & 0xFFFFFFFFL);
    }

    private static int left(long key) {
        return (int) (key >>> 32);
    }

    private static int right(long key) {
        return (int) key;
    }
}
