package io.clipstream.model.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.clipstream.model.ClipConfig;
import io.clipstream.model.ClipModel;
import io.clipstream.model.checkpoint.CheckpointManifest;
import io.clipstream.model.checkpoint.Checkpoints;
import io.clipstream.model.checkpoint.TrainingState;
import io.clipstream.model.engine.Engines;

import ai.djl.ndarray.NDManager;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/** Stopping, saving, loading into a fresh trainer and going on is the same as never stopping. */
class TrainResumeTest {

    private static final ClipConfig TINY = ClipConfig.preset("tiny").withVocabSize(800);
    private static final int STEPS = 6;
    private static final int PAIRS = 8;
    // Cosine with a warm-up: the learning rate differs at every step, so the step count must resume too.
    private static final TrainingConfig CONFIG = TrainingConfig.of(
            LearningRateSchedule.warmupCosine(2e-3, 3, 2 * STEPS)).withMaxGradientNorm(1.0);

    @TempDir
    Path dir;

    @Test
    void resumingFromACheckpointGivesTheWeightsOfAnUninterruptedRun() throws IOException {
        try (NDManager manager = Engines.newManager()) {
            Engines.pytorch().setRandomSeed(21);
            ClipModel straight = new ClipModel(TINY).initialize(manager);
            ClipModel interrupted = TrainMicroBatchTest.copyOf(straight, manager);

            try (ClipTrainer trainer = ClipTrainer.create(straight, CONFIG)) {
                for (int step = 0; step < 2 * STEPS; step++) {
                    step(trainer, step, manager);
                }
            }

            Files.writeString(dir.resolve("bpe.txt"), "#version: test\n");
            CheckpointManifest saved;
            try (ClipTrainer first = ClipTrainer.create(interrupted, CONFIG)) {
                for (int step = 0; step < STEPS; step++) {
                    step(first, step, manager);
                }
                saved = TrainingCheckpoints.save(dir, first, CheckpointManifest.of("v7", "v6", TINY,
                        Map.of("loss", 1.5)).withTokenizer("bpe.txt"));
            }
            TrainingState state = saved.training();
            assertEquals(STEPS, state.step());
            assertEquals((long) STEPS * PAIRS, state.samplesSeen());
            assertEquals(TrainingCheckpoints.OPTIMIZER_FILE, state.optimizerFile());
            assertEquals(Checkpoints.sha256(dir.resolve(TrainingCheckpoints.OPTIMIZER_FILE)), state.optimizerSha256());
            assertNotNull(saved.tokenizerSha256());

            // A fresh process would see only the directory.
            try (Checkpoints.Loaded checkpoint = Checkpoints.load(dir);
                    ClipTrainer resumed = TrainingCheckpoints.resume(checkpoint, CONFIG)) {
                assertEquals(saved, checkpoint.manifest());
                assertEquals(STEPS, resumed.steps());
                assertEquals((long) STEPS * PAIRS, resumed.samplesSeen());
                StepResult last = null;
                for (int step = STEPS; step < 2 * STEPS; step++) {
                    last = step(resumed, step, manager);
                }
                assertEquals(2 * STEPS, last.step());
                assertEquals(CONFIG.schedule().at(2 * STEPS - 1), last.learningRate());
                float worst = TrainMicroBatchTest.maxDifference(straight, checkpoint.model());
                assertTrue(worst < 1e-6f, "resumed weights differ by " + worst);
                // Not vacuous: the second half of the run moved the weights.
                assertTrue(TrainMicroBatchTest.maxDifference(interrupted, checkpoint.model()) > 1e-4f);
            }
        }
    }

    @Test
    void aCheckpointWithoutOptimiserStateCannotBeResumed() throws IOException {
        try (NDManager manager = Engines.newManager()) {
            ClipModel model = new ClipModel(TINY).initialize(manager);
            Checkpoints.save(dir, model, CheckpointManifest.of("v1", null, TINY, Map.of()));
            try (Checkpoints.Loaded checkpoint = Checkpoints.load(dir)) {
                IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                        () -> TrainingCheckpoints.resume(checkpoint, CONFIG));
                assertTrue(e.getMessage().contains("not saved to continue training"), e.getMessage());
            }
        }
    }

    /** Batch {@code step} of a seeded stream: the same data whether or not the run was interrupted. */
    private static StepResult step(ClipTrainer trainer, int step, NDManager manager) {
        try (NDManager batch = manager.newSubManager()) {
            return trainer.step(RandomPairs.pixels(batch, TINY, PAIRS, 100 + step),
                    RandomPairs.tokenIds(batch, TINY, PAIRS, 200 + step));
        }
    }
}
