package io.clipstream.model.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;

/** A block of one input and one output: DJL's forward is {@link #apply(ParameterStore, NDArray, boolean)}. */
public abstract class UnaryBlock extends NamedBlock {

    /** The block on {@code x}, its parameters read through {@code parameters}. */
    public abstract NDArray apply(ParameterStore parameters, NDArray x, boolean training);

    @Override
    protected final NDList forwardInternal(
            ParameterStore parameters, NDList inputs, boolean training, PairList<String, Object> params) {
        return new NDList(apply(parameters, inputs.singletonOrThrow(), training));
    }
}
