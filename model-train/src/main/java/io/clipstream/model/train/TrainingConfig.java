package io.clipstream.model.train;

/**
 * How a {@link ClipTrainer} trains.
 *
 * @param schedule the learning rate per step
 * @param optimizer AdamW's hyperparameters
 * @param maxGradientNorm global-norm clipping threshold; 0 or infinity turns clipping off
 * @param microBatchSize the most pairs one forward/backward pass holds; a larger batch is
 *     processed in micro-batches with the same gradient as in one pass (0: always one pass)
 */
public record TrainingConfig(LearningRateSchedule schedule, AdamW.Settings optimizer, double maxGradientNorm,
        int microBatchSize) {

    public TrainingConfig {
        if (schedule == null || optimizer == null) {
            throw new IllegalArgumentException("A training config needs a schedule and optimiser settings");
        }
        if (Double.isNaN(maxGradientNorm) || maxGradientNorm < 0) {
            throw new IllegalArgumentException("maxGradientNorm must be ≥ 0: " + maxGradientNorm);
        }
        if (microBatchSize < 0) {
            throw new IllegalArgumentException("microBatchSize must be ≥ 0: " + microBatchSize);
        }
    }

    /** OpenCLIP's AdamW settings, gradients clipped at norm 1, one pass per batch. */
    public static TrainingConfig of(LearningRateSchedule schedule) {
        return new TrainingConfig(schedule, AdamW.Settings.openClip(), 1.0, 0);
    }

    public TrainingConfig withOptimizer(AdamW.Settings settings) {
        return new TrainingConfig(schedule, settings, maxGradientNorm, microBatchSize);
    }

    public TrainingConfig withMaxGradientNorm(double norm) {
        return new TrainingConfig(schedule, optimizer, norm, microBatchSize);
    }

    public TrainingConfig withMicroBatchSize(int size) {
        return new TrainingConfig(schedule, optimizer, maxGradientNorm, size);
    }
}
