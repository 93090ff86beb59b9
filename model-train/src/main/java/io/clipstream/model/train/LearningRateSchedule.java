package io.clipstream.model.train;

/**
 * The learning rate of every optimiser step, as OpenCLIP's {@code scheduler.py}: a linear warm-up
 * to the peak ({@code peak × (step + 1) / warmup}), then either a cosine decay to zero at
 * {@code totalSteps} ({@code cosine_lr}) or the peak for ever ({@code const_lr}). Continual
 * training has no last step, so the constant schedule is the one it uses.
 *
 * <p>Steps count from 0: {@code at(0)} is the rate of the first update.
 */
public sealed interface LearningRateSchedule {

    /** The learning rate of the update that follows {@code step} completed ones. */
    double at(long step);

    /** Warm-up, then cosine decay to zero at {@code totalSteps} (and zero after it). */
    static LearningRateSchedule warmupCosine(double peak, long warmupSteps, long totalSteps) {
        return new WarmupCosine(peak, warmupSteps, totalSteps);
    }

    /** Warm-up, then the peak for ever. */
    static LearningRateSchedule warmupConstant(double peak, long warmupSteps) {
        return new WarmupConstant(peak, warmupSteps);
    }

    record WarmupCosine(double peak, long warmupSteps, long totalSteps) implements LearningRateSchedule {

        public WarmupCosine {
            requireValid(peak, warmupSteps);
            if (totalSteps <= warmupSteps) {
                throw new IllegalArgumentException("totalSteps (" + totalSteps + ") must exceed the warm-up ("
                        + warmupSteps + ")");
            }
        }

        @Override
        public double at(long step) {
            requireStep(step);
            if (step < warmupSteps) {
                return warmup(peak, warmupSteps, step);
            }
            double progress = Math.min(1.0, (double) (step - warmupSteps) / (totalSteps - warmupSteps));
            return 0.5 * (1 + Math.cos(Math.PI * progress)) * peak;
        }
    }

    record WarmupConstant(double peak, long warmupSteps) implements LearningRateSchedule {

        public WarmupConstant {
            requireValid(peak, warmupSteps);
        }

        @Override
        public double at(long step) {
            requireStep(step);
            return step < warmupSteps ? warmup(peak, warmupSteps, step) : peak;
        }
    }

    private static double warmup(double peak, long warmupSteps, long step) {
        return peak * (step + 1) / warmupSteps;
    }

    private static void requireValid(double peak, long warmupSteps) {
        if (!(peak > 0) || Double.isInfinite(peak)) {
            throw new IllegalArgumentException("The peak learning rate must be positive and finite: " + peak);
        }
        if (warmupSteps < 0) {
            throw new IllegalArgumentException("warmupSteps must not be negative: " + warmupSteps);
        }
    }

    private static void requireStep(long step) {
        if (step < 0) {
            throw new IllegalArgumentException("step must not be negative: " + step);
        }
    }
}
