package io.clipstream.model.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;

import java.util.Collection;

/**
 * Global-norm gradient clipping as {@code torch.nn.utils.clip_grad_norm_}: the L2 norm of all
 * gradients together, and the factor {@code min(1, maxNorm / (norm + 1e-6))} they are scaled by.
 * The optimiser applies the factor while it reads the gradients, which saves a pass over them.
 */
public final class GradientClipping {

    /** PyTorch's guard against dividing by a zero norm. */
    static final double EPSILON = 1e-6;

    private GradientClipping() {
    }

    /** {@code sqrt(Σ ‖g‖²)} over all gradients, read back as one number (one device sync). */
    public static double globalNorm(Collection<NDArray> gradients) {
        if (gradients.isEmpty()) {
            return 0;
        }
        NDArray first = gradients.iterator().next();
        try (NDManager scope = first.getManager().newSubManager(first.getDevice())) {
            // While they sit in the scope, every square and sum lands there and dies with it.
            scope.tempAttachAll(gradients.toArray(NDArray[]::new));
            NDList squares = new NDList(gradients.size());
            for (NDArray gradient : gradients) {
                squares.add(gradient.square().sum());
            }
            return Math.sqrt(NDArrays.stack(squares).sum().getFloat());
        }
    }

    /**
     * The factor the gradients are multiplied by: 1 when their norm is within {@code maxNorm},
     * else {@code maxNorm / (norm + 1e-6)}. A non-positive or infinite {@code maxNorm} disables
     * clipping.
     */
    public static double coefficient(double norm, double maxNorm) {
        if (!(maxNorm > 0) || Double.isInfinite(maxNorm)) {
            return 1;
        }
        return Math.min(1.0, maxNorm / (norm + EPSILON));
    }
}
