package io.clipstream.model.bench;

import io.clipstream.model.ClipConfig;
import io.clipstream.model.ClipModel;
import io.clipstream.model.ModelFlops;
import io.clipstream.model.engine.CastParameterStore;
import io.clipstream.model.engine.Precision;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;

import java.util.Random;
import java.util.function.Supplier;

/**
 * Throughput of the bare towers and of a plain matrix product, shared by the JUnit benchmarks and
 * {@code clipstream bench}. Times are means over at least {@code minRuns} runs and {@code minNanos},
 * after two warm-up runs; nothing here asserts a time.
 */
public final class TowerBench {

    private final long minNanos;
    private final int minRuns;

    public TowerBench(long minNanos, int minRuns) {
        this.minNanos = minNanos;
        this.minRuns = minRuns;
    }

    /** Runs and mean / best seconds per run. */
    public record Timing(int runs, double meanSeconds, double bestSeconds) {

        public double perSecond(int items) {
            return items / meanSeconds;
        }
    }

    /** Times {@code run}, closing each result. */
    public Timing time(Supplier<NDArray> run) {
        run.get().close(); // warm-up: first-call allocations and kernel selection
        run.get().close();
        int runs = 0;
        double best = Double.MAX_VALUE;
        long start = System.nanoTime();
        while (runs < minRuns || System.nanoTime() - start < minNanos) {
            long t0 = System.nanoTime();
            run.get().close();
            best = Math.min(best, (System.nanoTime() - t0) / 1e9);
            runs++;
        }
        return new Timing(runs, (System.nanoTime() - start) / 1e9 / runs, best);
    }

    /** GFLOP/s of an n×n×n matrix product in {@code precision} (2n³ FLOPs). */
    public double matmulGflops(NDManager manager, int n, Precision precision) {
        try (NDManager scope = manager.newSubManager()) {
            NDArray a = precision.cast(scope.randomNormal(new Shape(n, n)));
            NDArray b = precision.cast(scope.randomNormal(new Shape(n, n)));
            Timing t = time(() -> a.matMul(b));
            return 2.0 * n * n * n / t.meanSeconds() / 1e9;
        }
    }

    /** Images/s of the image tower at {@code batch} (random pixels), weights from {@code store}. */
    public Timing imageTower(ClipModel model, CastParameterStore store, NDManager manager, int batch) {
        ClipConfig c = model.config();
        try (NDManager inputs = manager.newSubManager()) {
            NDArray pixels = inputs.randomNormal(new Shape(batch, 3, c.imageSize(), c.imageSize()));
            return time(() -> model.encodeImage(pixels, store));
        }
    }

    /** Texts/s of the text tower at {@code batch} (random full-context ids), weights from {@code store}. */
    public Timing textTower(ClipModel model, CastParameterStore store, NDManager manager, int batch, Random random) {
        try (NDManager inputs = manager.newSubManager()) {
            NDArray ids = inputs.create(randomIds(batch, model.config(), random));
            return time(() -> model.encodeText(ids, store));
        }
    }

    /** Model FLOP utilisation: achieved FLOP/s ÷ the ceiling's. */
    public static double mfu(double itemsPerSecond, double flopsPerItem, double ceilingGflops) {
        return itemsPerSecond * flopsPerItem / 1e9 / ceilingGflops;
    }

    public static double imageFlops(ClipConfig c) {
        return ModelFlops.image(c);
    }

    /** Start token, random BPE ids, end-of-text at a random position, zero padding. */
    public static long[][] randomIds(int batch, ClipConfig c, Random random) {
        long[][] ids = new long[batch][c.contextLength()];
        for (long[] row : ids) {
            int end = 2 + random.nextInt(c.contextLength() - 2);
            row[0] = c.vocabSize() - 2;
            for (int t = 1; t < end; t++) {
                row[t] = random.nextInt(c.vocabSize() - 2);
            }
            row[end] = c.vocabSize() - 1;
        }
        return ids;
    }

    /** Cosine of each row of two feature matrices [N, D] (not necessarily normalised). */
    public static float[] rowCosines(NDArray a, NDArray b) {
        return ClipModel.l2Normalize(a).mul(ClipModel.l2Normalize(b)).sum(new int[] {1}).toFloatArray();
    }
}
