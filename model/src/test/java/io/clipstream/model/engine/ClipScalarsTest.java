package io.clipstream.model.engine;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;

import org.junit.jupiter.api.Test;

class ClipScalarsTest {

    /**
     * The constant is closed at once, then a GC runs and fresh buffers are allocated before the
     * backward: with DJL's {@code x.mul(3f)} this gives gradients like 1.1e20 on every try.
     */
    @Test
    void aConstantSurvivesUntilTheBackwardPassThatNeedsIt() throws InterruptedException {
        try (NDManager manager = Engines.newManager()) {
            for (int attempt = 0; attempt < 3; attempt++) {
                NDArray x = manager.create(new float[] {1, 2, 3});
                x.setRequiresGradient(true);
                try (GradientCollector collector = Engines.pytorch().newGradientCollector()) {
                    NDArray y;
                    try (NDArray three = Scalars.like(x, 3f)) {
                        y = x.mul(three).sum();
                    }
                    DirectMemoryChurn.churn(manager);
                    collector.backward(y);
                }
                assertArrayEquals(new float[] {3, 3, 3}, x.getGradient().toFloatArray());
            }
        }
    }

    @Test
    void takesTypeDeviceAndManagerOfItsModel() {
        try (NDManager manager = Engines.newManager(); NDManager scope = manager.newSubManager()) {
            NDArray like = scope.zeros(new Shape(2), DataType.FLOAT64);
            NDArray half = Scalars.like(like, 0.5f);
            assertEquals(new Shape(), half.getShape());
            assertEquals(DataType.FLOAT64, half.getDataType());
            assertEquals(like.getDevice(), half.getDevice());
            assertEquals(scope, half.getManager());
            assertEquals(0.5, half.getDouble());
        }
    }
}
