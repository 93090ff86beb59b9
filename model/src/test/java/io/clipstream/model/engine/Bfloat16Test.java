package io.clipstream.model.engine;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class Bfloat16Test {

    private static NDManager manager;

    @BeforeAll
    static void engine() {
        manager = Engines.newManager();
    }

    @AfterAll
    static void close() {
        manager.close();
    }

    @Test
    void castRoundsToBfloat16AndBack() {
        // bf16 keeps 8 significant bits: 1 + 2^-9 rounds to 1, 1 + 2^-7 survives, 3e38 keeps float32's range.
        NDArray x = manager.create(new float[] {1f + 0x1p-9f, 1f + 0x1p-7f, -2.5f, 3e38f});
        NDArray bf16 = Bfloat16.of(x);
        assertTrue(Bfloat16.isBfloat16(bf16));
        assertEquals(x.getShape(), bf16.getShape());
        NDArray back = Bfloat16.toFloat32(bf16);
        assertEquals(DataType.FLOAT32, back.getDataType());
        float[] values = back.toFloatArray();
        assertEquals(1f, values[0]);
        assertEquals(1f + 0x1p-7f, values[1]);
        assertEquals(-2.5f, values[2]);
        assertEquals(3e38f, values[3], 3e38f * 0x1p-8f);
    }

    @Test
    void bfloat16ArraysComputeWithDjlOpsThatTakeNoType() {
        NDArray a = manager.randomNormal(new Shape(64, 48));
        NDArray b = manager.randomNormal(new Shape(48, 32));
        NDArray product = Bfloat16.toFloat32(Bfloat16.of(a).matMul(Bfloat16.of(b)));
        NDArray reference = a.matMul(b);
        float relative = product.sub(reference).norm().getFloat() / reference.norm().getFloat();
        assertTrue(relative < 1e-2, "bf16 matmul relative error " + relative);

        NDArray scaled = Bfloat16.of(a).mul(Scalars.like(Bfloat16.of(a), 2f));
        assertTrue(Bfloat16.isBfloat16(scaled), "a float32 0-d constant keeps bf16");
    }

    /**
     * The cast is differentiable: d/dw sum(float32(bf16(w)) · r) is r, passed back through both casts, so rounded
     * to bf16 once (DJL's own module call runs under InferenceMode, which recorded nothing: "element 0 of tensors
     * does not require grad").
     */
    @Test
    void theCastPassesGradientsBackToTheFloat32Master() {
        try (NDManager scope = manager.newSubManager()) {
            NDArray w = scope.randomNormal(new Shape(5, 3));
            w.setRequiresGradient(true);
            NDArray r = scope.randomNormal(new Shape(5, 3));
            try (GradientCollector collector = Engines.pytorch().newGradientCollector()) {
                collector.backward(Bfloat16.toFloat32(Bfloat16.of(w)).mul(r).sum());
            }
            assertEquals(DataType.FLOAT32, w.getGradient().getDataType());
            assertArrayEquals(Bfloat16.toFloat32(Bfloat16.of(r)).toFloatArray(), w.getGradient().toFloatArray());
        }
    }

    @Test
    void withoutAGradientCollectorTheCastRecordsNothing() {
        try (NDManager scope = manager.newSubManager(); GradMode off = GradMode.disabled()) {
            NDArray w = scope.randomNormal(new Shape(2, 2));
            w.setRequiresGradient(true);
            assertFalse(Bfloat16.of(w).hasGradient(), "no graph outside training");
        }
    }

    @Test
    void zerosAndSoftmaxStayInTheArraysType() {
        NDArray x = Bfloat16.of(manager.create(new float[] {0f, (float) Math.log(3)}, new Shape(1, 2)));
        NDArray zeros = Bfloat16.zerosLike(x);
        assertTrue(Bfloat16.isBfloat16(zeros));
        assertArrayEquals(new float[] {0f, 0f}, Bfloat16.toFloat32(zeros).toFloatArray());
        NDArray probabilities = Bfloat16.softmaxLastAxis(x);
        assertTrue(Bfloat16.isBfloat16(probabilities));
        assertArrayEquals(new float[] {0.25f, 0.75f}, Bfloat16.toFloat32(probabilities).toFloatArray(), 4e-3f);
        // On float32 the same ops keep float32.
        assertEquals(DataType.FLOAT32, Bfloat16.softmaxLastAxis(manager.zeros(new Shape(2, 2))).getDataType());
    }

    @Test
    void precisionParsesAndRefusesFp16OnTheCpu() {
        assertSame(Precision.BF16, Precision.parse(" BF16 "));
        assertEquals("fp32", Precision.FP32.label());
        IllegalArgumentException unknown = assertThrows(IllegalArgumentException.class, () -> Precision.parse("int8"));
        assertEquals("Unknown precision 'int8': use one of fp32, bf16, fp16", unknown.getMessage());
        IllegalArgumentException cpu = assertThrows(IllegalArgumentException.class,
                () -> Precision.FP16.requireSupportedOn(Device.cpu()));
        assertTrue(cpu.getMessage().startsWith("Precision fp16 runs only on a GPU"), cpu.getMessage());
        assertSame(Precision.BF16, Precision.BF16.requireSupportedOn(Device.cpu()));
    }
}
