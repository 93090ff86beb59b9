package io.clipstream.model.image;

import io.clipstream.schemas.RejectReason;

import java.awt.image.BufferedImage;
import java.awt.image.ColorModel;
import java.awt.image.DataBuffer;
import java.awt.image.IndexColorModel;
import java.awt.image.Raster;

/**
 * Pillow's {@code convert("RGB")} applied to what the PNG, GIF, BMP and WebP readers return: grey replicated,
 * palettes expanded, alpha dropped (not composited), embedded colour profiles ignored (the raw samples are used,
 * never ImageIO's colour-managed {@code getRGB}).
 *
 * <p>16-bit samples follow Pillow 9.4: RGB, RGBA and grey+alpha PNGs keep the high byte, while 16-bit grey opens
 * as mode "I" whose conversion to RGB clips to 0..255 (so most of such an image turns white, as in Pillow).
 */
final class PillowRgb {

    private PillowRgb() {
    }

    static RgbImage convert(BufferedImage image) throws InvalidImageException {
        ColorModel model = image.getColorModel();
        Raster raster = image.getRaster();
        if (model instanceof IndexColorModel palette) {
            return expandPalette(raster, palette);
        }
        int colors = model.getNumColorComponents();
        int[] sizes = raster.getSampleModel().getSampleSize();
        boolean allBytes = true;
        for (int size : sizes) {
            allBytes &= size == 8;
            if (size < 1 || size > 16) {
                throw unsupported(size + "-bit samples");
            }
        }
        if (colors != 1 && colors != 3) {
            throw unsupported(colors + "-component colour");
        }
        if (allBytes && raster.getTransferType() == DataBuffer.TYPE_BYTE) {
            return fromBytes(InterleavedBytes.of(raster), colors);
        }
        return fromSamples(raster, colors, model.hasAlpha(), sizes);
    }

    private static RgbImage fromBytes(InterleavedBytes in, int colors) {
        int w = in.width();
        int h = in.height();
        byte[] src = in.data();
        int[] band = in.bandOffsets();
        byte[] out = new byte[w * h * 3];
        int o = 0;
        for (int y = 0; y < h; y++) {
            int p = y * in.scanlineStride();
            if (colors == 1) {
                for (int x = 0; x < w; x++, p += in.pixelStride(), o += 3) {
                    out[o] = out[o + 1] = out[o + 2] = src[p + band[0]];
                }
            } else {
                for (int x = 0; x < w; x++, p += in.pixelStride(), o += 3) {
                    out[o] = src[p + band[0]];
                    out[o + 1] = src[p + band[1]];
                    out[o + 2] = src[p + band[2]];
                }
            }
        }
        return new RgbImage(w, h, out);
    }

    /** Rasters with 16-bit, int-packed or narrower (e.g. 5-6-5 BMP) samples, read row by row. */
    private static RgbImage fromSamples(Raster raster, int colors, boolean alpha, int[] sampleBits) {
        int w = raster.getWidth();
        int h = raster.getHeight();
        int bands = raster.getNumBands();
        int[][] lut = new int[colors][];
        for (int c = 0; c < colors; c++) {
            lut[c] = sampleLut(sampleBits[c], colors == 1 && !alpha);
        }
        int[] row = new int[w * bands];
        byte[] out = new byte[w * h * 3];
        int o = 0;
        for (int y = 0; y < h; y++) {
            raster.getPixels(raster.getMinX(), raster.getMinY() + y, w, 1, row);
            for (int x = 0, p = 0; x < w; x++, p += bands, o += 3) {
                if (colors == 1) {
                    out[o] = out[o + 1] = out[o + 2] = (byte) lut[0][row[p]];
                } else {
                    out[o] = (byte) lut[0][row[p]];
                    out[o + 1] = (byte) lut[1][row[p + 1]];
                    out[o + 2] = (byte) lut[2][row[p + 2]];
                }
            }
        }
        return new RgbImage(w, h, out);
    }

    /** Sample value → 8 bits, per Pillow's unpackers (see the class comment for 16-bit grey). */
    private static int[] sampleLut(int bits, boolean greyWithoutAlpha) {
        int max = (1 << bits) - 1;
        int[] lut = new int[max + 1];
        for (int v = 0; v <= max; v++) {
            if (bits == 16) {
                lut[v] = greyWithoutAlpha ? Math.min(v, 255) : v >> 8;
            } else {
                lut[v] = (v * 255 + max / 2) / max;
            }
        }
        return lut;
    }

    private static RgbImage expandPalette(Raster raster, IndexColorModel palette) {
        int size = palette.getMapSize();
        int[] rgb = new int[256];
        for (int i = 0; i < rgb.length; i++) {
            // Past the map (only for a corrupt index) take Pillow's default palette, a grey ramp. Note that the
            // JDK's PNG reader already pads a short PLTE with its last entry, where Pillow would show the ramp.
            rgb[i] = i < size ? palette.getRGB(i) & 0xFFFFFF : i * 0x010101;
        }
        int w = raster.getWidth();
        int h = raster.getHeight();
        int[] row = new int[w];
        byte[] out = new byte[w * h * 3];
        int o = 0;
        for (int y = 0; y < h; y++) {
            raster.getSamples(raster.getMinX(), raster.getMinY() + y, w, 1, 0, row);
            for (int x = 0; x < w; x++, o += 3) {
                int c = rgb[row[x] & 0xff];
                out[o] = (byte) (c >> 16);
                out[o + 1] = (byte) (c >> 8);
                out[o + 2] = (byte) c;
            }
        }
        return new RgbImage(w, h, out);
    }

    private static InvalidImageException unsupported(String what) {
        return new InvalidImageException(RejectReason.UNSUPPORTED_IMAGE_FORMAT, "cannot convert " + what + " to RGB");
    }
}
