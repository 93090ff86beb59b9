package io.clipstream.model.engine;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import io.clipstream.model.image.ClipImageTransform;
import io.clipstream.model.image.RgbImage;
import java.util.List;
import org.junit.jupiter.api.Test;

class PixelTensorsTest {

    @Test
    void theBatchIsOneFloat32TensorOfThePixelValuesInBatchOrder() {
        ClipImageTransform transform = ClipImageTransform.openAi(32);
        List<RgbImage> images = List.of(uniform(32, 0, 128, 255), uniform(32, 255, 1, 7));
        try (NDManager manager = NDManager.newBaseManager()) {
            NDArray tensor = PixelTensors.of(manager, transform, images);
            assertEquals(new Shape(2, 3, 32, 32), tensor.getShape());
            assertEquals(DataType.FLOAT32, tensor.getDataType());
            assertArrayEquals(transform.toPixelValues(images), tensor.toFloatArray());
        }
    }

    private static RgbImage uniform(int size, int r, int g, int b) {
        byte[] pixels = new byte[size * size * 3];
        for (int i = 0; i < pixels.length; i += 3) {
            pixels[i] = (byte) r;
            pixels[i + 1] = (byte) g;
            pixels[i + 2] = (byte) b;
        }
        return new RgbImage(size, size, pixels);
    }
}
