package io.clipstream.model.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.clipstream.model.ClipConfig;
import io.clipstream.model.ClipModel;
import io.clipstream.model.engine.Engines;

import ai.djl.ndarray.BaseNDManager;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

class TrainOverfitTest {

    private static final ClipConfig TINY = ClipConfig.preset("tiny").withVocabSize(1000);
    private static final int PAIRS = 16;

    @Test
    void tinyModelOverfitsAFixedBatchWithEveryParameterLearning() {
        try (NDManager manager = Engines.newManager()) {
            TrainingStart start = TrainingStart.seeded(manager, TINY, PAIRS, 11);
            ClipModel model = start.model();
            NDArray pixels = start.pixels();
            NDArray ids = start.ids();
            TrainingConfig config = TrainingConfig.of(LearningRateSchedule.warmupConstant(1e-3, 10));
            try (ClipTrainer trainer = ClipTrainer.create(model, config)) {
                StepResult first = trainer.step(pixels, ids);
                // After one step the first moment is (1 − β1)·g: zero exactly where the gradient was.
                List<String> withoutGradient = new ArrayList<>();
                for (String name : model.namedParameters().keySet()) {
                    if (trainer.optimizer().firstMoment(name).abs().sum().getFloat() == 0f) {
                        withoutGradient.add(name);
                    }
                }
                assertEquals(List.of(), withoutGradient);

                int arrays = managed(manager);
                StepResult last = first;
                long started = System.nanoTime();
                while (last.step() < 300 && last.loss() >= 0.1f * first.loss()) {
                    last = trainer.step(pixels, ids);
                    assertTrue(last.logitScale() <= 100f, "scale " + last.logitScale());
                    assertEquals(arrays, managed(manager), "open arrays after step " + last.step());
                }
                System.out.printf("overfit: loss %.4f -> %.4f in %d steps (%.1f ms/step), scale %.2f%n",
                        first.loss(), last.loss(), last.step(), (System.nanoTime() - started) / 1e6 / (last.step() - 1),
                        last.logitScale());
                assertTrue(last.loss() < 0.1f * first.loss(), "loss " + first.loss() + " -> " + last.loss());
            }
        }
    }

    static int managed(NDManager manager) {
        return ((BaseNDManager) manager).getManagedArrays().size();
    }
}
