package io.clipstream.model;

import io.clipstream.model.engine.Engines;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import java.util.function.Function;

/**
 * Throughput of the vit-b-32 encoders (random weights) at batch 1, 8 and 32, with the achieved
 * GFLOP/s beside the GFLOP/s of a plain 1024³ fp32 matrix product measured in the same run. FLOPs
 * are counted analytically ({@link ModelFlops}). Prints a table; asserts nothing about time.
 *
 * <p>Run: {@code ./mvnw -q -B -pl model -am -Pbench test -Dtest=EncoderBench -Dsurefire.failIfNoSpecifiedTests=false}
 */
@Tag("bench")
class EncoderBench {

    private static final int[] BATCHES = {1, 8, 32};
    private static final long MEASURE_NANOS = 4_000_000_000L;
    private static final int MIN_RUNS = 3;

    @Test
    void vitB32EncodersOnCpu() {
        ClipConfig config = ClipConfig.preset("vit-b-32");
        System.out.println("EncoderBench: " + Engines.describe());
        try (NDManager manager = Engines.newManager()) {
            ClipModel model = new ClipModel(config).initialize(manager);
            Random random = new Random(1);
            List<Row> rows = new ArrayList<>();
            // The machine is shared: the matmul is sampled around each tower and the best counts.
            double[] matmul = new double[3];
            matmul[0] = matmulGflops(manager);
            for (int batch : BATCHES) {
                try (NDManager inputs = manager.newSubManager()) {
                    NDArray pixels = inputs.randomNormal(new Shape(batch, 3, config.imageSize(), config.imageSize()));
                    rows.add(new Row("image", batch, ModelFlops.image(config), time(model::encodeImage, pixels)));
                }
            }
            matmul[1] = matmulGflops(manager);
            for (int batch : BATCHES) {
                try (NDManager inputs = manager.newSubManager()) {
                    NDArray ids = inputs.create(randomIds(batch, config, random));
                    rows.add(new Row("text", batch, ModelFlops.text(config), time(model::encodeText, ids)));
                }
            }
            matmul[2] = matmulGflops(manager);
            double ceiling = Arrays.stream(matmul).max().orElseThrow();

            System.out.printf(Locale.ROOT, "%-6s %5s %10s %12s %12s %10s %9s%n",
                    "tower", "batch", "items/s", "ms/batch", "GFLOP/item", "GFLOP/s", "of matmul");
            for (Row r : rows) {
                System.out.printf(Locale.ROOT, "%-6s %5d %10.1f %12.1f %12.2f %10.1f %8.0f%%   (best %.1f ms, %d runs)%n",
                        r.tower(), r.batch(), r.itemsPerSecond(), r.timing().meanSeconds() * 1e3,
                        r.flopsPerItem() / 1e9, r.gflops(), 100 * r.gflops() / ceiling,
                        r.timing().bestSeconds() * 1e3, r.timing().runs());
            }
            System.out.printf(Locale.ROOT, "matmul 1024^3 fp32 via DJL: %.1f / %.1f / %.1f GFLOP/s"
                    + " (before, between, after the towers); %% of the best%n", matmul[0], matmul[1], matmul[2]);
        }
    }

    private record Timing(int runs, double meanSeconds, double bestSeconds) {
    }

    private static Timing time(Function<NDArray, NDArray> encoder, NDArray input) {
        encoder.apply(input).close(); // warm-up: first-call allocations and kernel selection
        encoder.apply(input).close();
        int runs = 0;
        double best = Double.MAX_VALUE;
        long start = System.nanoTime();
        while (runs < MIN_RUNS || System.nanoTime() - start < MEASURE_NANOS) {
            long t0 = System.nanoTime();
            encoder.apply(input).close();
            best = Math.min(best, (System.nanoTime() - t0) / 1e9);
            runs++;
        }
        return new Timing(runs, (System.nanoTime() - start) / 1e9 / runs, best);
    }

    private record Row(String tower, int batch, double flopsPerItem, Timing timing) {

        double itemsPerSecond() {
            return batch / timing.meanSeconds();
        }

        double gflops() {
            return itemsPerSecond() * flopsPerItem / 1e9;
        }
    }

    private static double matmulGflops(NDManager manager) {
        try (NDManager scope = manager.newSubManager()) {
            NDArray a = scope.randomNormal(new Shape(1024, 1024));
            NDArray b = scope.randomNormal(new Shape(1024, 1024));
            Timing t = time(a::matMul, b);
            return 2.0 * 1024 * 1024 * 1024 / t.meanSeconds() / 1e9;
        }
    }

    /** Start token, random BPE ids, end-of-text at a random position, zero padding. */
    private static long[][] randomIds(int batch, ClipConfig c, Random random) {
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
}
