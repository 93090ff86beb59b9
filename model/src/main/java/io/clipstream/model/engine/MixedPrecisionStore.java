package io.clipstream.model.engine;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.training.ParameterStore;

import java.util.IdentityHashMap;
import java.util.Map;

/**
 * Training parameters for mixed precision as OpenCLIP trains ({@code torch.autocast}, {@code --precision amp_bf16}):
 * the parameters stay float32 (the masters AdamW updates), and the blocks that see this store compute their heavy
 * operations (Linear, the attention products, the patch-embedding convolution, the projections) in {@link #compute()}
 * on copies cast once a step, then give float32 back (but for an MLP's hidden activation, which stays in it through
 * the non-linearity, as autocast leaves it); layer norm, softmax, the loss and the logit scale stay float32.
 *
 * <p>Unlike {@link CastParameterStore} nothing is kept beyond a step: each weight is cast once per step, on first use
 * ({@link #lowerParameter}), the cast recorded by autograd (see {@link Bfloat16}), so each master receives its
 * float32 gradient through it, and the copies die with the step's manager (the one given here). A cast costs one pass
 * over the weight, small beside the matrix products it feeds.
 */
public final class MixedPrecisionStore extends ParameterStore {

    private final Precision compute;
    private final NDManager manager;
    private final Map<NDArray, NDArray> parameterCasts = new IdentityHashMap<>();

    /** @param compute a lower precision than float32 ({@link Precision#BF16} or {@link Precision#FP16}) */
    public MixedPrecisionStore(NDManager manager, Precision compute) {
        super(manager, false);
        if (compute == Precision.FP32) {
            throw new IllegalArgumentException("Mixed precision computes in bf16 or fp16; fp32 needs a plain ParameterStore");
        }
        this.compute = compute;
        this.manager = manager;
    }

    /** The store for a step in {@code precision}: a plain one for fp32. */
    public static ParameterStore forTraining(NDManager manager, Precision precision) {
        return precision == Precision.FP32 ? new ParameterStore(manager, false) : new MixedPrecisionStore(manager, precision);
    }

    /** The precision the heavy operations compute in. */
    public Precision compute() {
        return compute;
    }

    /** {@code x} in the compute precision: itself when it is in it already, else a recorded cast in its manager. */
    public NDArray lower(NDArray x) {
        if (inCompute(x)) {
            return x;
        }
        return compute == Precision.BF16 ? Bfloat16.of(x) : Bfloat16.toFloat16(x);
    }

    /**
     * A parameter in the compute precision, cast once for this store's life (one step) however often it is used:
     * micro-batches run the forward twice each. The cast is recorded even when made under
     * {@link GradMode#disabled()} (a micro-batched step's pass without a graph comes first), so that every pass with
     * a graph sends its gradient through it to the master; its backward keeps nothing but the master's type, so it
     * serves each of them. The copy is owned by this store's manager: a cast lands in its input's manager, which for a
     * parameter is the model's, where a copy per step would pile up.
     */
    public NDArray lowerParameter(NDArray parameter) {
        if (inCompute(parameter)) {
            return parameter;
        }
        NDArray low = parameterCasts.get(parameter);
        if (low == null) {
            try (GradMode on = GradMode.enabled()) {
                low = lower(parameter);
            }
            low.attach(manager);
            parameterCasts.put(parameter, low);
        }
        return low;
    }

    /** A float32 copy of a result computed here (a recorded cast; DJL's {@code toType} records none), in its manager. */
    public static NDArray toFloat32(NDArray x) {
        return Bfloat16.toFloat32(x);
    }

    private boolean inCompute(NDArray x) {
        return compute == Precision.BF16 ? Bfloat16.isBfloat16(x) : x.getDataType() == DataType.FLOAT16;
    }
}
