package io.clipstream.model.train;

import io.clipstream.model.ClipConfig;
import io.clipstream.model.ClipModel;
import io.clipstream.model.engine.Bfloat16;
import io.clipstream.model.engine.Engines;
import io.clipstream.model.engine.MixedPrecisionStore;
import io.clipstream.model.engine.Precision;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.nn.Parameter;
import ai.djl.pytorch.engine.PtNDArray;
import ai.djl.pytorch.jni.JniUtils;
import ai.djl.training.GradientCollector;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * Where a training step's time goes, in fp32 and in bf16 mixed precision: the phases of {@link ClipTrainer#step} in
 * one pass (zeroing the gradients, forward with the loss, backward, the clipping norm, the AdamW update) timed one
 * by one. The step is written out here, as the trainer runs it, because the trainer has no clock inside; the CPU
 * runs each op before the next starts, so a phase's time is its own (on a GPU it would not be). The two precisions
 * take turns, one step each on the same batch, so that a change of load slows both alike. Then the casts alone: every
 * weight a bf16 step casts, to bf16 and back (the forward's casts and, the same size, the backward's). Prints; asserts
 * nothing about time.
 *
 * <p>Run: {@code ./mvnw -o -B -q -pl model-train -am -Pbench test -Dtest=TrainingPhasesBench
 * -Dsurefire.failIfNoSpecifiedTests=false}; {@code -Dbench.phases.steps=N} (12), {@code .batch} (32),
 * {@code .config} ({@code small}).
 */
@Tag("bench")
class TrainingPhasesBench {

    private static final int WARM_UP = 2;
    private static final String[] PHASES = {"zero grads", "forward+loss", "backward", "clip norm", "AdamW"};

    @Test
    void phasesOfAStepInFp32AndBf16() {
        int steps = Integer.getInteger("bench.phases.steps", 12);
        int batch = Integer.getInteger("bench.phases.batch", 32);
        ClipConfig config = ClipConfig.preset(System.getProperty("bench.phases.config", "small"));
        System.out.printf(Locale.ROOT, "TrainingPhasesBench: %s, config %s, batch %d, %d steps, load %s%n",
                Engines.describe(), config, batch, steps, loadAverage());
        try (NDManager manager = Engines.newManager()) {
            Engines.pytorch().setRandomSeed(1);
            ClipModel start = new ClipModel(config).initialize(manager);
            Phases fp32 = new Phases(Precision.FP32, TrainMicroBatchTest.copyOf(start, manager), manager);
            Phases bf16 = new Phases(Precision.BF16, TrainMicroBatchTest.copyOf(start, manager), manager);
            try (fp32; bf16) {
                for (int step = 0; step < steps; step++) {
                    try (NDManager scope = manager.newSubManager()) {
                        NDArray pixels = RandomPairs.pixels(scope, config, batch, 10 + step);
                        NDArray ids = RandomPairs.tokenIds(scope, config, batch, 20 + step);
                        fp32.step(pixels, ids, step >= WARM_UP);
                        bf16.step(pixels, ids, step >= WARM_UP);
                    }
                }
            }
            int timed = steps - WARM_UP;
            System.out.printf(Locale.ROOT, "%-14s %10s %7s %10s %7s%n", "ms/step", "fp32", "share", "bf16", "share");
            for (int p = 0; p <= PHASES.length; p++) {
                String name = p < PHASES.length ? PHASES[p] : "step";
                System.out.printf(Locale.ROOT, "%-14s %10.1f %6.1f%% %10.1f %6.1f%%%n", name, fp32.ms(p, timed),
                        100 * fp32.share(p), bf16.ms(p, timed), 100 * bf16.share(p));
            }
            System.out.printf(Locale.ROOT, "bf16 / fp32 samples/s: %.2fx (%d timed steps each)%n",
                    fp32.ms(PHASES.length, timed) / bf16.ms(PHASES.length, timed), timed);
            castsAlone(start, manager);
            System.out.println("load " + loadAverage());
        }
    }

