package io.clipstream.model.image;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.awt.Transparency;
import java.awt.color.ColorSpace;
import java.awt.image.BufferedImage;
import java.awt.image.ComponentColorModel;
import java.awt.image.DataBuffer;
import java.awt.image.IndexColorModel;
import java.awt.image.Raster;
import java.awt.image.WritableRaster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Inputs that must decode, each to what Pillow's {@code convert("RGB")} gives (plus EXIF orientation). */
class ImageDecoderConversionTest {

    private static final int RED = 0xE01010;
    private static final int GREEN = 0x10D020;
    private static final int BLUE = 0x1020E0;
    private static final int WHITE = 0xF0F0F0;

    private final ImageDecoder decoder = new ImageDecoder(ImageLimits.DEFAULT.withMinSide(1));

    /** Inks (C, M, Y, K) 0..255 in the two halves of the test image, and Pillow's RGB for them (cmyk2rgb). */
    private static final int[][] INKS = {{200, 50, 0, 30}, {0, 0, 255, 0}};
    private static final int[] PILLOW_RGB = {0x31B5E1, 0xFFFF00};

    @Test
    void cmykJpegConvertsWithPillowsFormulaNotAColourProfile() throws InvalidImageException {
        WritableRaster stored = Raster.createInterleavedRaster(DataBuffer.TYPE_BYTE, 32, 16, 4, null);
        for (int y = 0; y < 16; y++) {
            for (int x = 0; x < 32; x++) {
                int[] ink = INKS[x / 16];
                // Adobe CMYK JPEGs store inverted inks.
                stored.setPixel(x, y, new int[] {255 - ink[0], 255 - ink[1], 255 - ink[2], 255 - ink[3]});
            }
        }
        byte[] jpeg = TestImages.withSegment(TestImages.jpeg(stored), 0xEE, TestImages.adobe(0));
        assertHalves(decoder.decode(jpeg), 3);
    }

    @Test
    void ycckJpegConvertsLikeLibjpegThenPillow() throws InvalidImageException {
        WritableRaster stored = Raster.createInterleavedRaster(DataBuffer.TYPE_BYTE, 32, 16, 4, null);
        for (int y = 0; y < 16; y++) {
            for (int x = 0; x < 32; x++) {
                int[] ink = INKS[x / 16];
                // YCCK: the inverted C, M, Y coded as if they were R, G, B in JFIF YCbCr; K stored inverted.
                double r = ink[0];
                double g = ink[1];
                double b = ink[2];
                int luma = (int) Math.round(0.299 * r + 0.587 * g + 0.114 * b);
                int cb = (int) Math.round(128 - 0.168736 * r - 0.331264 * g + 0.5 * b);
                int cr = (int) Math.round(128 + 0.5 * r - 0.418688 * g - 0.081312 * b);
                stored.setPixel(x, y, new int[] {clamp(luma), clamp(cb), clamp(cr), 255 - ink[3]});
            }
        }
        byte[] jpeg = TestImages.withSegment(TestImages.jpeg(stored), 0xEE, TestImages.adobe(2));
        assertHalves(decoder.decode(jpeg), 4);
    }

    private static void assertHalves(RgbImage image, int tolerance) {
        assertEquals(32, image.width());
        assertEquals(16, image.height());
        // Away from the seam, where JPEG's 8x8 blocks see one colour only.
        assertClose(PILLOW_RGB[0], image.rgbAt(4, 8), tolerance);
        assertClose(PILLOW_RGB[1], image.rgbAt(27, 8), tolerance);
    }

