package io.clipstream.model.train;

import io.clipstream.model.checkpoint.CheckpointManifest;
import io.clipstream.model.checkpoint.Checkpoints;
import io.clipstream.model.checkpoint.TrainingState;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Checkpoints a run can continue from: the weights, the optimiser state
 * ({@value #OPTIMIZER_FILE}: AdamW's moments and step count) and a manifest that records the
 * step and the pairs seen beside version, parent, config, tokenizer and metrics. Resuming from one
 * and training on gives the same weights as never having stopped.
 */
public final class TrainingCheckpoints {

    public static final String OPTIMIZER_FILE = "optimizer.safetensors";

    private TrainingCheckpoints() {
    }

    /**
     * Writes the trainer's model and optimiser state into {@code dir} with the manifest (the
     * trainer's step and pairs seen added). A tokenizer the manifest names must already be there.
     *
     * @return the manifest as written
     */
    public static CheckpointManifest save(Path dir, ClipTrainer trainer, CheckpointManifest manifest)
            throws IOException {
        Files.createDirectories(dir);
        trainer.saveOptimizerState(dir.resolve(OPTIMIZER_FILE));
        return Checkpoints.save(dir, trainer.model(), manifest.withTraining(
                TrainingState.of(trainer.steps(), trainer.samplesSeen(), OPTIMIZER_FILE)));
    }

    /**
     * A trainer that continues the run a checkpoint was saved from. It trains the checkpoint's
     * model in place, so the checkpoint must stay open while the trainer is used.
     *
     * @throws IllegalArgumentException when the checkpoint holds no optimiser state
     */
    public static ClipTrainer resume(Checkpoints.Loaded checkpoint, TrainingConfig config) throws IOException {
        TrainingState state = checkpoint.manifest().training();
        Path optimizer = checkpoint.optimizerStateFile().orElseThrow(() -> new IllegalArgumentException(
                "Checkpoint " + checkpoint.manifest().version() + " was not saved to continue training"
                        + " (its manifest names no optimiser state)"));
        ClipTrainer trainer = ClipTrainer.resume(checkpoint.model(), config, optimizer, state.samplesSeen());
        if (trainer.steps() != state.step()) {
            trainer.close();
            throw new IOException("Checkpoint " + checkpoint.manifest().version() + ": the manifest says step "
                    + state.step() + " but the optimiser state has taken " + trainer.steps());
        }
        return trainer;
    }
}
