package io.clipstream.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.clipstream.model.engine.CastParameterStore;
import io.clipstream.model.engine.Engines;
import io.clipstream.model.engine.Precision;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class ClipModelPrecisionTest {

    private static NDManager manager;
    private static ClipModel tiny;

    @BeforeAll
    static void createTinyModel() {
        manager = Engines.newManager();
        Engines.pytorch().setRandomSeed(11);
        tiny = new ClipModel(ClipConfig.preset("tiny").withVocabSize(1000)).initialize(manager);
    }

    @AfterAll
    static void close() {
        manager.close();
    }

    @Test
    void bf16ImageFeaturesMatchFloat32() {
        NDArray pixels = manager.randomNormal(new Shape(4, 3, 64, 64));
        try (NDManager copies = manager.newSubManager()) {
            CastParameterStore bf16 = new CastParameterStore(copies, Precision.BF16);
            NDArray low = tiny.encodeImage(pixels, bf16);
            assertEquals(DataType.FLOAT32, low.getDataType());
            assertCosineAtLeast(0.999, tiny.encodeImage(pixels), low);
            // The fp32 store computes exactly what the plain path does.
            NDArray same = tiny.encodeImage(pixels, new CastParameterStore(copies, Precision.FP32));
            assertEquals(0f, same.sub(tiny.encodeImage(pixels)).abs().max().getFloat());
        }
    }

    @Test
    void bf16TextFeaturesMatchFloat32() {
        long[][] ids = new long[3][12];
        for (int row = 0; row < ids.length; row++) {
            ids[row][0] = 998;
            for (int t = 1; t < 5 + row; t++) {
                ids[row][t] = 7L * t + row;
            }
            ids[row][5 + row] = 999;
        }
        NDArray tokens = manager.create(ids);
        try (NDManager copies = manager.newSubManager()) {
            NDArray low = tiny.encodeText(tokens, new CastParameterStore(copies, Precision.BF16));
            assertEquals(DataType.FLOAT32, low.getDataType());
            assertCosineAtLeast(0.999, tiny.encodeText(tokens), low);
        }
    }

    static void assertCosineAtLeast(double bound, NDArray reference, NDArray other) {
        float[] cosines = ClipModel.l2Normalize(reference).mul(ClipModel.l2Normalize(other)).sum(new int[] {1})
                .toFloatArray();
        for (float cosine : cosines) {
            assertTrue(cosine >= bound, "cosine " + cosine + " below " + bound);
        }
    }
}
