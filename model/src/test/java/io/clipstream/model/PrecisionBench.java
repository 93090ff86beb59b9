package io.clipstream.model;

import io.clipstream.model.bench.TowerBench;
import io.clipstream.model.engine.CastParameterStore;
import io.clipstream.model.engine.Engines;
import io.clipstream.model.engine.Precision;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import java.util.Locale;
import java.util.Random;

/**
 * vit-b-32 towers (random weights) at batch 32 in fp32 and bf16, back to back in one run (the
 * machine is shared: the ratio is the figure), with the cosine between the two precisions'
 * features of the same inputs, and the 2048³ matrix product in both. Prints; asserts nothing about time.
 *
 * <p>Run: {@code ./mvnw -q -B -pl model -am -Pbench test -Dtest=PrecisionBench -Dsurefire.failIfNoSpecifiedTests=false}
 */
@Tag("bench")
class PrecisionBench {

    private static final int BATCH = 32;

    @Test
    void vitB32Bf16AgainstFp32() {
        ClipConfig config = ClipConfig.preset(System.getProperty("bench.config", "vit-b-32"));
        TowerBench bench = new TowerBench(3_000_000_000L, 3);
        System.out.println("PrecisionBench: " + Engines.describe() + ", config " + config);
        try (NDManager manager = Engines.newManager();
                NDManager fp32Copies = manager.newSubManager();
                NDManager bf16Copies = manager.newSubManager()) {
            ClipModel model = new ClipModel(config).initialize(manager);
            CastParameterStore fp32 = new CastParameterStore(fp32Copies, Precision.FP32);
            CastParameterStore bf16 = new CastParameterStore(bf16Copies, Precision.BF16);

            for (int n : new int[] {1024, 2048}) {
                System.out.printf(Locale.ROOT, "matmul %d^3: fp32 %.1f GFLOP/s, bf16 %.1f GFLOP/s%n", n,
                        bench.matmulGflops(manager, n, Precision.FP32), bench.matmulGflops(manager, n, Precision.BF16));
            }

            NDArray pixels = manager.randomNormal(new Shape(BATCH, 3, config.imageSize(), config.imageSize()));
            float[] imageCos = TowerBench.rowCosines(model.encodeImage(pixels, fp32), model.encodeImage(pixels, bf16));
            NDArray ids = manager.create(TowerBench.randomIds(BATCH, config, new Random(3)));
            float[] textCos = TowerBench.rowCosines(model.encodeText(ids, fp32), model.encodeText(ids, bf16));
            System.out.printf(Locale.ROOT, "cosine bf16 vs fp32, batch %d: image min %.5f mean %.5f; text min %.5f mean %.5f%n",
                    BATCH, min(imageCos), mean(imageCos), min(textCos), mean(textCos));

            for (int round = 0; round < 2; round++) {
                TowerBench.Timing i32 = bench.imageTower(model, fp32, manager, BATCH);
                TowerBench.Timing i16 = bench.imageTower(model, bf16, manager, BATCH);
                TowerBench.Timing t32 = bench.textTower(model, fp32, manager, BATCH, new Random(5));
                TowerBench.Timing t16 = bench.textTower(model, bf16, manager, BATCH, new Random(5));
                System.out.printf(Locale.ROOT, "round %d batch %d: image fp32 %.1f /s, bf16 %.1f /s (%.2fx); "
                                + "text fp32 %.1f /s, bf16 %.1f /s (%.2fx)%n", round, BATCH,
                        i32.perSecond(BATCH), i16.perSecond(BATCH), i16.perSecond(BATCH) / i32.perSecond(BATCH),
                        t32.perSecond(BATCH), t16.perSecond(BATCH), t16.perSecond(BATCH) / t32.perSecond(BATCH));
            }
        }
    }

    private static float min(float[] values) {
        float m = Float.MAX_VALUE;
        for (float v : values) {
            m = Math.min(m, v);
        }
        return m;
    }

    private static float mean(float[] values) {
        double s = 0;
        for (float v : values) {
            s += v;
        }
        return (float) (s / values.length);
    }
}
