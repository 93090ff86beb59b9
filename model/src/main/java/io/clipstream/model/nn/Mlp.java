package io.clipstream.model.nn;

import io.clipstream.model.engine.MixedPrecisionStore;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.ParameterStore;
import ai.djl.training.initializer.NormalInitializer;

/** The block's feed-forward part: {@code c_fc} → activation → {@code c_proj} (OpenAI's names). */
public final class Mlp extends UnaryBlock {

    private final Linear fc;
    private final Activation activation;
    private final Linear proj;

    public Mlp(int width, int hiddenWidth, Activation activation, float fcStd, float projStd) {
        this.activation = activation;
        fc = child("c_fc", new Linear(width, hiddenWidth, new NormalInitializer(fcStd)));
        proj = child("c_proj", new Linear(hiddenWidth, width, new NormalInitializer(projStd)));
    }

    /**
     * x [..., width] to [..., width]; the result joins {@code x}'s manager. Under a {@link MixedPrecisionStore} the
     * hidden activation stays in the compute precision from {@code c_fc} through the non-linearity into
     * {@code c_proj}, as {@code torch.autocast} leaves it (GELU is on neither of its lists): no casts of the widest
     * activation, there and back, in either pass. The result is float32.
     */
    @Override
    public NDArray apply(ParameterStore parameters, NDArray x, boolean training) {
        try (NDManager scope = scopeFor(x)) {
            NDArray hidden = parameters instanceof MixedPrecisionStore mixed
                    ? activation.apply(fc.applyLow(mixed, x, training))
                    : activation.apply(fc.apply(parameters, x, training));
            return scope.ret(proj.apply(parameters, hidden, training));
        }
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        return new Shape[] {inputShapes[0]};
    }
}
