package io.clipstream.model.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.clipstream.model.ClipConfig;
import io.clipstream.model.ClipModel;
import io.clipstream.model.engine.Engines;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.util.LinkedHashMap;
import java.util.Map;

class TrainStepTest {

    private static final ClipConfig TINY = ClipConfig.preset("tiny").withVocabSize(600);

    /**
     * OpenCLIP clamps the parameter itself to [0, ln 100] after each step. Without that, a value
     * above the cap would stay there for ever: the forward pass clamps too, so it gets no gradient.
     */
    @ParameterizedTest
    @CsvSource({"5.0, 4.6051702", "-1.0, 0.0"})
    void theLogitScaleParameterIsClampedToItsRange(float start, float expected) {
        try (NDManager manager = Engines.newManager()) {
            ClipModel model = withLogitScale(new ClipModel(TINY).initialize(manager), start, manager);
            TrainingConfig config = TrainingConfig.of(LearningRateSchedule.warmupConstant(1e-3, 0));
            try (ClipTrainer trainer = ClipTrainer.create(model, config)) {
                StepResult result = trainer.step(RandomPairs.pixels(manager, TINY, 4, 1),
                        RandomPairs.tokenIds(manager, TINY, 4, 2));
                float raw = model.namedParameters().get("logit_scale").getArray().getFloat();
                assertEquals(expected, raw, 1e-6f);
                assertEquals((float) Math.exp(expected), result.logitScale(), 1e-4f);
            }
        }
    }

    @Test
    void aNonFiniteStepChangesNothing() {
        try (NDManager manager = Engines.newManager()) {
            TrainingStart start = TrainingStart.of(manager, TINY, 4);
            NDArray ids = start.ids();
            NDArray poisoned = start.pixels();
            poisoned.set(new ai.djl.ndarray.index.NDIndex("0, 0, 0, 0"), Float.NaN);
            ClipModel model = start.model();
            ClipModel before = TrainMicroBatchTest.copyOf(model, manager);
            try (ClipTrainer trainer = ClipTrainer.create(model, TrainingConfig.of(
                    LearningRateSchedule.warmupConstant(1e-3, 0)))) {
                NonFiniteLossException e = assertThrows(NonFiniteLossException.class, () -> trainer.step(poisoned, ids));
                assertEquals(1, e.step());
                assertEquals(0, trainer.steps());
                assertEquals(0f, TrainMicroBatchTest.maxDifference(before, model));
                // The next good batch trains normally: no NaN gradient was left behind.
                StepResult good = trainer.step(RandomPairs.pixels(manager, TINY, 4, 3), ids);
                assertEquals(1, good.step());
                assertTrue(Float.isFinite(good.loss()) && Double.isFinite(good.gradientNorm()));
                assertTrue(TrainMicroBatchTest.maxDifference(before, model) > 0);
            }
        }
    }

    @Test
    void stepsInMicroBatchesLeaveNoArrayBehind() {
        try (NDManager manager = Engines.newManager()) {
            ClipModel model = new ClipModel(TINY).initialize(manager);
            TrainingConfig config = TrainingConfig.of(LearningRateSchedule.warmupConstant(1e-3, 0)).withMicroBatchSize(3);
            try (ClipTrainer trainer = ClipTrainer.create(model, config)) {
                NDArray pixels = RandomPairs.pixels(manager, TINY, 8, 1);
                NDArray ids = RandomPairs.tokenIds(manager, TINY, 8, 2);
                trainer.step(pixels, ids);
                int open = TrainOverfitTest.managed(manager);
                for (int step = 0; step < 5; step++) {
                    trainer.step(pixels, ids);
                }
                assertEquals(open, TrainOverfitTest.managed(manager));
            }
        }
    }

    @Test
    void rejectsBatchesThatDoNotFitTheModel() {
        try (NDManager manager = Engines.newManager()) {
            ClipModel model = new ClipModel(TINY).initialize(manager);
            try (ClipTrainer trainer = ClipTrainer.create(model, TrainingConfig.of(
                    LearningRateSchedule.warmupConstant(1e-3, 0)))) {
                NDArray ids = RandomPairs.tokenIds(manager, TINY, 4, 2);
                IllegalArgumentException size = assertThrows(IllegalArgumentException.class,
                        () -> trainer.step(manager.zeros(new Shape(4, 3, 32, 32)), ids));
                assertTrue(size.getMessage().contains("(4, 3, 64, 64)"), size.getMessage());
                IllegalArgumentException rows = assertThrows(IllegalArgumentException.class,
                        () -> trainer.step(RandomPairs.pixels(manager, TINY, 5, 1), ids));
                assertTrue(rows.getMessage().contains("[5, L]"), rows.getMessage());
            }
        }
    }

    private static ClipModel withLogitScale(ClipModel model, float value, NDManager manager) {
        Map<String, NDArray> weights = new LinkedHashMap<>();
        model.namedParameters().forEach((name, p) -> weights.put(name,
                name.equals("logit_scale") ? manager.create(value) : p.getArray().duplicate()));
        return new ClipModel(model.config()).loadWeights(manager, weights);
    }
}
