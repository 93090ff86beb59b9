package io.clipstream.model.nn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.clipstream.model.engine.Engines;
import io.clipstream.model.engine.GradMode;
import io.clipstream.model.engine.MixedPrecisionStore;
import io.clipstream.model.engine.Precision;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.pytorch.engine.PtNDArray;
import ai.djl.pytorch.jni.JniUtils;
import ai.djl.training.GradientCollector;
import ai.djl.training.ParameterStore;
import ai.djl.training.initializer.NormalInitializer;
import ai.djl.util.Pair;

import org.junit.jupiter.api.Test;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.BiFunction;

/**
 * The heavy blocks under a {@link MixedPrecisionStore}: float32 in, float32 out, computed in bf16, and their
 * gradients reach the float32 masters (and the input) through the casts, close to the float32 ones.
 *
 * <p>Tolerance: bf16 keeps 8 significant bits, so each cast operand is off by at most 2⁻⁹ relative (≈ 0.2 %); a
 * product of two such operands, summed in float32 over many terms whose errors do not line up, is off by about that
 * much in norm. 2 % relative (in the Frobenius norm) is ten times that and still fails a wrong gradient (a missing
 * term, a wrong transpose or a gradient cut at the cast is off by 100 %). The error must also be above zero: the
 * blocks really computed in bf16.
 */
class MixedPrecisionBlocksTest {

    private static final double TOLERANCE = 2e-2;

    @Test
    void aBf16LinearMatchesFloat32InValueAndGradients() {
        compare(new Linear(48, 40, new NormalInitializer(0.1f)), new Shape(6, 7, 48),
                (store, x) -> ((Linear) store.getKey()).apply(store.getValue(), x, true));
    }

    @Test
    void bf16AttentionWithACausalMaskMatchesFloat32() {
        compare(new MultiheadAttention(32, 4, 0.2f, 0.2f), new Shape(3, 9, 32), (store, x) -> {
            NDArray mask = TextTransformer.causalMask(x.getManager(), 9);
            return ((MultiheadAttention) store.getKey()).apply(store.getValue(), x, mask, true);
        });
    }

    /** The hidden activation stays bf16 from c_fc through the non-linearity into c_proj: one rounding more. */
    @Test
    void aBf16MlpMatchesFloat32WithEitherActivation() {
        for (Activation activation : Activation.values()) {
            compare(new Mlp(32, 128, activation, 0.2f, 0.1f), new Shape(3, 9, 32),
                    (store, x) -> ((Mlp) store.getKey()).apply(store.getValue(), x, true));
        }
    }

    @Test
    void aBf16PatchEmbeddingMatchesFloat32() {
        compare(new PatchEmbedding(8, 24), new Shape(2, 3, 32, 32),
                (store, x) -> ((PatchEmbedding) store.getKey()).apply(store.getValue(), x, true));
    }

    /**
     * A weight is cast once per store (one step) however often it is used, and the cast serves every pass: made first
     * in a pass without a graph (as a micro-batched step begins), it still carries the gradient of each later pass
     * with one to the master. For {@code sum(x Wᵀ + b)} each row of W's gradient is the column sums of x (bf16 here),
     * and two passes give twice that; the bias gets 2 × rows exactly.
     */
    @Test
    void aWeightIsCastOncePerStepAndItsCastCarriesEveryPassesGradient() {
        try (NDManager manager = Engines.newManager()) {
            Engines.pytorch().setRandomSeed(6);
            Linear linear = new Linear(8, 4, new NormalInitializer(0.1f));
            linear.initialize(manager, DataType.FLOAT32, new Shape(3, 8));
            NDArray weight = linear.getParameters().get("weight").getArray();
            NDArray x = manager.randomNormal(new Shape(3, 8));
            MixedPrecisionStore store = new MixedPrecisionStore(manager, Precision.BF16);
            NDArray cast;
            try (GradMode off = GradMode.disabled()) {
                linear.apply(store, x, true);
                cast = store.lowerParameter(weight);
            }
            assertSame(cast, store.lowerParameter(weight), "one cast per store");
            try (GradientCollector collector = Engines.pytorch().newGradientCollector()) {
                collector.backward(linear.apply(store, x, true).sum());
                collector.backward(linear.apply(store, x, true).sum());
            }
            assertSame(cast, store.lowerParameter(weight), "still the one cast");
            NDArray expected = x.sum(new int[] {0}).mul(2).expandDims(0).repeat(0, 4);
            assertClose("weight gradient of two passes through one cast", expected, weight.getGradient());
            assertArrayEquals(new float[] {6, 6, 6, 6},
                    linear.getParameters().get("bias").getArray().getGradient().toFloatArray());
        }
    }

    private static void compare(Block block, Shape inputShape,
            BiFunction<Pair<Block, ParameterStore>, NDArray, NDArray> forward) {
        try (NDManager manager = Engines.newManager()) {
            Engines.pytorch().setRandomSeed(5);
            block.initialize(manager, DataType.FLOAT32, inputShape);
            NDArray input = manager.randomNormal(inputShape);
            Result fp32 = run(block, input, manager, Precision.FP32, forward);
            Result bf16 = run(block, input, manager, Precision.BF16, forward);

            assertEquals(DataType.FLOAT32, bf16.output.getDataType(), "the block gives float32 back");
            assertClose("output", fp32.output, bf16.output);
            assertClose("input gradient", fp32.inputGradient, bf16.inputGradient);
            assertEquals(fp32.gradients.keySet(), bf16.gradients.keySet());
            fp32.gradients.forEach((name, gradient) -> {
                NDArray low = bf16.gradients.get(name);
                assertEquals(DataType.FLOAT32, low.getDataType(), name + "'s gradient is the master's type");
                assertClose(name + " gradient", gradient, low);
            });
            block.getParameters().values().forEach(p ->
                    assertEquals(DataType.FLOAT32, p.getArray().getDataType(), p.getName() + " stays float32"));
        }
    }

    /** Forward and backward of sum(output · r), r fixed: every output element gets its own gradient. */
    private static Result run(Block block, NDArray input, NDManager manager, Precision precision,
            BiFunction<Pair<Block, ParameterStore>, NDArray, NDArray> forward) {
        for (Parameter p : block.getParameters().values()) {
            JniUtils.zeroGrad((PtNDArray) p.getArray());
        }
        NDArray x = input.duplicate();
        x.setRequiresGradient(true);
        NDArray output;
        try (GradientCollector collector = Engines.pytorch().newGradientCollector()) {
            output = forward.apply(new Pair<>(block, MixedPrecisionStore.forTraining(manager, precision)), x);
            Engines.pytorch().setRandomSeed(9);
            NDArray weights = manager.randomNormal(output.getShape());
            collector.backward(output.mul(weights).sum());
        }
        Map<String, NDArray> gradients = new LinkedHashMap<>();
        block.getParameters().forEach(p -> gradients.put(p.getKey(), p.getValue().getArray().getGradient().duplicate()));
        return new Result(output, x.getGradient().duplicate(), gradients);
    }

    private static void assertClose(String what, NDArray expected, NDArray actual) {
        double reference = expected.norm().getFloat();
        double error = expected.sub(actual).norm().getFloat() / reference;
        System.out.printf("bf16 vs fp32 %s: relative error %.2e%n", what, error);
        assertTrue(reference > 0, what + " is zero in float32");
        assertTrue(error < TOLERANCE, what + ": relative error " + error);
        assertTrue(error > 0, what + ": identical to float32, so not computed in bf16");
    }

    private record Result(NDArray output, NDArray inputGradient, Map<String, NDArray> gradients) {
    }
}
