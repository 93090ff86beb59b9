package io.clipstream.model.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.clipstream.model.ClipConfig;
import io.clipstream.model.ClipModel;
import io.clipstream.model.engine.Engines;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;

import org.junit.jupiter.api.Test;

import java.util.List;

class TrainClippingTest {

    @Test
    void globalNormIsTheNormOfAllGradientsTogether() {
        try (NDManager manager = Engines.newManager()) {
            List<NDArray> gradients = List.of(manager.create(new float[] {3, 4}), manager.create(new float[][] {{12}}));
            assertEquals(13, GradientClipping.globalNorm(gradients), 1e-6);
            assertEquals(2, ((ai.djl.ndarray.BaseNDManager) manager).getManagedArrays().size(), "no temporaries left");
        }
    }

    @Test
    void scalesDownOnlyAboveTheThreshold() {
        assertEquals(1.0, GradientClipping.coefficient(0.5, 1.0));
        assertEquals(1.0 / (13 + 1e-6), GradientClipping.coefficient(13, 1.0), 1e-15);
        assertEquals(1.0, GradientClipping.coefficient(1e9, 0), "0 turns clipping off");
        assertEquals(1.0, GradientClipping.coefficient(1e9, Double.POSITIVE_INFINITY));
    }

    /**
     * With a tiny threshold the update sees gradients of norm 0.001: after one step the first
     * moments, (1 − β1)·clipped gradient, have norm 1e-4, while the step reports the norm before.
     */
    @Test
    void theTrainerClipsWhatTheOptimiserSees() {
        ClipConfig tiny = ClipConfig.preset("tiny").withVocabSize(600);
        try (NDManager manager = Engines.newManager()) {
            ClipModel model = new ClipModel(tiny).initialize(manager);
            TrainingConfig config = TrainingConfig.of(LearningRateSchedule.warmupConstant(1e-4, 0))
                    .withMaxGradientNorm(1e-3);
            try (ClipTrainer trainer = ClipTrainer.create(model, config)) {
                StepResult result = trainer.step(RandomPairs.pixels(manager, tiny, 6, 1),
                        RandomPairs.tokenIds(manager, tiny, 6, 2));
                assertTrue(result.gradientNorm() > 0.01, "norm before clipping " + result.gradientNorm());
                double moments = GradientClipping.globalNorm(model.namedParameters().keySet().stream()
                        .map(trainer.optimizer()::firstMoment).toList());
                assertEquals(0.1 * 1e-3, moments, 1e-8);
            }
        }
    }
}
