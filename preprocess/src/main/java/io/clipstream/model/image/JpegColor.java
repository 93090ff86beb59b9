package io.clipstream.model.image;

import io.clipstream.model.image.JpegStructure.JpegColorSpace;

import java.awt.image.Raster;

/**
 * Turns the raw (unconverted) samples of a JPEG into RGB exactly as Pillow gets them from libjpeg: libjpeg's
 * fixed-point YCbCr→RGB (jdcolor.c) and YCCK→CMYK, then for CMYK Pillow's "CMYK;I" (Adobe-inverted) raw mode
 * and its {@code cmyk2rgb}. ImageIO's own conversion is avoided: it applies embedded ICC profiles, Pillow does not.
 */
final class JpegColor {

    private static final int SCALEBITS = 16;
    private static final int ONE_HALF = 1 << (SCALEBITS - 1);
    private static final int[] CR_R = new int[256];
    private static final int[] CB_B = new int[256];
    private static final int[] CR_G = new int[256];
    private static final int[] CB_G = new int[256];

    static {
        for (int i = 0; i < 256; i++) {
            int x = i - 128;
            CR_R[i] = (fix(1.40200) * x + ONE_HALF) >> SCALEBITS;
            CB_B[i] = (fix(1.77200) * x + ONE_HALF) >> SCALEBITS;
            CR_G[i] = -fix(0.71414) * x;
            CB_G[i] = -fix(0.34414) * x + ONE_HALF;
        }
    }

    private JpegColor() {
    }

    static RgbImage toRgb(Raster raw, JpegColorSpace colorSpace) {
        InterleavedBytes in = InterleavedBytes.of(raw);
        int expectedBands = switch (colorSpace) {
            case GRAY -> 1;
            case YCBCR, RGB -> 3;
            case CMYK, YCCK -> 4;
        };
        if (in.bands() != expectedBands) {
            throw new IllegalStateException("JPEG raster has " + in.bands() + " bands, " + colorSpace
                    + " needs " + expectedBands);
        }
        byte[] out = new byte[in.width() * in.height() * 3];
        // One loop per colour space, so the per-pixel work has no branch on it.
        switch (colorSpace) {
            case GRAY -> gray(in, out);
            case RGB -> rgb(in, out);
            case YCBCR -> ycbcr(in, out);
            case CMYK -> cmyk(in, out);
            case YCCK -> ycck(in, out);
        }
        return new RgbImage(in.width(), in.height(), out);
    }

    private static void gray(InterleavedBytes in, byte[] out) {
        byte[] src = in.data();
        int b0 = in.bandOffsets()[0];
        int o = 0;
        for (int y = 0; y < in.height(); y++) {
            int p = y * in.scanlineStride() + b0;
            for (int x = 0; x < in.width(); x++, p += in.pixelStride(), o += 3) {
                out[o] = out[o + 1] = out[o + 2] = src[p];
            }
        }
    }

    private static void rgb(InterleavedBytes in, byte[] out) {
        byte[] src = in.data();
        int[] band = in.bandOffsets();
        int o = 0;
        for (int y = 0; y < in.height(); y++) {
            int p = y * in.scanlineStride();
            for (int x = 0; x < in.width(); x++, p += in.pixelStride(), o += 3) {
                out[o] = src[p + band[0]];
                out[o + 1] = src[p + band[1]];
                out[o + 2] = src[p + band[2]];
            }
        }
    }

    private static void ycbcr(InterleavedBytes in, byte[] out) {
        byte[] src = in.data();
        int[] band = in.bandOffsets();
        int o = 0;
        for (int y = 0; y < in.height(); y++) {
            int p = y * in.scanlineStride();
            for (int x = 0; x < in.width(); x++, p += in.pixelStride(), o += 3) {
                int luma = src[p + band[0]] & 0xff;
                int cb = src[p + band[1]] & 0xff;
                int cr = src[p + band[2]] & 0xff;
                out[o] = (byte) clamp(luma + CR_R[cr]);
                out[o + 1] = (byte) clamp(luma + ((CB_G[cb] + CR_G[cr]) >> SCALEBITS));
                out[o + 2] = (byte) clamp(luma + CB_B[cb]);
            }
        }
    }

    private static void cmyk(InterleavedBytes in, byte[] out) {
        byte[] src = in.data();
        int[] band = in.bandOffsets();
        int o = 0;
        for (int y = 0; y < in.height(); y++) {
            int p = y * in.scanlineStride();
            for (int x = 0; x < in.width(); x++, p += in.pixelStride(), o += 3) {
                // Stored Adobe-style (inverted): ink = 255 - stored, and Pillow's nk = 255 - K is the stored K.
                int nk = src[p + band[3]] & 0xff;
                out[o] = (byte) cmykChannel(255 - (src[p + band[0]] & 0xff), nk);
                out[o + 1] = (byte) cmykChannel(255 - (src[p + band[1]] & 0xff), nk);
                out[o + 2] = (byte) cmykChannel(255 - (src[p + band[2]] & 0xff), nk);
            }
        }
    }

    private static void ycck(InterleavedBytes in, byte[] out) {
        byte[] src = in.data();
        int[] band = in.bandOffsets();
        int o = 0;
        for (int y = 0; y < in.height(); y++) {
            int p = y * in.scanlineStride();
            for (int x = 0; x < in.width(); x++, p += in.pixelStride(), o += 3) {
                // libjpeg stores C = 255 - R(YCC), etc.; Pillow's inversion undoes that, leaving ink = R(YCC).
                int luma = src[p + band[0]] & 0xff;
                int cb = src[p + band[1]] & 0xff;
                int cr = src[p + band[2]] & 0xff;
                int nk = src[p + band[3]] & 0xff;
                out[o] = (byte) cmykChannel(clamp(luma + CR_R[cr]), nk);
                out[o + 1] = (byte) cmykChannel(clamp(luma + ((CB_G[cb] + CR_G[cr]) >> SCALEBITS)), nk);
                out[o + 2] = (byte) cmykChannel(clamp(luma + CB_B[cb]), nk);
            }
        }
    }

    /** Pillow's cmyk2rgb for one channel: {@code CLIP8(nk - MULDIV255(ink, nk))}, nk = 255 - K. */
    static int cmykChannel(int ink, int nk) {
        int t = ink * nk + 128;
        return clamp(nk - (((t >> 8) + t) >> 8));
    }

    private static int fix(double x) {
        return (int) (x * (1L << SCALEBITS) + 0.5);
    }

    private static int clamp(int v) {
        return v < 0 ? 0 : Math.min(v, 255);
    }
}
