package io.clipstream.model.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.ParameterStore;

/**
 * CLIP's pre-LayerNorm residual block, the one block class of both towers:
 * {@code x + attn(ln_1(x), mask)}, then {@code x + mlp(ln_2(x))}.
 * (DJL's TransformerEncoderBlock is post-norm with BatchNorm: a different model.)
 */
public final class ResidualAttentionBlock extends MaskedBlock {

    private final LayerNorm ln1;
    private final MultiheadAttention attn;
    private final LayerNorm ln2;
    private final Mlp mlp;

    public ResidualAttentionBlock(TransformerSpec spec) {
        // OpenCLIP's init: attention and fc by width, residual projections also by depth.
        float attnStd = (float) Math.pow(spec.width(), -0.5);
        float projStd = (float) (Math.pow(spec.width(), -0.5) * Math.pow(2.0 * spec.layers(), -0.5));
        float fcStd = (float) Math.pow(2.0 * spec.width(), -0.5);
        ln1 = child("ln_1", new LayerNorm(spec.width(), spec.layerNormEps()));
        attn = child("attn", new MultiheadAttention(spec.width(), spec.heads(), attnStd, projStd));
        ln2 = child("ln_2", new LayerNorm(spec.width(), spec.layerNormEps()));
        mlp = child("mlp", new Mlp(spec.width(), spec.mlpWidth(), spec.activation(), fcStd, projStd));
    }

    /** x [N, L, width], additive mask [L, L] or null; the result joins {@code x}'s manager. */
    @Override
    public NDArray apply(ParameterStore parameters, NDArray x, NDArray mask, boolean training) {
        try (NDManager scope = scopeFor(x)) {
            NDArray h = x.add(attn.apply(parameters, ln1.apply(parameters, x, training), mask, training));
            NDArray out = h.add(mlp.apply(parameters, ln2.apply(parameters, h, training), training));
            return scope.ret(out);
        }
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        return new Shape[] {inputShapes[0]};
    }
}
