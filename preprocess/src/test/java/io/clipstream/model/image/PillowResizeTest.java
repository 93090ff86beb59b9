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

    /** The windowed resize against a plain reference: Pillow's loops as written, full image, then the crop. */
    @Test
    void windowIsTheFullResizeCropped() {
        int[][] cases = {{640, 480, 298, 224}, {480, 640, 224, 298}, {3, 5, 224, 373}, {1000, 17, 13178, 224},
            {224, 300, 224, 300}, {224, 300, 224, 225}, {300, 224, 225, 224}, {97, 61, 40, 41}, {17, 1000, 224, 13176}};
        Random random = new Random(7);
        for (int[] c : cases) {
            RgbImage image = noise(c[0], c[1], c[0] * 31L + c[1]);
            RgbImage full = reference(image, c[2], c[3]);
            assertEquals(full, PillowResize.resize(image, c[2], c[3]), Arrays.toString(c));
            for (int trial = 0; trial < 6; trial++) {
                int w = 1 + random.nextInt(Math.min(c[2], 300));
                int h = 1 + random.nextInt(Math.min(c[3], 300));
                int left = trial == 0 ? 0 : trial == 1 ? c[2] - w : random.nextInt(c[2] - w + 1);
                int top = trial == 0 ? 0 : trial == 1 ? c[3] - h : random.nextInt(c[3] - h + 1);
                assertEquals(full.crop(left, top, w, h), PillowResize.resizeWindow(image, c[2], c[3], left, top, w, h),
                        Arrays.toString(c) + " window " + w + "x" + h + "+" + left + "+" + top);
            }
        }
        assertThrows(IllegalArgumentException.class, () -> PillowResize.resizeWindow(noise(9, 9, 3), 5, 5, 1, 0, 5, 5));
    }

    /** ImagingResample's two passes over whole images, per pixel, with the coefficients as Pillow stores them. */
    private static RgbImage reference(RgbImage in, int width, int height) {
        int[] mid = new int[width * in.height() * 3];
        PillowResize.Coefficients kx = PillowResize.Coefficients.bicubic(in.width(), width);
        for (int y = 0; y < in.height(); y++) {
            for (int xx = 0; xx < width; xx++) {
                for (int c = 0; c < 3; c++) {
                    int acc = width == in.width() ? (in.pixels()[(y * in.width() + xx) * 3 + c] & 0xff)
                            << PillowResize.PRECISION_BITS : 1 << (PillowResize.PRECISION_BITS - 1);
                    if (width != in.width()) {
                        for (int i = 0; i < kx.count(xx); i++) {
                            acc += (in.pixels()[(y * in.width() + kx.first(xx) + i) * 3 + c] & 0xff)
                                    * kx.weights()[xx * kx.ksize() + i];
                        }
                    }
                    mid[(y * width + xx) * 3 + c] = clip(acc);
                }
            }
        }
        byte[] out = new byte[width * height * 3];
        PillowResize.Coefficients ky = PillowResize.Coefficients.bicubic(in.height(), height);
        for (int yy = 0; yy < height; yy++) {
            for (int x = 0; x < width * 3; x++) {
                int acc = height == in.height() ? mid[yy * width * 3 + x] << PillowResize.PRECISION_BITS
                        : 1 << (PillowResize.PRECISION_BITS - 1);
                if (height != in.height()) {
                    for (int i = 0; i < ky.count(yy); i++) {
                        acc += mid[(ky.first(yy) + i) * width * 3 + x] * ky.weights()[yy * ky.ksize() + i];
                    }
                }
                out[yy * width * 3 + x] = (byte) clip(acc);
            }
        }
        return new RgbImage(width, height, out);
    }

    private static int clip(int acc) {
        int v = acc >> PillowResize.PRECISION_BITS;
        return v < 0 ? 0 : Math.min(v, 255);
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
