package io.clipstream.model.nn;

import io.clipstream.model.engine.MixedPrecisionStore;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.nn.convolutional.Conv2d;
import ai.djl.training.ParameterStore;
import ai.djl.training.initializer.UniformInitializer;

/**
 * CLIP's {@code conv1}: non-overlapping patches, each projected to the residual width by a
 * convolution WITHOUT bias (OpenAI's choice; {@code ln_pre} follows). Turns pixels
 * [N, 3, H, W] into patch tokens [N, (H/p)·(W/p), width], row-major as {@code flatten(2)}.
 */
public final class PatchEmbedding extends UnaryBlock {

    private static final int CHANNELS = 3;

    private final int patchSize;
    private final int width;
    private final Parameter weight;

    public PatchEmbedding(int patchSize, int width) {
        this.patchSize = patchSize;
        this.width = width;
        int fanIn = CHANNELS * patchSize * patchSize;
        // PyTorch's Conv2d default (kaiming_uniform with a=sqrt(5)) is U(±1/sqrt(fan_in)).
        weight = parameter("weight", Parameter.Type.WEIGHT,
                new Shape(width, CHANNELS, patchSize, patchSize),
                new UniformInitializer((float) (1 / Math.sqrt(fanIn))));
    }

    /**
     * Pixels [N, 3, H, W] to tokens [N, patches, width]; the result joins {@code pixels}' manager. Under a
     * {@link MixedPrecisionStore} the convolution runs in its compute precision and the tokens are float32.
     */
    @Override
    public NDArray apply(ParameterStore parameters, NDArray pixels, boolean training) {
        Shape stride = new Shape(patchSize, patchSize);
        try (NDManager scope = scopeFor(pixels)) {
            NDArray kernel = value(parameters, weight, pixels, training);
            NDArray grid;
            if (parameters instanceof MixedPrecisionStore mixed) {
                grid = MixedPrecisionStore.toFloat32(Conv2d.conv2d(mixed.lower(pixels), mixed.lowerParameter(kernel),
                        null, stride).singletonOrThrow());
            } else {
                grid = Conv2d.conv2d(pixels, kernel, null, stride).singletonOrThrow();
            }
            Shape s = grid.getShape(); // [N, width, gh, gw]
            return scope.ret(grid.reshape(s.get(0), width, s.get(2) * s.get(3)).transpose(0, 2, 1));
        }
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        Shape in = inputShapes[0];
        long patches = (in.get(2) / patchSize) * (in.get(3) / patchSize);
        return new Shape[] {new Shape(in.get(0), patches, width)};
    }
}
