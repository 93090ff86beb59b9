package io.clipstream.model.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.ParameterStore;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/** A stack of {@link ResidualAttentionBlock}s named {@code resblocks.0}, {@code resblocks.1}, ... */
public final class Transformer extends MaskedBlock {

    private final TransformerSpec spec;
    private final List<ResidualAttentionBlock> blocks = new ArrayList<>();

    public Transformer(TransformerSpec spec) {
        this.spec = spec;
        for (int i = 0; i < spec.layers(); i++) {
            blocks.add(child("resblocks." + i, new ResidualAttentionBlock(spec)));
        }
    }

    /** x [N, L, width], additive mask [L, L] or null; the result joins {@code x}'s manager. */
    @Override
    public NDArray apply(ParameterStore parameters, NDArray x, NDArray mask, boolean training) {
        try (NDManager scope = scopeFor(x)) {
            NDArray h = x;
            for (ResidualAttentionBlock block : blocks) {
                NDArray next = block.apply(parameters, h, mask, training);
                if (h != x) {
                    h.close(); // keeps one activation alive at a time (autograd keeps what it needs)
                }
                h = next;
            }
            return scope.ret(h);
        }
    }

    public TransformerSpec spec() {
        return spec;
    }

    public List<ResidualAttentionBlock> blocks() {
        return Collections.unmodifiableList(blocks);
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        return new Shape[] {inputShapes[0]};
    }
}