    @ParameterizedTest(name = "orientation {0}, little-endian {1}")
    @CsvSource({
            "1, true,  32, 16, RED,   GREEN, BLUE,  WHITE",
            "2, false, 32, 16, GREEN, RED,   WHITE, BLUE",
            "3, true,  32, 16, WHITE, BLUE,  GREEN, RED",
            "4, false, 32, 16, BLUE,  WHITE, RED,   GREEN",
            "5, true,  16, 32, RED,   BLUE,  GREEN, WHITE",
            "6, false, 16, 32, BLUE,  RED,   WHITE, GREEN",
            "7, true,  16, 32, WHITE, GREEN, BLUE,  RED",
            "8, false, 16, 32, GREEN, WHITE, RED,   BLUE",
            "9, true,  32, 16, RED,   GREEN, BLUE,  WHITE",
    })
    void exifOrientationIsApplied(int orientation, boolean littleEndian, int width, int height,
                                  String topLeft, String topRight, String bottomLeft, String bottomRight)
            throws InvalidImageException {
        // Stored 32x16: red | green over blue | white, in 16x8 quadrants.
        BufferedImage quadrants = new BufferedImage(32, 16, BufferedImage.TYPE_INT_RGB);
        for (int y = 0; y < 16; y++) {
            for (int x = 0; x < 32; x++) {
                quadrants.setRGB(x, y, y < 8 ? (x < 16 ? RED : GREEN) : (x < 16 ? BLUE : WHITE));
            }
        }
        byte[] jpeg = TestImages.withSegment(TestImages.jpeg(quadrants), 0xE1,
                TestImages.exifOrientation(orientation, littleEndian));

        RgbImage upright = decoder.decode(jpeg);

        assertEquals(width + "x" + height, upright.width() + "x" + upright.height());
        int inset = 3;
        assertClose(colour(topLeft), upright.rgbAt(inset, inset), 24);
        assertClose(colour(topRight), upright.rgbAt(width - 1 - inset, inset), 24);
        assertClose(colour(bottomLeft), upright.rgbAt(inset, height - 1 - inset), 24);
        assertClose(colour(bottomRight), upright.rgbAt(width - 1 - inset, height - 1 - inset), 24);
    }

    @Test
    void sixteenBitPngsKeepTheHighByteButGreyClipsLikePillowModeI() throws InvalidImageException {
        int[] values = {0, 200, 255, 256, 0x1234, 0xFFFF};
        // RGB 16: high byte of each sample.
        RgbImage rgb = decoder.decode(png16(3, values));
        for (int i = 0; i < values.length; i++) {
            int v = values[i] >> 8;
            assertEquals(v << 16 | v << 8 | v, rgb.rgbAt(i, 0), "RGB16 sample " + values[i]);
        }
        // Grey 16 opens as Pillow mode "I"; its RGB conversion clips at 255 instead of scaling.
        RgbImage grey = decoder.decode(png16(1, values));
        for (int i = 0; i < values.length; i++) {
            int v = Math.min(values[i], 255);
            assertEquals(v << 16 | v << 8 | v, grey.rgbAt(i, 0), "grey16 sample " + values[i]);
        }
        // Grey + alpha 16 ("LA;16B" into RGBA): high byte again, alpha dropped.
        RgbImage greyAlpha = decoder.decode(png16(2, values));
        for (int i = 0; i < values.length; i++) {
            int v = values[i] >> 8;
            assertEquals(v << 16 | v << 8 | v, greyAlpha.rgbAt(i, 0), "grey+alpha16 sample " + values[i]);
        }
    }

    /** A 6x1 16-bit PNG with the given value in every colour band (and alpha 0 when there are 2 bands). */
    private static byte[] png16(int bands, int[] values) {
        boolean alpha = bands == 2;
        ColorSpace space = ColorSpace.getInstance(bands == 3 ? ColorSpace.CS_sRGB : ColorSpace.CS_GRAY);
        ComponentColorModel model = new ComponentColorModel(space, alpha, false,
                alpha ? Transparency.TRANSLUCENT : Transparency.OPAQUE, DataBuffer.TYPE_USHORT);
        WritableRaster raster = model.createCompatibleWritableRaster(values.length, 1);
        for (int x = 0; x < values.length; x++) {
            for (int b = 0; b < bands; b++) {
                raster.setSample(x, 0, b, alpha && b == 1 ? 0 : values[x]);
            }
        }
        byte[] png = TestImages.encode(new BufferedImage(model, raster, false, null), "png");
        assertEquals(16, png[24], "bit depth in IHDR");
        return png;
    }

