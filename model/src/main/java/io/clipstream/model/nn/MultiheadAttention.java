package io.clipstream.model.nn;

import io.clipstream.model.engine.Bfloat16;
import io.clipstream.model.engine.MixedPrecisionStore;
import io.clipstream.model.engine.Scalars;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.training.ParameterStore;
import ai.djl.training.initializer.Initializer;
import ai.djl.training.initializer.NormalInitializer;

/**
 * Multi-head self-attention laid out as {@code torch.nn.MultiheadAttention}: one fused
 * {@code in_proj_weight} [3·width, width] (rows: q, then k, then v) and {@code in_proj_bias}, then
 * {@code out_proj}. OpenAI checkpoints load as they are; Hugging Face's separate q/k/v projections
 * are stacked on import. The fused projection is also one matrix product instead of three.
 */
public final class MultiheadAttention extends MaskedBlock {

    private final int width;
    private final int heads;
    private final Parameter inProjWeight;
    private final Parameter inProjBias;
    private final Linear outProj;

    public MultiheadAttention(int width, int heads, Initializer inProjInit, Initializer outProjInit) {
        if (width % heads != 0) {
            throw new IllegalArgumentException("width " + width + " not divisible by " + heads + " heads");
        }
        this.width = width;
        this.heads = heads;
        inProjWeight = parameter("in_proj_weight", Parameter.Type.WEIGHT, new Shape(3L * width, width),
                inProjInit);
        inProjBias = parameter("in_proj_bias", Parameter.Type.BIAS, new Shape(3L * width),
                Initializer.ZEROS);
        outProj = child("out_proj", new Linear(width, width, outProjInit));
    }

    public MultiheadAttention(int width, int heads, float inProjStd, float outProjStd) {
        this(width, heads, new NormalInitializer(inProjStd), new NormalInitializer(outProjStd));
    }

    /**
     * Attends over x [N, L, width]; {@code mask} (nullable) is added to the scores [L, L] before
     * the softmax (−∞ blocks). The result joins {@code x}'s manager.
     */
    @Override
    public NDArray apply(ParameterStore parameters, NDArray x, NDArray mask, boolean training) {
        long n = x.getShape().get(0);
        long len = x.getShape().get(1);
        int headWidth = width / heads;
        try (NDManager scope = scopeFor(x)) {
            // Mixed precision: the projection and both products in the compute precision, the softmax (and the
            // mask) in float32 between them, as torch.autocast runs OpenCLIP's attention.
            MixedPrecisionStore mixed = parameters instanceof MixedPrecisionStore m ? m : null;
            NDArray weight = value(parameters, inProjWeight, x, training);
            NDArray bias = value(parameters, inProjBias, x, training);
            NDArray qkv = (mixed != null ? Linear.lowLinear(mixed, x, weight, bias)
                            : ai.djl.nn.core.Linear.linear(x, weight, bias).singletonOrThrow())
                    .reshape(n, len, 3, heads, headWidth)
                    .transpose(2, 0, 3, 1, 4); // [3, N, heads, L, headWidth]
            // Scale q before the product, as PyTorch does; by a PyTorch-owned constant, which
            // the backward of mul reads (see Scalars).
            NDArray q = qkv.get(0).mul(Scalars.like(qkv, (float) (1 / Math.sqrt(headWidth))));
            NDArray k = qkv.get(1);
            NDArray v = qkv.get(2);
            NDArray scores = q.matMul(k.transpose(0, 1, 3, 2)); // [N, heads, L, L]
            if (mixed != null) {
                scores = MixedPrecisionStore.toFloat32(scores);
            }
            boolean bf16 = Bfloat16.isBfloat16(scores); // a whole bf16 tower (inference)
            if (mask != null) {
                // A float32 mask would promote bf16 scores to float32.
                scores = scores.add(bf16 ? Bfloat16.of(mask) : mask);
            }
            NDArray probabilities = bf16 ? Bfloat16.softmaxLastAxis(scores) : scores.softmax(-1);
            if (mixed != null) {
                probabilities = mixed.lower(probabilities);
            }
            NDArray context = probabilities.matMul(v) // [N, heads, L, headWidth]
                    .transpose(0, 2, 1, 3)
                    .reshape(n, len, width);
            return scope.ret(outProj.apply(parameters, context, training));
        }
    }

    public int heads() {
        return heads;
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        return new Shape[] {inputShapes[0]};
    }
}
