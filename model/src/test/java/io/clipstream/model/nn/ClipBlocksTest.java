package io.clipstream.model.nn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.clipstream.model.engine.Engines;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.ParameterStore;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class ClipBlocksTest {

    private static NDManager manager;

    @BeforeAll
    static void open() {
        manager = Engines.newManager();
    }

    @AfterAll
    static void close() {
        manager.close();
    }

    @Test
    void activationsMatchTheirFormulas() {
        try (NDManager scope = manager.newSubManager()) {
            NDArray x = scope.create(new float[] {-2f, -0.5f, 0f, 1f, 3f});
            float[] quick = Activation.QUICK_GELU.apply(x).toFloatArray();
            float[] exact = Activation.GELU.apply(x).toFloatArray();
            float[] in = x.toFloatArray();
            for (int i = 0; i < in.length; i++) {
                double v = in[i];
                assertEquals(v / (1 + Math.exp(-1.702 * v)), quick[i], 1e-6, "quick_gelu(" + v + ")");
                assertEquals(0.5 * v * (1 + erf(v / Math.sqrt(2))), exact[i], 1e-6, "gelu(" + v + ")");
            }
        }
    }

    @Test
    void causalMaskHidesLaterTokensOnly() {
        try (NDManager scope = manager.newSubManager()) {
            float[] mask = TextTransformer.causalMask(scope, 3).toFloatArray();
            float inf = Float.NEGATIVE_INFINITY;
            assertArrayEquals(new float[] {0, inf, inf, 0, 0, inf, 0, 0, 0}, mask);
        }
    }

    @Test
    void blocksWorkThroughDjlsForwardWithTheShapesTheyDeclare() {
        TransformerSpec spec = new TransformerSpec(32, 2, 4, 128, Activation.GELU, 1e-5);
        Transformer transformer = new Transformer(spec);
        try (NDManager scope = manager.newSubManager()) {
            transformer.initialize(scope, DataType.FLOAT32, new Shape(2, 5, 32));
            ParameterStore parameters = new ParameterStore(scope, false);
            NDArray x = scope.randomNormal(new Shape(2, 5, 32));
            NDArray mask = TextTransformer.causalMask(scope, 5);
            NDList viaDjl = transformer.forward(parameters, new NDList(x, mask), false);
            NDArray direct = transformer.apply(parameters, x, mask, false);
            assertEquals(direct, viaDjl.singletonOrThrow());
            assertEquals(transformer.getOutputShapes(new Shape[] {x.getShape()})[0], direct.getShape());
            assertEquals(2 * (2 * 2 * 32 + 3 * 32 * 32 + 3 * 32 + 32 * 32 + 32 + 128 * 32 + 128 + 32 * 128 + 32),
                    transformer.parameterCount());
        }
    }

    /** Abramowitz–Stegun 7.1.26 is too coarse for 1e-6; this series is exact enough for |x| ≤ 3. */
    private static double erf(double x) {
        double sum = 0;
        double term = x;
        for (int n = 0; n < 60; n++) {
            sum += term / (2 * n + 1);
            term *= -x * x / (n + 1);
        }
        return 2 / Math.sqrt(Math.PI) * sum;
    }
}
