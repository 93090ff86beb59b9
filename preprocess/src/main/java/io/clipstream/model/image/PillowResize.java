package io.clipstream.model.image;

import java.util.Arrays;

/**
 * Bicubic resampling that reproduces Pillow's {@code ImagingResample} (Resample.c, Pillow 9.4) bit for bit on 8-bit
 * images: a separable convolution, horizontal pass first, then vertical, each pass rounding and clipping to uint8;
 * the kernel is Keys' cubic with a = -0.5, widened by the scale factor when downscaling (support = 2 × scale),
 * normalised in double precision and then quantised to {@value #PRECISION_BITS}-bit fixed point.
 */
public final class PillowResize {

    /** 32 - 8 - 2: 8 bits of result, two bits of headroom for the kernel's negative lobes. */
    static final int PRECISION_BITS = 32 - 8 - 2;
    private static final double SUPPORT = 2.0;

    private PillowResize() {
    }

    /** {@code image.resize((width, height), Image.BICUBIC)}; the same image when the size does not change. */
    public static RgbImage resize(RgbImage image, int width, int height) {
        if (width == image.width() && height == image.height()) {
            requirePositive(width, height);
            return image;
        }
        return resizeWindow(image, width, height, 0, 0, width, height);
    }

    /**
     * The window [left, left + w) × [top, top + h) of {@code resize(image, width, height)}, computing only its
     * pixels: {@code resize(...).crop(left, top, w, h)} bit for bit. Every output pixel is a sum over its own
     * taps (integer sums, so order does not matter), so pixels outside the window need not exist, nor the source
     * rows and columns only they read.
     */
    public static RgbImage resizeWindow(RgbImage image, int width, int height, int left, int top, int w, int h) {
        requirePositive(width, height);
        if (left < 0 || top < 0 || w <= 0 || h <= 0 || left + w > width || top + h > height) {
            throw new IllegalArgumentException("window " + w + "x" + h + "+" + left + "+" + top
                    + " outside " + width + "x" + height);
        }
        boolean horizontal = width != image.width();
        boolean vertical = height != image.height();
        if (!horizontal && !vertical) {
            return image.crop(left, top, w, h);
        }
        Kernel rows = vertical ? Kernel.of(Coefficients.bicubic(image.height(), height), image.height(), top, h) : null;
        // The source rows the vertical pass reads (all the window's rows when there is none).
        int firstRow = vertical ? rows.start(0) : top;
        int lastRow = vertical ? rows.start(h - 1) + rows.taps() : top + h;
        // The intermediate holds uint8 values (clipped, as Pillow's is) in ints: the vertical pass is then a plain
        // int multiply-add over whole rows, which the JIT vectorises.
        int[] samples = horizontal
                ? resampleHorizontal(image, Kernel.of(Coefficients.bicubic(image.width(), width), image.width(), left, w),
                        firstRow, lastRow)
                : columns(image, left, w, firstRow, lastRow);
        byte[] out = vertical ? resampleVertical(samples, w * 3, rows, firstRow) : toBytes(samples);
        return new RgbImage(w, h, out);
    }

    private static void requirePositive(int width, int height) {
        if (width <= 0 || height <= 0) {
            throw new IllegalArgumentException("target size must be positive: " + width + "x" + height);
        }
    }

    private static int[] resampleHorizontal(RgbImage in, Kernel k, int firstRow, int lastRow) {
        int inStride = in.width() * 3;
        int outStride = k.outputs() * 3;
        int taps = k.taps();
        byte[] src = in.pixels();
        int[] out = new int[(lastRow - firstRow) * outStride];
        int[] weights = k.weights();
        int[] starts = k.starts();
        int half = 1 << (PRECISION_BITS - 1);
        for (int y = firstRow; y < lastRow; y++) {
            int rowStart = y * inStride;
            int o = (y - firstRow) * outStride;
            for (int xx = 0, w = 0; xx < starts.length; xx++, o += 3, w += taps) {
                int p = rowStart + starts[xx] * 3;
                int r = half;
                int g = half;
                int b = half;
                for (int i = 0; i < taps; i++, p += 3) {
                    int weight = weights[w + i];
                    r += (src[p] & 0xff) * weight;
                    g += (src[p + 1] & 0xff) * weight;
                    b += (src[p + 2] & 0xff) * weight;
                }
                out[o] = clip8(r);
                out[o + 1] = clip8(g);
                out[o + 2] = clip8(b);
            }
        }
        return out;
    }

    /** Source columns [left, left + w) of rows [firstRow, lastRow) as ints, for a vertical-only resize. */
    private static int[] columns(RgbImage in, int left, int w, int firstRow, int lastRow) {
        byte[] src = in.pixels();
        int[] out = new int[(lastRow - firstRow) * w * 3];
        for (int y = firstRow, o = 0; y < lastRow; y++) {
            int p = (y * in.width() + left) * 3;
            for (int j = 0; j < w * 3; j++) {
                out[o++] = src[p + j] & 0xff;
            }
        }
        return out;
    }

