package io.clipstream.model.engine;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.pytorch.engine.PtSymbolBlock;
import ai.djl.pytorch.jni.IValueUtils;

/**
 * bfloat16 tensors on DJL 0.35.1's PyTorch engine, which cannot name the type.
 *
 * <p>Why: DJL passes a data type to its native code as {@code DataType.ordinal()}, and the native
 * {@code GetScalarTypeFromDType} (djl_pytorch_utils.h, unchanged up to DJL 0.36.0 and master) maps
 * only ordinals 0–8; for BFLOAT16 (ordinal 11) it runs a bare {@code throw;} with no exception
 * active, which is {@code std::terminate}: the JVM dies. Every DJL call that takes a data type
 * ({@code toType}, {@code zeros}, {@code full}, {@code create(buffer, …, BFLOAT16)}) goes through
 * it. Native-made bf16 tensors are fine; DJL reports their type as {@link DataType#UNKNOWN}.
 *
 * <p>So the casts, zeros and softmax run as tiny {@link TorchScript} modules whose source is written here.
 * Code on bf16 arrays must never pass their {@code getDataType()} back into DJL (that is ordinal 9: the same
 * abort).
 *
 * <p>All of them are differentiable: under a gradient collector the cast's backward turns a bf16
 * gradient back into float32 for the float32 master it came from (see {@link #run}).
 */
public final class Bfloat16 {

    /** PyTorch's c10::ScalarType codes. */
    private static final int SCALAR_TYPE_FLOAT16 = 5;
    private static final int SCALAR_TYPE_FLOAT32 = 6;
    private static final int SCALAR_TYPE_BFLOAT16 = 15;

    private static PtSymbolBlock toBfloat16;
    private static PtSymbolBlock zerosLike;
    private static PtSymbolBlock softmax;
    private static PtSymbolBlock toFloat32;
    private static PtSymbolBlock toFloat16;

    private Bfloat16() {
    }

    /** A bfloat16 copy of {@code x} (float32 or another floating type), in {@code x}'s manager. */
    public static NDArray of(NDArray x) {
        return run(modules()[0], x);
    }

    /** Zeros of {@code x}'s shape, type and device, in {@code x}'s manager (works for bf16 arrays). */
    public static NDArray zerosLike(NDArray x) {
        return run(modules()[1], x);
    }

    /**
     * Softmax over the last axis in {@code x}'s own type (DJL's {@code softmax} passes the type on,
     * so it aborts on bf16), in {@code x}'s manager.
     */
    public static NDArray softmaxLastAxis(NDArray x) {
        return run(modules()[2], x);
    }

    /**
     * A float32 copy of {@code x} (bf16 or another floating type; a float32 {@code x} comes back as a new handle on
     * the same tensor), in {@code x}'s manager. Not DJL's
     * {@code toType}, though DJL can name float32: its native {@code torchTo} runs under a
     * {@code NoGradGuard}, so a cast back from bf16 there would cut a training step's graph.
     */
    public static NDArray toFloat32(NDArray x) {
        return run(modules()[3], x);
    }

    /** A float16 copy of {@code x}, in {@code x}'s manager: as {@link #toFloat32}, one autograd can follow. */
    public static NDArray toFloat16(NDArray x) {
        return run(modules()[4], x);
    }

    /** Whether {@code x} is (as far as DJL can tell) a bf16 array made here: its type has no DJL name. */
    public static boolean isBfloat16(NDArray x) {
        return x.getDataType() == DataType.UNKNOWN;
    }

    /**
     * Runs the module the way autograd can follow: DJL's {@code forward(..., training=false)} runs it
     * under {@code c10::InferenceMode}, whose results carry no graph (a bf16 step's gradients would
     * stop at the cast: "element 0 of tensors does not require grad"). With {@code isTrain} the call
     * has no guard, so it records exactly when the thread's grad mode is on ({@link GradMode}), as
     * any DJL op does. Called through {@link IValueUtils} rather than {@code PtSymbolBlock.forward},
     * which would flip the shared module between train() and eval() under concurrent callers.
     * (Casts the other way need the same care: DJL's {@code toType} records nothing either.)
     */
    private static NDArray run(PtSymbolBlock module, NDArray x) {
        return IValueUtils.forward(module, new NDList(x), true).singletonOrThrow();
    }

    private static synchronized PtSymbolBlock[] modules() {
        if (toBfloat16 == null) {
            NDManager owner = Engines.pytorch().newBaseManager();
            toBfloat16 = load(owner, "x.to(" + SCALAR_TYPE_BFLOAT16 + ")");
            zerosLike = load(owner, "torch.zeros_like(x)");
            softmax = load(owner, "torch.softmax(x, -1)");
            toFloat32 = load(owner, "x.to(" + SCALAR_TYPE_FLOAT32 + ")");
            toFloat16 = load(owner, "x.to(" + SCALAR_TYPE_FLOAT16 + ")");
        }
        return new PtSymbolBlock[] {toBfloat16, zerosLike, softmax, toFloat32, toFloat16};
    }

    private static PtSymbolBlock load(NDManager owner, String expression) {
        return TorchScript.module(owner, "x: Tensor", "Tensor", "return " + expression);
    }
}
