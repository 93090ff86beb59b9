package io.clipstream.model.image;

import org.junit.jupiter.api.Test;

import java.util.Arrays;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Properties of the resampler; its exactness against Pillow is {@link ClipImageTransformFixtureTest}'s. */
class PillowResizeTest {

    @Test
    void keepsTheImageWhenTheSizeDoesNotChange() {
        RgbImage image = noise(7, 5, 1);
        assertSame(image, PillowResize.resize(image, 7, 5));
    }

    @Test
    void keepsUniformImagesUniformInBothDirections() {
        for (int[] size : new int[][] {{640, 480}, {3, 5}, {224, 224}, {1000, 17}, {1000, 301}}) {
            byte[] pixels = new byte[size[0] * size[1] * 3];
            for (int i = 0; i < pixels.length; i += 3) {
                pixels[i] = (byte) 250;
                pixels[i + 1] = 3;
                pixels[i + 2] = (byte) 128;
            }
            RgbImage resized = PillowResize.resize(new RgbImage(size[0], size[1], pixels), 224, 301);
            for (int i = 0; i < resized.pixels().length; i += 3) {
                assertEquals(0xFA0380, resized.rgbAt(i / 3 % 224, i / 3 / 224), Arrays.toString(size));
            }
        }
    }

    @Test
    void kernelIsKeysCubicWithAMinusHalf() {
        assertEquals(1.0, PillowResize.bicubic(0), 0);
        assertEquals(0.0, PillowResize.bicubic(1), 0);
        assertEquals(0.0, PillowResize.bicubic(2), 0);
        assertEquals(0.5625, PillowResize.bicubic(0.5), 1e-15);
        assertEquals(-0.0625, PillowResize.bicubic(-1.5), 1e-15);
    }

    @Test
    void downscalingWidensTheSupportAndWeightsSumToOne() {
        PillowResize.Coefficients half = PillowResize.Coefficients.bicubic(640, 320);
        assertEquals(9, half.ksize(), "support 2 x scale 2 = 4 each side");
        PillowResize.Coefficients up = PillowResize.Coefficients.bicubic(3, 224);
        assertEquals(5, up.ksize(), "upscaling keeps support 2");
        for (PillowResize.Coefficients k : new PillowResize.Coefficients[] {half, up}) {
            for (int out = 0; out < k.outSize(); out++) {
                int sum = 0;
                for (int i = 0; i < k.count(out); i++) {
                    sum += k.weights()[out * k.ksize() + i];
                }
                assertTrue(Math.abs(sum - (1 << PillowResize.PRECISION_BITS)) <= k.ksize(), "sum " + sum);
            }
        }
        // Output pixel 0 of a 2x reduction is centred on 1.0: taps (int)(1 - 4 + 0.5) = -2, clamped to 0,
        // up to (int)(1 + 4 + 0.5) = 5 exclusive.
        assertEquals(0, half.first(0));
        assertEquals(5, half.count(0));
    }

    @Test
    void rejectsEmptyTargets() {
        assertThrows(IllegalArgumentException.class, () -> PillowResize.resize(noise(4, 4, 2), 0, 4));
    }

    static RgbImage noise(int width, int height, long seed) {
        byte[] pixels = new byte[width * height * 3];
        new Random(seed).nextBytes(pixels);
        return new RgbImage(width, height, pixels);
    }
}
