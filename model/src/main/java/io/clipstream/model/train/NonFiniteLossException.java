package io.clipstream.model.train;

/**
 * A step whose loss or gradient was NaN or infinite. The weights and the optimiser's state are
 * left as they were before the step, so the caller can skip the batch, lower the learning rate
 * or go back to a checkpoint.
 */
public final class NonFiniteLossException extends IllegalStateException {

    private final long step;

    public NonFiniteLossException(long step, float loss, double gradientNorm) {
        super("Step " + step + " is not finite (loss " + loss + ", gradient norm " + gradientNorm
                + "): the update was not applied");
        this.step = step;
    }

    /** The step that was not applied. */
    public long step() {
        return step;
    }
}
