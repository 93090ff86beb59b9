package io.clipstream.model.train;

import io.clipstream.model.ClipConfig;
import io.clipstream.model.ClipModel;
import io.clipstream.model.engine.Engines;
import io.clipstream.model.engine.Precision;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Random;

/**
 * Training throughput and loss in fp32 against bf16 mixed precision (OpenCLIP's {@code amp_bf16}: float32 masters,
 * bf16 products), the same model, seed and batches. The two trainers take turns, one step each on the same batch,
 * so that a change of load on a shared machine slows both alike: the ratio is the figure. Prints; asserts nothing
 * about time.
 *
 * <p>The batches are a learnable stream, so that the loss has somewhere to go: {@code 4 × batch} concepts, each a
 * random caption and a random prototype picture, every batch {@code batch} distinct ones with fresh noise on the
 * pictures (seeded by the step). Batches are made before each step's clock starts.
 *
 * <p>Run: {@code ./mvnw -o -B -q -pl model-train -am -Pbench test -Dtest=TrainingPrecisionBench
 * -Dsurefire.failIfNoSpecifiedTests=false}; {@code -Dbench.training.steps=N} (300), {@code .batch} (32),
 * {@code .config} ({@code small}), {@code .seed} (1), {@code .lr} (5e-4).
 */
@Tag("bench")
class TrainingPrecisionBench {

    /** Steps of each trainer left out of the throughput (first-call allocations, kernel choice); they still train. */
    private static final int WARM_UP = 2;

    @Test
    void fp32AgainstBf16() {
        int steps = Integer.getInteger("bench.training.steps", 300);
        int batch = Integer.getInteger("bench.training.batch", 32);
        long seed = Long.getLong("bench.training.seed", 1L);
        double learningRate = Double.parseDouble(System.getProperty("bench.training.lr", "5e-4"));
        ClipConfig config = ClipConfig.preset(System.getProperty("bench.training.config", "small"));
        System.out.printf(Locale.ROOT, "TrainingPrecisionBench: %s, config %s, batch %d, %d steps, seed %d, lr %s,"
                + " load %s%n", Engines.describe(), config, batch, steps, seed, learningRate, loadAverage());
        TrainingConfig training = TrainingConfig.of(LearningRateSchedule.warmupConstant(learningRate, 10));
        try (NDManager manager = Engines.newManager()) {
            Engines.pytorch().setRandomSeed((int) seed);
            ClipModel start = new ClipModel(config).initialize(manager);
            Concepts concepts = new Concepts(config, 4 * batch, seed);
            Run fp32 = new Run(Precision.FP32, steps);
            Run bf16 = new Run(Precision.BF16, steps);
            try (ClipTrainer fp32Trainer = ClipTrainer.create(TrainMicroBatchTest.copyOf(start, manager), training);
                    ClipTrainer bf16Trainer = ClipTrainer.create(TrainMicroBatchTest.copyOf(start, manager),
                            training.withPrecision(Precision.BF16))) {
                for (int step = 0; step < steps; step++) {
                    try (NDManager scope = manager.newSubManager()) {
                        NDArray[] pairs = concepts.batch(scope, batch, seed * 1_000_003L + step);
                        fp32.step(fp32Trainer, pairs, step);
                        bf16.step(bf16Trainer, pairs, step);
                    }
                }
            }
            print(fp32, bf16, batch, steps);
        }
    }

