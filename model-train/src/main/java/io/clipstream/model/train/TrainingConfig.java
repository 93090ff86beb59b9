package io.clipstream.model.train;

import io.clipstream.model.engine.Precision;

/**
 * How a {@link ClipTrainer} trains.
 *
 * @param schedule the learning rate per step
 * @param optimizer AdamW's hyperparameters
 * @param maxGradientNorm global-norm clipping threshold; 0 or infinity turns clipping off
 * @param microBatchSize the most pairs one forward/backward pass holds; a larger batch is
 *     processed in micro-batches with the same gradient as in one pass (0: always one pass)
 * @param precision what the heavy operations compute in: {@code fp32}, or mixed precision with float32 master weights
 *     and optimiser state ({@code bf16}; {@code fp16} on a GPU only), see {@code MixedPrecisionStore}
 */
public record TrainingConfig(LearningRateSchedule schedule, AdamW.Settings optimizer, double maxGradientNorm,
        int microBatchSize, Precision precision) {

    public TrainingConfig {
        if (schedule == null || optimizer == null || precision == null) {
            throw new IllegalArgumentException("A training config needs a schedule, optimiser settings and a precision");
        }
        if (Double.isNaN(maxGradientNorm) || maxGradientNorm < 0) {
            throw new IllegalArgumentException("maxGradientNorm must be ≥ 0: " + maxGradientNorm);
        }
        if (microBatchSize < 0) {
            throw new IllegalArgumentException("microBatchSize must be ≥ 0: " + microBatchSize);
        }
    }

    /** In float32. */
    public TrainingConfig(LearningRateSchedule schedule, AdamW.Settings optimizer, double maxGradientNorm,
            int microBatchSize) {
        this(schedule, optimizer, maxGradientNorm, microBatchSize, Precision.FP32);
    }

    /** OpenCLIP's AdamW settings, gradients clipped at norm 1, one pass per batch, float32. */
    public static TrainingConfig of(LearningRateSchedule schedule) {
        return new TrainingConfig(schedule, AdamW.Settings.openClip(), 1.0, 0, Precision.FP32);
    }

    public TrainingConfig withOptimizer(AdamW.Settings settings) {
        return new TrainingConfig(schedule, settings, maxGradientNorm, microBatchSize, precision);
    }

    public TrainingConfig withMaxGradientNorm(double norm) {
        return new TrainingConfig(schedule, optimizer, norm, microBatchSize, precision);
    }

    public TrainingConfig withMicroBatchSize(int size) {
        return new TrainingConfig(schedule, optimizer, maxGradientNorm, size, precision);
    }

    public TrainingConfig withPrecision(Precision compute) {
        return new TrainingConfig(schedule, optimizer, maxGradientNorm, microBatchSize, compute);
    }
}
