package io.clipstream.model.image;

import java.util.Arrays;

/**
 * An 8-bit RGB image, row-major, interleaved (height × width × 3), the form every consumer of the decoder shares:
 * ingest stores these bytes, the embedder and the trainer turn them into tensors.
 *
 * <p>The pixel array is not copied: treat it as immutable once the image is built.
 */
public record RgbImage(int width, int height, byte[] pixels) {

    public RgbImage {
        if (width <= 0 || height <= 0) {
            throw new IllegalArgumentException("image size must be positive: " + width + "x" + height);
        }
        if (pixels == null || pixels.length != (long) width * height * 3) {
            throw new IllegalArgumentException("expected " + (long) width * height * 3 + " RGB bytes for "
                    + width + "x" + height + ", got " + (pixels == null ? "null" : pixels.length));
        }
    }

    /** The pixel at (x, y) as 0xRRGGBB. */
    public int rgbAt(int x, int y) {
        if (x < 0 || y < 0 || x >= width || y >= height) {
            throw new IndexOutOfBoundsException("(" + x + ", " + y + ") outside " + width + "x" + height);
        }
        int i = (y * width + x) * 3;
        return (pixels[i] & 0xff) << 16 | (pixels[i + 1] & 0xff) << 8 | pixels[i + 2] & 0xff;
    }

    /** The rectangle [x, x + w) × [y, y + h), copied. */
    public RgbImage crop(int x, int y, int w, int h) {
        if (x < 0 || y < 0 || w <= 0 || h <= 0 || x + w > width || y + h > height) {
            throw new IllegalArgumentException("crop " + w + "x" + h + "+" + x + "+" + y
                    + " outside " + width + "x" + height);
        }
        if (x == 0 && y == 0 && w == width && h == height) {
            return this;
        }
        byte[] out = new byte[w * h * 3];
        int rowBytes = w * 3;
        for (int row = 0; row < h; row++) {
            System.arraycopy(pixels, ((y + row) * width + x) * 3, out, row * rowBytes, rowBytes);
        }
        return new RgbImage(w, h, out);
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof RgbImage that
                && width == that.width && height == that.height && Arrays.equals(pixels, that.pixels);
    }

    @Override
    public int hashCode() {
        return 31 * (31 * width + height) + Arrays.hashCode(pixels);
    }

    @Override
    public String toString() {
        return "RgbImage[" + width + "x" + height + "]";
    }
}
