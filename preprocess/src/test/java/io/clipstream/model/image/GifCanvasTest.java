package io.clipstream.model.image;

import io.clipstream.schemas.RejectReason;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A GIF is its logical screen, not its first frame: Pillow allocates the screen (and guards its pixel count) and
 * draws a smaller frame at its offset. The references are Pillow 9.4's {@code convert("RGB")}, made by
 * {@code gif-canvas/make.py}.
 */
class GifCanvasTest {

    private final ImageDecoder decoder = new ImageDecoder(ImageLimits.DEFAULT.withMinSide(1));

    @ParameterizedTest
    @ValueSource(strings = {"opaque", "transparent"})
    void aFrameSmallerThanItsScreenIsDrawnOnTheScreenAsPillowDoes(String name) throws InvalidImageException {
        byte[] gif = resource(name + ".gif");

        RgbImage image = decoder.decode(gif);

        assertEquals(11, image.width());
        assertEquals(9, image.height());
        assertArrayEquals(resource(name + ".rgb"), image.pixels(), name + " differs from Pillow");
        assertEquals(new ImageInfo(ImageFormat.GIF, 11, 9), decoder.inspect(gif));
    }

    @Test
    void aLogicalScreenOverThePixelLimitIsABombEvenWhenTheFrameIsSmall() {
        byte[] gif = resource("opaque.gif");
        gif[6] = gif[7] = gif[8] = gif[9] = (byte) 0xFF; // screen 65535x65535, frame still 6x4

        for (Decoding decoding : new Decoding[] {decoder::decode, decoder::inspect}) {
            InvalidImageException e = assertThrows(InvalidImageException.class, () -> decoding.run(gif));
            assertEquals(RejectReason.IMAGE_TOO_MANY_PIXELS, e.reason(), e.getMessage());
            assertTrue(e.getMessage().contains("65535x65535"), e.getMessage());
        }
    }

    @FunctionalInterface
    private interface Decoding {
        Object run(byte[] input) throws InvalidImageException;
    }

    private static byte[] resource(String name) {
        try (InputStream in = GifCanvasTest.class.getResourceAsStream("gif-canvas/" + name)) {
            if (in == null) {
                throw new IllegalStateException("missing test resource gif-canvas/" + name);
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
