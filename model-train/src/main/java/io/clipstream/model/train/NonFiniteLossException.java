package io.clipstream.model.train;

import java.util.List;

/**
 * A step whose loss or gradient was NaN or infinite. The weights and the optimiser's state are
 * left as they were before the step, so the caller can skip the batch, lower the learning rate
 * or go back to a checkpoint.
 */
public final class NonFiniteLossException extends IllegalStateException {

    private final long step;
    private final List<String> parameters;

    public NonFiniteLossException(long step, float loss, double gradientNorm, List<String> parameters) {
        super("Step " + step + " is not finite (loss " + loss + ", gradient norm " + gradientNorm
                + (parameters.isEmpty() ? "" : ", in the gradient of " + parameters) + "): the update was not applied");
        this.step = step;
        this.parameters = List.copyOf(parameters);
    }

    /** The parameters whose gradient was not finite. */
    public List<String> parameters() {
        return parameters;
    }

    /** The step that was not applied. */
    public long step() {
        return step;
    }
}
