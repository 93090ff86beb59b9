package io.clipstream.model.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.clipstream.model.ClipConfig;
import io.clipstream.model.ClipModel;
import io.clipstream.model.engine.Engines;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;

import org.junit.jupiter.api.Test;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Micro-batches the OpenCLIP way (cache embeddings, recompute one micro-batch at a time against
 * the whole batch) must train exactly as the whole batch in one pass — including an uneven split.
 */
class TrainMicroBatchTest {

    private static final ClipConfig TINY = ClipConfig.preset("tiny").withVocabSize(700);

    @Test
    void microBatchesGiveTheSameStepsAsTheWholeBatch() {
        try (NDManager manager = Engines.newManager()) {
            Engines.pytorch().setRandomSeed(5);
            ClipModel whole = new ClipModel(TINY).initialize(manager);
            ClipModel micro = copyOf(whole, manager);
            ClipModel naive = copyOf(whole, manager);
            TrainingConfig config = TrainingConfig.of(LearningRateSchedule.warmupConstant(1e-3, 0));
            try (ClipTrainer wholeTrainer = ClipTrainer.create(whole, config);
                    ClipTrainer microTrainer = ClipTrainer.create(micro, config.withMicroBatchSize(5))) {
                for (int step = 0; step < 2; step++) {
                    NDArray pixels = RandomPairs.pixels(manager, TINY, 16, 10 + step);
                    NDArray ids = RandomPairs.tokenIds(manager, TINY, 16, 20 + step);
                    StepResult a = wholeTrainer.step(pixels, ids);
                    StepResult b = microTrainer.step(pixels, ids);
                    assertEquals(a.loss(), b.loss(), 1e-5f, "loss of step " + step);
                    assertEquals(a.gradientNorm(), b.gradientNorm(), 1e-4 * a.gradientNorm(), "norm of step " + step);
                }
                float worst = maxDifference(whole, micro);
                assertTrue(worst < 2e-5f, "micro-batched weights differ by " + worst);
            }
            // What it avoids: the mean of per-micro-batch losses has fewer negatives and trains differently.
            float naiveLoss = 0;
            try (NDManager scope = manager.newSubManager()) {
                NDArray pixels = RandomPairs.pixels(scope, TINY, 16, 10);
                NDArray ids = RandomPairs.tokenIds(scope, TINY, 16, 20);
                NDArray image = naive.encodeImageNormalized(pixels);
                NDArray text = naive.encodeTextNormalized(ids);
                NDArray scale = scope.create(naive.logitScale());
                for (int start = 0; start < 16; start += 4) {
                    String rows = start + ":" + (start + 4);
                    naiveLoss += ClipLoss.loss(image.get(rows), text.get(rows), scale).getFloat() / 4;
                }
                float full = ClipLoss.loss(image, text, scale).getFloat();
                assertTrue(Math.abs(full - naiveLoss) > 0.1f, full + " vs " + naiveLoss);
            }
        }
    }

    @Test
    void cutsBatchesIntoMicroBatchesOfAtMostTheSize() {
        assertArrayEquals(new long[] {5, 10, 15}, ContrastiveBackward.cuts(16, 5));
        assertArrayEquals(new long[] {4, 8, 12}, ContrastiveBackward.cuts(16, 4));
        assertArrayEquals(new long[] {}, ContrastiveBackward.cuts(3, 4));
    }

    static ClipModel copyOf(ClipModel model, NDManager manager) {
        Map<String, NDArray> weights = new LinkedHashMap<>();
        model.namedParameters().forEach((name, p) -> weights.put(name, p.getArray().duplicate()));
        return new ClipModel(model.config()).loadWeights(manager, weights);
    }

    static float maxDifference(ClipModel a, ClipModel b) {
        float worst = 0;
        for (String name : a.namedParameters().keySet()) {
            float[] x = a.namedParameters().get(name).getArray().toFloatArray();
            float[] y = b.namedParameters().get(name).getArray().toFloatArray();
            for (int i = 0; i < x.length; i++) {
                worst = Math.max(worst, Math.abs(x[i] - y[i]));
            }
        }
        return worst;
    }
}
