package io.clipstream.model.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.training.ParameterStore;
import ai.djl.training.initializer.Initializer;

/**
 * LayerNorm over the last axis with PyTorch's names ({@code weight}, {@code bias}). The width is
 * explicit: DJL's own LayerNorm rejects {@code axis(-1)} and infers shapes late.
 */
public final class LayerNorm extends UnaryBlock {

    private final Shape normalizedShape;
    private final float eps;
    private final Parameter weight;
    private final Parameter bias;

    public LayerNorm(int width, double eps) {
        this.normalizedShape = new Shape(width);
        this.eps = (float) eps;
        weight = parameter("weight", Parameter.Type.GAMMA, normalizedShape, Initializer.ONES);
        bias = parameter("bias", Parameter.Type.BETA, normalizedShape, Initializer.ZEROS);
    }

    /** Normalises the last axis of {@code x}; the result joins {@code x}'s manager. */
    @Override
    public NDArray apply(ParameterStore parameters, NDArray x, boolean training) {
        return ai.djl.nn.norm.LayerNorm.layerNorm(x, normalizedShape,
                value(parameters, weight, x, training), value(parameters, bias, x, training), eps)
                .singletonOrThrow();
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        return new Shape[] {inputShapes[0]};
    }
}