    private static void print(Run fp32, Run bf16, int batch, int steps) {
        int timed = steps - WARM_UP;
        if (timed <= 0) {
            System.out.printf("%d steps: none timed after the %d warm-up steps%n", steps, WARM_UP);
        } else {
            double fp32Rate = batch * timed / (fp32.nanos / 1e9);
            double bf16Rate = batch * timed / (bf16.nanos / 1e9);
            System.out.printf(Locale.ROOT, "%-5s %12s %12s%n", "", "samples/s", "ms/step");
            System.out.printf(Locale.ROOT, "%-5s %12.2f %12.1f%n", "fp32", fp32Rate, fp32.nanos / 1e6 / timed);
            System.out.printf(Locale.ROOT, "%-5s %12.2f %12.1f%n", "bf16", bf16Rate, bf16.nanos / 1e6 / timed);
            System.out.printf(Locale.ROOT, "bf16 / fp32 samples/s: %.2fx (%d timed steps each)%n", bf16Rate / fp32Rate,
                    timed);
        }
        int window = Math.max(1, steps / 10);
        System.out.printf(Locale.ROOT, "mean loss per %d steps:%n%-11s %10s %10s %10s%n", window, "steps", "fp32",
                "bf16", "bf16-fp32");
        for (int from = 0; from < steps; from += window) {
            int to = Math.min(steps, from + window);
            double a = fp32.meanLoss(from, to);
            double b = bf16.meanLoss(from, to);
            System.out.printf(Locale.ROOT, "%-11s %10.4f %10.4f %+10.4f%n", from + "-" + (to - 1), a, b, b - a);
        }
        System.out.printf(Locale.ROOT, "last loss: fp32 %.4f, bf16 %.4f; load %s%n", fp32.losses[steps - 1],
                bf16.losses[steps - 1], loadAverage());
    }

    /** One precision's losses and its time in steps after the warm-up. */
    private static final class Run {
        final Precision precision;
        final float[] losses;
        long nanos;

        Run(Precision precision, int steps) {
            this.precision = precision;
            this.losses = new float[steps];
        }

        void step(ClipTrainer trainer, NDArray[] pairs, int step) {
            long t0 = System.nanoTime();
            losses[step] = trainer.step(pairs[0], pairs[1]).loss();
            if (step >= WARM_UP) {
                nanos += System.nanoTime() - t0;
            }
        }

        double meanLoss(int from, int to) {
            double sum = 0;
            for (int i = from; i < to; i++) {
                sum += losses[i];
            }
            return sum / (to - from);
        }
    }

    /** Captions with a prototype picture each; a batch is distinct ones, their pictures noised. */
    private static final class Concepts {
        private final ClipConfig config;
        private final float[][] prototypes;
        private final long[][] captions;

        Concepts(ClipConfig config, int count, long seed) {
            this.config = config;
            Random random = new Random(seed);
            int size = 3 * config.imageSize() * config.imageSize();
            prototypes = new float[count][size];
            captions = new long[count][config.contextLength()];
            int vocab = config.vocabSize();
            for (int c = 0; c < count; c++) {
                for (int i = 0; i < size; i++) {
                    prototypes[c][i] = (float) random.nextGaussian();
                }
                // As CLIP frames a caption: start token, words, end-of-text (the highest id), zero padding.
                int end = 2 + random.nextInt(14);
                captions[c][0] = vocab - 2;
                for (int t = 1; t < end; t++) {
                    captions[c][t] = 1 + random.nextInt(vocab - 3);
                }
                captions[c][end] = vocab - 1;
            }
        }

        /** Pixels [rows, 3, s, s] and token ids [rows, context] in {@code scope}. */
        NDArray[] batch(NDManager scope, int rows, long seed) {
            Random random = new Random(seed);
            List<Integer> order = new ArrayList<>();
            for (int c = 0; c < prototypes.length; c++) {
                order.add(c);
            }
            Collections.shuffle(order, random);
            int size = prototypes[0].length;
            float[] pixels = new float[rows * size];
            long[][] ids = new long[rows][];
            for (int row = 0; row < rows; row++) {
                int c = order.get(row);
                for (int i = 0; i < size; i++) {
                    pixels[row * size + i] = prototypes[c][i] + (float) random.nextGaussian();
                }
                ids[row] = captions[c];
            }
            return new NDArray[] {scope.create(pixels, new Shape(rows, 3, config.imageSize(), config.imageSize())), scope.create(ids)};
        }
    }

    static String loadAverage() {
        try {
            return Files.readString(Path.of("/proc/loadavg")).trim();
        } catch (IOException e) {
            return "unknown";
        }
    }
}
