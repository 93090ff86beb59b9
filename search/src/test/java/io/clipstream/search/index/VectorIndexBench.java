package io.clipstream.search.index;

import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The embedded index's figures on random unit vectors (the setting: 100k × 512-d; {@code -Dclipstream.bench
 * .vectors=N}, {@code .queries=Q}): index build rate (add + commit, vectors/s), query latency p50/p99 and queries/s
 * on one thread, and recall@10 against exact (brute-force cosine) search, for Lucene's HNSW at k = 10 and with 100
 * candidates kept. Random Gaussian vectors in 512 dimensions are the hard case for HNSW (no clusters to exploit);
 * CLIP embeddings are easier. Prints; asserts nothing about speed. {@code ./mvnw -Pbench verify -pl search -am}.
 */
@Tag("bench")
class VectorIndexBench {

    private static final int DIMS = 512;
    private static final int K = 10;

    @TempDir
    Path folder;

    @Test
    void buildRateLatencyAndRecallAgainstExactSearch() throws Exception {
        int n = Integer.getInteger("clipstream.bench.vectors", 100_000);
        int queries = Integer.getInteger("clipstream.bench.queries", 200);
        Random random = new Random(17);
        float[][] vectors = new float[n][];
        for (int i = 0; i < n; i++) {
            vectors[i] = VectorIndexTest.unit(random, DIMS);
        }
        float[][] targets = new float[queries][];
        for (int q = 0; q < queries; q++) {
            targets[q] = VectorIndexTest.unit(random, DIMS);
        }

        try (VectorIndex index = VectorIndex.open(folder, VectorIndex.Settings.DEFAULT)) {
            Instant now = Instant.now();
            long start = System.nanoTime();
            for (int i = 0; i < n; i++) {
                index.add(new VectorIndex.Entry("img-" + i, "bench", vectors[i], now, Map.of()), now);
                if ((i + 1) % 10_000 == 0) {
                    index.commit(Map.of(VectorIndex.positionKey("clipstream.embeddings", 0), (long) i + 1));
                }
            }
            index.commit(Map.of(VectorIndex.positionKey("clipstream.embeddings", 0), (long) n));
            double buildSeconds = (System.nanoTime() - start) / 1e9;
            System.out.printf(Locale.ROOT, "search bench: indexed %d × %d-d in %.1f s: %.0f vectors/s (add + commit "
                    + "every 10k, HNSW M=%d efConstruction=%d)%n", n, DIMS, buildSeconds, n / buildSeconds,
                    VectorIndex.Settings.DEFAULT.maxConnections(), VectorIndex.Settings.DEFAULT.beamWidth());

            List<Set<String>> exact = new ArrayList<>();
            long exactStart = System.nanoTime();
            for (float[] target : targets) {
                exact.add(exactTop(vectors, target));
            }
            double exactMs = (System.nanoTime() - exactStart) / 1e6 / queries;

            for (int candidates : new int[] {K, 100}) {
                // Warm up: the graph's pages into the cache, the JIT.
                for (int q = 0; q < Math.min(20, queries); q++) {
                    index.search("bench", targets[q], K, candidates, Map.of());
                }
                double[] latencies = new double[queries];
                double hits = 0;
                long all = System.nanoTime();
                for (int q = 0; q < queries; q++) {
                    long t = System.nanoTime();
                    List<VectorIndex.Hit> found = index.search("bench", targets[q], K, candidates, Map.of());
                    latencies[q] = (System.nanoTime() - t) / 1e6;
                    Set<String> top = new HashSet<>();
                    for (int i = 0; i < Math.min(K, found.size()); i++) {
                        top.add(found.get(i).imageId());
                    }
                    top.retainAll(exact.get(q));
                    hits += top.size();
                }
                double seconds = (System.nanoTime() - all) / 1e9;
                Arrays.sort(latencies);
                System.out.printf(Locale.ROOT, "search bench: candidates=%d recall@10=%.3f p50_ms=%.2f p99_ms=%.2f "
                        + "qps=%.0f (exact search: %.1f ms/query)%n", candidates, hits / (queries * (double) K),
                        latencies[queries / 2], latencies[(int) Math.min(queries - 1, Math.ceil(queries * 0.99) - 1)],
                        queries / seconds, exactMs);
            }
        }
    }

    /** The ids of the K vectors of highest cosine (they are unit vectors: the dot product). */
    private static Set<String> exactTop(float[][] vectors, float[] target) {
        int[] best = new int[K];
        float[] scores = new float[K];
        Arrays.fill(scores, Float.NEGATIVE_INFINITY);
        for (int i = 0; i < vectors.length; i++) {
            float dot = 0;
            float[] v = vectors[i];
            for (int d = 0; d < v.length; d++) {
                dot += v[d] * target[d];
            }
            if (dot > scores[K - 1]) {
                int at = K - 1;
                while (at > 0 && scores[at - 1] < dot) {
                    scores[at] = scores[at - 1];
                    best[at] = best[at - 1];
                    at--;
                }
                scores[at] = dot;
                best[at] = i;
            }
        }
        Set<String> ids = new HashSet<>();
        for (int i : best) {
            ids.add("img-" + i);
        }
        return ids;
    }
}
