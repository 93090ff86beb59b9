package io.clipstream.model.train;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.clipstream.model.ClipConfig;
import io.clipstream.model.ClipModel;
import io.clipstream.model.ModelFlops;
import io.clipstream.model.engine.Engines;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.Shape;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Training on the CPU, printed as tables; asserts nothing about time.
 * <ul>
 *   <li>{@link #stepThroughput}: samples/s and step time of {@code tiny} and {@code small} (CLIP's
 *       full vocabulary), with model-FLOPs utilisation: 3 × the analytic forward FLOPs
 *       ({@link ModelFlops}) per sample against a 1024³ fp32 matrix product measured in the same
 *       run (the best of samples taken before, between and after, as the machine is shared).</li>
 *   <li>{@link #residentMemoryOverManySteps}: RSS over 10,000 steps of a tiny model
 *       ({@code -Dbench.rss.steps=N}); with a pre-touched fixed heap
 *       ({@code "-Ddjl.argLine=... -Xms768m -Xmx768m -XX:+AlwaysPreTouch"}) its growth is native.</li>
 *   <li>{@link #emojiLearningCurve}: loss, held-out recall and zero-shot accuracy along a longer
 *       run than {@link TrainEmojiTest} affords ({@code -Dbench.emoji.steps=N}, {@code .batch},
 *       {@code .every}, {@code .lr}, {@code .vocab}, {@code .wd}).</li>
 * </ul>
 *
 * <p>Run: {@code ./mvnw -q -B -pl model-train -am -Pbench test -Dtest=TrainingBench -Dsurefire.failIfNoSpecifiedTests=false}
 * (one of them: {@code -Dtest='TrainingBench#stepThroughput'}).
 */
@Tag("bench")
class TrainingBench {

    private static final long MEASURE_NANOS = 15_000_000_000L;
    private static final int MIN_STEPS = 5;

    private record Case(String preset, int batch, int tokens) {
    }

    private record Row(Case c, int steps, double meanSeconds, double bestSeconds, double flopsPerSample) {

        double samplesPerSecond() {
            return c.batch() / meanSeconds;
        }

        double gflops() {
            return samplesPerSecond() * flopsPerSample / 1e9;
        }
    }

    @Test
    void stepThroughput() {
        System.out.println("TrainingBench: " + Engines.describe());
        List<Case> cases = List.of(new Case("tiny", 32, 77), new Case("tiny", 64, 77), new Case("tiny", 64, 16),
                new Case("small", 32, 77));
        List<Double> ceilings = new ArrayList<>();
        List<Row> rows = new ArrayList<>();
        try (NDManager manager = Engines.newManager()) {
            ceilings.add(matmulGflops(manager));
            for (Case c : cases) {
                rows.add(measure(c, manager));
                ceilings.add(matmulGflops(manager));
            }
        }
        double ceiling = ceilings.stream().mapToDouble(Double::doubleValue).max().orElseThrow();
        System.out.printf(Locale.ROOT, "%-6s %5s %6s %10s %10s %10s %13s %9s %7s%n", "model", "batch", "tokens",
                "samples/s", "ms/step", "best ms", "GFLOP/sample", "GFLOP/s", "MFU");
        for (Row r : rows) {
            System.out.printf(Locale.ROOT, "%-6s %5d %6d %10.1f %10.1f %10.1f %13.3f %9.1f %6.1f%%   (%d steps)%n",
                    r.c().preset(), r.c().batch(), r.c().tokens(), r.samplesPerSecond(), r.meanSeconds() * 1e3,
                    r.bestSeconds() * 1e3, r.flopsPerSample() / 1e9, r.gflops(), 100 * r.gflops() / ceiling, r.steps());
        }
        System.out.printf(Locale.ROOT, "matmul 1024^3 fp32 ceiling: best %.1f GFLOP/s of %s; MFU = 3 x forward"
                + " FLOPs x samples/s / ceiling (AdamW, loss and copies count as time, not FLOPs)%n", ceiling,
                ceilings.stream().map(g -> String.format(Locale.ROOT, "%.1f", g)).toList());
    }

    private static Row measure(Case c, NDManager parent) {
        ClipConfig config = ClipConfig.preset(c.preset());
        double flops = 3 * (ModelFlops.image(config) + ModelFlops.text(config, c.tokens()));
        try (NDManager manager = parent.newSubManager()) {
            ClipModel model = new ClipModel(config).initialize(manager);
            NDArray pixels = RandomPairs.pixels(manager, config, c.batch(), 1);
            NDArray ids = RandomPairs.tokenIds(manager, config, c.batch(), 2).get(new NDIndex(":, 0:{}", c.tokens()));
            try (ClipTrainer trainer = ClipTrainer.create(model,
                    TrainingConfig.of(LearningRateSchedule.warmupConstant(1e-4, 0)))) {
                trainer.step(pixels, ids); // warm-up: first-call allocations and kernel choice
                trainer.step(pixels, ids);
                int steps = 0;
                double best = Double.MAX_VALUE;
                long start = System.nanoTime();
                while (steps < MIN_STEPS || System.nanoTime() - start < MEASURE_NANOS) {
                    long t0 = System.nanoTime();
                    trainer.step(pixels, ids);
                    best = Math.min(best, (System.nanoTime() - t0) / 1e9);
                    steps++;
                }
                return new Row(c, steps, (System.nanoTime() - start) / 1e9 / steps, best, flops);
            }
        }
    }

    private static double matmulGflops(NDManager parent) {
        try (NDManager scope = parent.newSubManager()) {
            NDArray a = scope.randomNormal(new Shape(1024, 1024));
            NDArray b = scope.randomNormal(new Shape(1024, 1024));
            a.matMul(b).close();
            int runs = 0;
            long start = System.nanoTime();
            while (runs < 5 || System.nanoTime() - start < 2_000_000_000L) {
                a.matMul(b).close();
                runs++;
            }
            return 2.0 * 1024 * 1024 * 1024 * runs / ((System.nanoTime() - start) / 1e9) / 1e9;
        }
    }

    /**
     * RSS of the JVM along many steps of a tiny model (vocabulary 2,048, batch 8, 16 token
     * positions, the batch made afresh each step as a service would), beside the Java heap and the
     * count of open NDArrays.
     */
    @Test
    void residentMemoryOverManySteps() throws IOException {
        int steps = Integer.getInteger("bench.rss.steps", 10_000);
        int batch = 8;
        ClipConfig config = ClipConfig.preset("tiny").withVocabSize(2048);
        System.out.println("TrainingBench: " + Engines.describe());
        try (NDManager manager = Engines.newManager()) {
            ClipModel model = new ClipModel(config).initialize(manager);
            TrainingConfig training = TrainingConfig.of(LearningRateSchedule.warmupConstant(1e-4, 100));
            try (ClipTrainer trainer = ClipTrainer.create(model, training)) {
                long baseline = 0;
                long settled = 0; // after JIT warm-up and the first rounds of direct buffers awaiting GC
                int openArrays = 0;
                long start = System.nanoTime();
                int every = Integer.getInteger("bench.rss.every", 1000);
                System.out.printf(Locale.ROOT, "%7s %9s %10s %10s %10s %11s %8s%n", "step", "RSS MiB", "heap MiB",
                        "committed", "ms/step", "open arrays", "loss");
                for (int step = 1; step <= steps; step++) {
                    float loss;
                    try (NDManager data = manager.newSubManager()) {
                        NDArray pixels = RandomPairs.pixels(data, config, batch, step);
                        NDArray ids = RandomPairs.tokenIds(data, config, batch, -step).get(new NDIndex(":, 0:16"));
                        loss = trainer.step(pixels, ids).loss();
                    }
                    if (step == 200) {
                        baseline = rssKiB();
                        openArrays = TrainOverfitTest.managed(manager);
                    }
                    if (step == steps / 5) {
                        settled = rssKiB();
                    }
                    if (step == 1 || step == 200 || step % every == 0) {
                        Runtime runtime = Runtime.getRuntime();
                        System.out.printf(Locale.ROOT, "%7d %9.1f %10.1f %10.1f %10.1f %11d %8.3f%n", step,
                                rssKiB() / 1024.0, (runtime.totalMemory() - runtime.freeMemory()) / 1048576.0,
                                runtime.totalMemory() / 1048576.0,
                                (System.nanoTime() - start) / 1e6 / step, TrainOverfitTest.managed(manager), loss);
                    }
                }
                long end = rssKiB();
                System.out.printf(Locale.ROOT, "RSS growth to step %d: from step 200 %+.1f MiB (%.1f -> %.1f MiB),"
                        + " from step %d %+.1f MiB%n", steps, (end - baseline) / 1024.0, baseline / 1024.0,
                        end / 1024.0, steps / 5, (end - settled) / 1024.0);
                assertEquals(openArrays, TrainOverfitTest.managed(manager), "open arrays");
            }
        }
    }

    private static long rssKiB() throws IOException {
        for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
            if (line.startsWith("VmRSS:")) {
                return Long.parseLong(line.replaceAll("\\D", ""));
            }
        }
        throw new IllegalStateException("no VmRSS in /proc/self/status");
    }

    @Test
    void emojiLearningCurve() {
        int steps = Integer.getInteger("bench.emoji.steps", 1500);
        int batch = Integer.getInteger("bench.emoji.batch", 64);
        int every = Integer.getInteger("bench.emoji.every", 100);
        double lr = Double.parseDouble(System.getProperty("bench.emoji.lr", "1e-3"));
        int vocab = Integer.getInteger("bench.emoji.vocab", 2048);
        double wd = Double.parseDouble(System.getProperty("bench.emoji.wd", "0.1"));
        try (EmojiExperiment experiment = new EmojiExperiment(ClipConfig.preset("tiny"), vocab, 200, 50, 7)) {
            System.out.printf(Locale.ROOT, "emoji: %d training pairs, vocab %d, batch %d, lr %g (warm-up 50, cosine),"
                    + " wd %g; zero-shot prompt \"%s\" (and the label alone)%n", experiment.trainingPairs(),
                    experiment.tokenizer().vocabSize(), batch, lr, wd, EmojiExperiment.PROMPT);
            TrainingConfig config = TrainingConfig.of(LearningRateSchedule.warmupCosine(lr, 50, steps))
                    .withOptimizer(AdamW.Settings.openClip().withWeightDecay(wd));
            experiment.train(config, batch, steps, every);
        }
    }
}
