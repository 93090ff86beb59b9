package io.clipstream.model.image;

import org.junit.jupiter.api.Test;

import java.util.Arrays;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class ClipImageTransformTest {

    private final ClipImageTransform transform = ClipImageTransform.openAi(224);

    @Test
    void shorterSideBecomesTheSizeAndTheLongerIsTruncated() {
        assertArrayEquals(new int[] {336, 224}, ClipImageTransform.resizedSize(451, 300, 224));
        assertArrayEquals(new int[] {224, 581}, ClipImageTransform.resizedSize(199, 517, 224));
        assertArrayEquals(new int[] {373, 224}, ClipImageTransform.resizedSize(5, 3, 224));
        assertArrayEquals(new int[] {224, 224}, ClipImageTransform.resizedSize(512, 512, 224));
        assertArrayEquals(new int[] {933, 224}, ClipImageTransform.resizedSize(1000, 240, 224));
    }

    @Test
    void centreCropRoundsHalfOffsetsToEvenLikePython() {
        // Already 224 wide, so no resampling: row y holds the value y, and the crop's first row tells the offset.
        assertEquals(0, transform.resizeAndCrop(rowIndexed(225)).rgbAt(0, 0) & 0xFF, "round(0.5) = 0");
        assertEquals(2, transform.resizeAndCrop(rowIndexed(227)).rgbAt(0, 0) & 0xFF, "round(1.5) = 2");
        assertEquals(2, transform.resizeAndCrop(rowIndexed(228)).rgbAt(0, 0) & 0xFF, "round(2.0) = 2");
        assertEquals(224, transform.resizeAndCrop(rowIndexed(227)).height());
    }

    @Test
    void pixelValuesAreNormalisedIntoChannelPlanesInBatchOrder() {
        RgbImage first = uniform(224, 0, 128, 255);
        RgbImage second = uniform(224, 255, 1, 7);
        float[] values = transform.toPixelValues(List.of(first, second));
        assertEquals(2 * 3 * 224 * 224, values.length, "[2, 3, 224, 224]");
        int plane = 224 * 224;
        int[][] rgb = {{0, 128, 255}, {255, 1, 7}};
        for (int n = 0; n < 2; n++) {
            for (int c = 0; c < 3; c++) {
                float expected = ((float) rgb[n][c] / 255f - ClipImageTransform.OPENAI_MEAN[c])
                        / ClipImageTransform.OPENAI_STD[c];
                int start = (n * 3 + c) * plane;
                float[] channel = Arrays.copyOfRange(values, start, start + plane);
                for (float v : channel) {
                    assertEquals(expected, v, 0f, "image " + n + " channel " + c);
                }
            }
        }
        assertEquals(-1.7922626f, values[0], 1e-6f, "(0 - 0.48145466) / 0.26862954");
    }

    @Test
    void pixelValuesRefuseImagesOfAnotherSize() {
        assertThrows(IllegalArgumentException.class,
                () -> transform.toPixelValues(List.of(uniform(224, 1, 2, 3), uniform(225, 1, 2, 3))));
        assertThrows(IllegalArgumentException.class, () -> transform.toPixelValues(List.of()));
    }

    @Test
    void rejectsNonsensicalParameters() {
        ImageDecoder decoder = new ImageDecoder();
        assertThrows(IllegalArgumentException.class,
                () -> new ClipImageTransform(0, ClipImageTransform.OPENAI_MEAN, ClipImageTransform.OPENAI_STD, decoder));
        assertThrows(IllegalArgumentException.class,
                () -> new ClipImageTransform(224, new float[] {0.5f}, ClipImageTransform.OPENAI_STD, decoder));
        assertThrows(IllegalArgumentException.class,
                () -> new ClipImageTransform(224, ClipImageTransform.OPENAI_MEAN, new float[] {1, 0, 1}, decoder));
    }

    private static RgbImage rowIndexed(int height) {
        byte[] pixels = new byte[224 * height * 3];
        for (int y = 0; y < height; y++) {
            Arrays.fill(pixels, y * 224 * 3, (y + 1) * 224 * 3, (byte) y);
        }
        return new RgbImage(224, height, pixels);
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
