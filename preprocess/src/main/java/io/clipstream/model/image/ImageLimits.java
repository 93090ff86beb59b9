package io.clipstream.model.image;

/**
 * What the decoder accepts, checked before any pixel is decoded.
 *
 * @param maxBytes  largest encoded input, in bytes
 * @param maxPixels largest width × height the header may announce (the decompression-bomb guard)
 * @param minSide   smallest width or height
 */
public record ImageLimits(long maxBytes, long maxPixels, int minSide) {

    /**
     * 20 MiB of encoded data; 40 Mpx (a 40 Mpx decode needs ~120 MB for the RGB copy on top of the decoder's own
     * raster of similar size, so a few concurrent decodes still fit a service heap; 8K video frames and most
     * camera photos pass); 16 px on the shorter side (below that an image is an icon or a tracking pixel, not
     * something CLIP can learn from at 224 px).
     */
    public static final ImageLimits DEFAULT = new ImageLimits(20L << 20, 40_000_000L, 16);

    public ImageLimits {
        if (maxBytes <= 0 || maxPixels <= 0 || minSide <= 0) {
            throw new IllegalArgumentException("limits must be positive: " + maxBytes + " bytes, "
                    + maxPixels + " pixels, min side " + minSide);
        }
    }

    public ImageLimits withMaxBytes(long bytes) {
        return new ImageLimits(bytes, maxPixels, minSide);
    }

    public ImageLimits withMaxPixels(long pixels) {
        return new ImageLimits(maxBytes, pixels, minSide);
    }

    public ImageLimits withMinSide(int side) {
        return new ImageLimits(maxBytes, maxPixels, side);
    }
}
