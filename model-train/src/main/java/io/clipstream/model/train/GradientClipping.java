package io.clipstream.model.train;

import io.clipstream.model.engine.Engines;
import io.clipstream.model.engine.TorchScript;

import ai.djl.ndarray.NDArray;
import ai.djl.pytorch.engine.PtNDArray;
import ai.djl.pytorch.engine.PtSymbolBlock;
import ai.djl.pytorch.jni.IValue;
import ai.djl.pytorch.jni.IValueUtils;

import java.util.Collection;

/**
 * Global-norm gradient clipping as {@code torch.nn.utils.clip_grad_norm_}: the L2 norm of all
 * gradients together, and the factor {@code min(1, maxNorm / (norm + 1e-6))} they are scaled by.
 * The optimiser applies the factor: in place, just before its fused update, as {@code clip_grad_norm_} does.
 */
public final class GradientClipping {

    /** PyTorch's guard against dividing by a zero norm. */
    static final double EPSILON = 1e-6;

    private static PtSymbolBlock normModule;

    private GradientClipping() {
    }

    /**
     * {@code sqrt(Σ ‖g‖²)} over all gradients, as {@code clip_grad_norm_} computes it: the norm of the
     * per-gradient norms, each a single reduction over its gradient ({@code _foreach_norm}, no squared copy), read
     * back as one number.
     */
    public static double globalNorm(Collection<NDArray> gradients) {
        if (gradients.isEmpty()) {
            return 0;
        }
        try (IValue list = IValue.listFrom(gradients.stream().map(PtNDArray.class::cast).toArray(PtNDArray[]::new));
                IValue norm = IValueUtils.forward(normModule(), new IValue[] {list})) {
            return norm.toDouble();
        }
    }

    private static synchronized PtSymbolBlock normModule() {
        if (normModule == null) {
            normModule = TorchScript.module(Engines.pytorch().newBaseManager(), "grads: List[Tensor]", "float",
                    "return float(torch.linalg_vector_norm(torch.stack(torch._foreach_norm(grads, 2.0)), 2.0))");
        }
        return normModule;
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
