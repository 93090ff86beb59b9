package io.clipstream.model.nn;

import io.clipstream.model.engine.MixedPrecisionStore;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.training.ParameterStore;
import ai.djl.training.initializer.Initializer;

/**
 * {@code y = x Wᵀ + b} with PyTorch's layout and names ({@code weight} [out, in], {@code bias} [out]).
 * Unlike DJL's {@code Linear} its input width is given up front, so shapes exist before
 * initialisation.
 */
public final class Linear extends UnaryBlock {

    private final int inFeatures;
    private final int outFeatures;
    private final Parameter weight;
    private final Parameter bias;

    public Linear(int inFeatures, int outFeatures, Initializer weightInitializer) {
        this.inFeatures = inFeatures;
        this.outFeatures = outFeatures;
        weight = parameter("weight", Parameter.Type.WEIGHT, new Shape(outFeatures, inFeatures),
                weightInitializer);
        bias = parameter("bias", Parameter.Type.BIAS, new Shape(outFeatures), Initializer.ZEROS);
    }

    /**
     * Applies the layer to the last axis of {@code x}; the result joins {@code x}'s manager. Under a
     * {@link MixedPrecisionStore} the product runs in its compute precision and the result is float32.
     */
    @Override
    public NDArray apply(ParameterStore parameters, NDArray x, boolean training) {
        if (parameters instanceof MixedPrecisionStore mixed) {
            try (NDManager scope = scopeFor(x)) {
                return scope.ret(MixedPrecisionStore.toFloat32(lowLinear(mixed, x,
                        value(mixed, weight, x, training), value(mixed, bias, x, training))));
            }
        }
        return ai.djl.nn.core.Linear.linear(x, value(parameters, weight, x, training),
                value(parameters, bias, x, training)).singletonOrThrow();
    }

    /**
     * {@link #apply} under a {@link MixedPrecisionStore} with the result left in its compute precision, for a block
     * whose next operation takes it so (the MLP's activation); it joins {@code x}'s manager.
     */
    NDArray applyLow(MixedPrecisionStore mixed, NDArray x, boolean training) {
        return lowLinear(mixed, x, value(mixed, weight, x, training), value(mixed, bias, x, training));
    }

    /**
     * {@code x Wᵀ + b} with all three cast to {@code mixed}'s compute precision, the result left in it; it joins
     * {@code x}'s manager, as does the cast of {@code x} (the parameters' casts are the store's, one per step).
     */
    static NDArray lowLinear(MixedPrecisionStore mixed, NDArray x, NDArray weight, NDArray bias) {
        return ai.djl.nn.core.Linear.linear(mixed.lower(x), mixed.lowerParameter(weight), mixed.lowerParameter(bias))
                .singletonOrThrow();
    }

    public int inFeatures() {
        return inFeatures;
    }

    public int outFeatures() {
        return outFeatures;
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        Shape in = inputShapes[0];
        return new Shape[] {in.slice(0, in.dimension() - 1).add(outFeatures)};
    }
}