    @Test
    void alphaIsDroppedNotComposited() throws InvalidImageException {
        BufferedImage rgba = new BufferedImage(2, 1, BufferedImage.TYPE_4BYTE_ABGR);
        rgba.getRaster().setPixel(0, 0, new int[] {200, 100, 50, 0});
        rgba.getRaster().setPixel(1, 0, new int[] {10, 20, 30, 128});
        RgbImage rgb = decoder.decode(TestImages.encode(rgba, "png"));
        assertEquals(0xC86432, rgb.rgbAt(0, 0));
        assertEquals(0x0A141E, rgb.rgbAt(1, 0));

        byte[] greyAlpha = TestImages.png(2, 1, 8, 4, new byte[] {0, 77, 0, (byte) 250, 9});
        RgbImage grey = decoder.decode(greyAlpha);
        assertEquals(0x4D4D4D, grey.rgbAt(0, 0));
        assertEquals(0xFAFAFA, grey.rgbAt(1, 0));
    }

    @Test
    void palettesExpandIncludingTheTransparentEntry() throws InvalidImageException {
        byte[] reds = {(byte) 255, 0, 12};
        byte[] greens = {0, (byte) 255, 34};
        byte[] blues = {0, 0, 56};
        IndexColorModel palette = new IndexColorModel(2, 3, reds, greens, blues, 2); // entry 2 transparent
        BufferedImage indexed = new BufferedImage(3, 1, BufferedImage.TYPE_BYTE_BINARY, palette);
        for (int x = 0; x < 3; x++) {
            indexed.getRaster().setSample(x, 0, 0, x);
        }
        for (String format : new String[] {"gif", "png"}) {
            RgbImage rgb = decoder.decode(TestImages.encode(indexed, format));
            assertEquals(0xFF0000, rgb.rgbAt(0, 0), format);
            assertEquals(0x00FF00, rgb.rgbAt(1, 0), format);
            assertEquals(0x0C2238, rgb.rgbAt(2, 0), format + ": the transparent entry keeps its colour");
        }
    }

    @Test
    void lowBitDepthGreyScalesLikePillow() throws InvalidImageException {
        // 2-bit grey, values 0..3 -> 0, 85, 170, 255 (Pillow's "L;2" unpacker).
        byte[] png = TestImages.png(4, 1, 2, 0, new byte[] {0, (byte) 0b00_01_10_11});
        RgbImage rgb = decoder.decode(png);
        for (int x = 0; x < 4; x++) {
            assertEquals(x * 85 * 0x010101, rgb.rgbAt(x, 0));
        }
    }

    @Test
    void bmpDecodesLosslessly() throws InvalidImageException {
        BufferedImage image = new BufferedImage(5, 3, BufferedImage.TYPE_3BYTE_BGR);
        for (int y = 0; y < 3; y++) {
            for (int x = 0; x < 5; x++) {
                image.setRGB(x, y, (x * 50) << 16 | (y * 100) << 8 | (x + y) * 20);
            }
        }
        RgbImage rgb = decoder.decode(TestImages.encode(image, "bmp"));
        for (int y = 0; y < 3; y++) {
            for (int x = 0; x < 5; x++) {
                assertEquals(image.getRGB(x, y) & 0xFFFFFF, rgb.rgbAt(x, y));
            }
        }
    }

    @Test
    void losslessWebpDecodes() throws InvalidImageException {
        byte[] webp = TestImages.webpCheckerboard(5, 4, 200, 16, 240, 8);
        assertEquals(ImageFormat.WEBP, ImageFormat.sniff(webp).orElseThrow());
        RgbImage rgb = decoder.decode(webp);
        assertEquals("5x4", rgb.width() + "x" + rgb.height());
        for (int y = 0; y < 4; y++) {
            for (int x = 0; x < 5; x++) {
                int green = ((x + y) & 1) == 0 ? 16 : 240;
                assertEquals(200 << 16 | green << 8 | 8, rgb.rgbAt(x, y), "(" + x + ", " + y + ")");
            }
        }
    }

    private static int colour(String name) {
        return switch (name) {
            case "RED" -> RED;
            case "GREEN" -> GREEN;
            case "BLUE" -> BLUE;
            case "WHITE" -> WHITE;
            default -> throw new IllegalArgumentException(name);
        };
    }

    private static void assertClose(int expected, int actual, int tolerance) {
        for (int shift = 16; shift >= 0; shift -= 8) {
            int e = expected >> shift & 0xFF;
            int a = actual >> shift & 0xFF;
            assertTrue(Math.abs(e - a) <= tolerance, String.format("expected #%06X, got #%06X", expected, actual));
        }
    }

    private static int clamp(int v) {
        return Math.max(0, Math.min(255, v));
    }
}
