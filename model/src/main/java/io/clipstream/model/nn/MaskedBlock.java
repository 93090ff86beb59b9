package io.clipstream.model.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;

/**
 * A block of a sequence and an optional additive attention mask (the text tower's causal one): DJL's forward is
 * {@link #apply(ParameterStore, NDArray, NDArray, boolean)} with the second input as the mask, if given.
 */
public abstract class MaskedBlock extends NamedBlock {

    /** The block on {@code x}; {@code mask} is {@code null} for none. */
    public abstract NDArray apply(ParameterStore parameters, NDArray x, NDArray mask, boolean training);

    @Override
    protected final NDList forwardInternal(
            ParameterStore parameters, NDList inputs, boolean training, PairList<String, Object> params) {
        NDArray mask = inputs.size() > 1 ? inputs.get(1) : null;
        return new NDList(apply(parameters, inputs.head(), mask, training));
    }
}