    /** One precision's model, optimiser and time per phase (the last slot: the whole step). */
    private static final class Phases implements AutoCloseable {
        final Precision precision;
        final ClipModel model;
        final Map<String, Parameter> parameters;
        final AdamW optimizer;
        final long[] nanos = new long[PHASES.length + 1];

        Phases(Precision precision, ClipModel model, NDManager manager) {
            this.precision = precision;
            this.model = model;
            this.parameters = model.namedParameters();
            this.optimizer = new AdamW(ParameterGroups.of(parameters), AdamW.Settings.openClip(), manager);
        }

        void step(NDArray pixels, NDArray ids, boolean timed) {
            long[] at = new long[PHASES.length + 1];
            try (NDManager scope = pixels.getManager().newSubManager()) {
                at[0] = System.nanoTime();
                parameters.values().forEach(p -> JniUtils.zeroGrad((PtNDArray) p.getArray()));
                at[1] = System.nanoTime();
                try (GradientCollector collector = Engines.pytorch().newGradientCollector()) {
                    NDList out = model.forward(MixedPrecisionStore.forTraining(scope, precision),
                            new NDList(pixels, ids), true);
                    NDArray loss = ClipLoss.loss(out.get(0), out.get(1), out.get(2));
                    loss.attach(scope);
                    at[2] = System.nanoTime();
                    collector.backward(loss);
                }
                at[3] = System.nanoTime();
                Map<String, NDArray> gradients = new LinkedHashMap<>();
                parameters.forEach((name, p) -> {
                    NDArray gradient = p.getArray().getGradient();
                    gradient.attach(scope);
                    gradients.put(name, gradient);
                });
                double norm = GradientClipping.globalNorm(gradients.values());
                at[4] = System.nanoTime();
                optimizer.step(gradients, 1e-4, GradientClipping.coefficient(norm, 1.0));
                at[5] = System.nanoTime();
            }
            if (timed) {
                for (int p = 0; p < PHASES.length; p++) {
                    nanos[p] += at[p + 1] - at[p];
                }
                nanos[PHASES.length] += at[PHASES.length] - at[0];
            }
        }

        double ms(int phase, int steps) {
            return nanos[phase] / 1e6 / steps;
        }

        double share(int phase) {
            return (double) nanos[phase] / nanos[PHASES.length];
        }

        @Override
        public void close() {
            optimizer.close();
        }
    }

    /** Every weight a bf16 step casts (the heavy blocks' matrices, biases and projections), to bf16 and back. */
    private static void castsAlone(ClipModel model, NDManager manager) {
        int rounds = 5;
        long elements = 0;
        long down = 0;
        long up = 0;
        for (int round = 0; round < rounds; round++) {
            try (NDManager scope = manager.newSubManager()) {
                for (Map.Entry<String, Parameter> entry : model.namedParameters().entrySet()) {
                    String name = entry.getKey();
                    if (name.contains("embedding") || name.contains("ln_") || name.equals("logit_scale")) {
                        continue; // looked up, normalised or scaled in float32: never cast
                    }
                    NDArray weight = entry.getValue().getArray();
                    long t0 = System.nanoTime();
                    NDArray low = Bfloat16.of(weight);
                    long t1 = System.nanoTime();
                    NDArray back = Bfloat16.toFloat32(low);
                    long t2 = System.nanoTime();
                    low.attach(scope);
                    back.attach(scope);
                    if (round > 0) {
                        elements += weight.size();
                        down += t1 - t0;
                        up += t2 - t1;
                    }
                }
            }
        }
        System.out.printf(Locale.ROOT, "casts alone, %d weight elements: to bf16 %.1f ms, back to fp32 %.1f ms%n",
                elements / (rounds - 1), down / 1e6 / (rounds - 1), up / 1e6 / (rounds - 1));
    }

    private static String loadAverage() {
        try {
            return Files.readString(Path.of("/proc/loadavg")).trim();
        } catch (IOException e) {
            return "unknown";
        }
    }
}