    private static byte[] resampleVertical(int[] src, int stride, Kernel k, int firstRow) {
        int outHeight = k.outputs();
        int taps = k.taps();
        byte[] out = new byte[outHeight * stride];
        int[] weights = k.weights();
        int[] acc = new int[stride];
        int half = 1 << (PRECISION_BITS - 1);
        for (int yy = 0; yy < outHeight; yy++) {
            // Row-at-a-time accumulation: the same sums as Pillow's per-pixel loop, but sequential in memory.
            Arrays.fill(acc, half);
            int first = k.start(yy) - firstRow;
            for (int i = 0, w = yy * taps; i < taps; i++) {
                int weight = weights[w + i];
                if (weight == 0) {
                    continue;
                }
                int p = (first + i) * stride;
                for (int j = 0; j < stride; j++) {
                    acc[j] += src[p + j] * weight;
                }
            }
            int o = yy * stride;
            for (int j = 0; j < stride; j++) {
                out[o + j] = (byte) clip8(acc[j]);
            }
        }
        return out;
    }

    private static byte[] toBytes(int[] samples) {
        byte[] out = new byte[samples.length];
        for (int i = 0; i < samples.length; i++) {
            out[i] = (byte) samples[i];
        }
        return out;
    }

    private static int clip8(int accumulator) {
        int v = accumulator >> PRECISION_BITS;
        return v < 0 ? 0 : Math.min(v, 255);
    }

    /** Keys' cubic convolution kernel, a = -0.5, written as Pillow writes it (same double operations). */
    static double bicubic(double x) {
        double a = -0.5;
        if (x < 0.0) {
            x = -x;
        }
        if (x < 1.0) {
            return ((a + 2.0) * x - (a + 3.0)) * x * x + 1;
        }
        if (x < 2.0) {
            return (((x - 5) * x + 8) * x - 4) * a;
        }
        return 0.0;
    }

    /**
     * Pillow's {@code precompute_coeffs} + {@code normalize_coeffs_8bpc} for one axis: per output pixel the first
     * input pixel, the number of taps, and {@code ksize} fixed-point weights.
     */
    record Coefficients(int outSize, int ksize, int[] bounds, int[] weights) {

        static Coefficients bicubic(int inSize, int outSize) {
            double scale = (double) inSize / outSize;
            double filterScale = Math.max(scale, 1.0);
            double support = SUPPORT * filterScale;
            int ksize = (int) Math.ceil(support) * 2 + 1;
            int[] bounds = new int[outSize * 2];
            int[] weights = new int[outSize * ksize];
            double[] k = new double[ksize];
            double ss = 1.0 / filterScale;
            for (int xx = 0; xx < outSize; xx++) {
                double center = (xx + 0.5) * scale;
                int xmin = Math.max((int) (center - support + 0.5), 0);
                int xmax = Math.min((int) (center + support + 0.5), inSize) - xmin;
                double sum = 0.0;
                for (int x = 0; x < xmax; x++) {
                    double w = PillowResize.bicubic((x + xmin - center + 0.5) * ss);
                    k[x] = w;
                    sum += w;
                }
                for (int x = 0; x < xmax; x++) {
                    double normalised = sum != 0.0 ? k[x] / sum : k[x];
                    // (int) truncates toward zero, as C does: this is Pillow's round-half-away-from-zero.
                    weights[xx * ksize + x] = normalised < 0
                            ? (int) (-0.5 + normalised * (1 << PRECISION_BITS))
                            : (int) (0.5 + normalised * (1 << PRECISION_BITS));
                }
                bounds[xx * 2] = xmin;
                bounds[xx * 2 + 1] = xmax;
            }
            return new Coefficients(outSize, ksize, bounds, weights);
        }

        int first(int out) {
            return bounds[out * 2];
        }

        int count(int out) {
            return bounds[out * 2 + 1];
        }
    }

    /**
     * The {@link Coefficients} of outputs [from, from + count) with one tap count for all: each output's taps
     * padded with zero weights to the widest, its start moved left where the padding would run past the input.
     * Adding zeros changes no integer sum, and a fixed trip count makes the inner loops tight.
     */
    record Kernel(int taps, int[] starts, int[] weights) {

        static Kernel of(Coefficients c, int inSize, int from, int count) {
            int taps = 0;
            for (int o = from; o < from + count; o++) {
                taps = Math.max(taps, c.count(o));
            }
            int[] starts = new int[count];
            int[] weights = new int[count * taps];
            for (int j = 0; j < count; j++) {
                int o = from + j;
                int start = Math.max(0, Math.min(c.first(o), inSize - taps));
                int shift = c.first(o) - start;
                System.arraycopy(c.weights(), o * c.ksize(), weights, j * taps + shift, c.count(o));
                starts[j] = start;
            }
            return new Kernel(taps, starts, weights);
        }

        int outputs() {
            return starts.length;
        }

        int start(int output) {
            return starts[output];
        }
    }
}
