package io.clipstream.model.image;

import java.awt.image.ComponentSampleModel;
import java.awt.image.DataBuffer;
import java.awt.image.DataBufferByte;
import java.awt.image.Raster;
import java.awt.image.SampleModel;

/**
 * 8-bit samples of a raster addressed as {@code data[offset(x, y) + bandOffset(b)]}: a view of the raster's own
 * storage when it is byte-interleaved (what the JPEG, PNG and BMP readers produce), otherwise a compact copy.
 * Lets the colour converters run one tight loop over plain arrays.
 */
record InterleavedBytes(byte[] data, int width, int height, int pixelStride, int scanlineStride, int[] bandOffsets) {

    static InterleavedBytes of(Raster raster) {
        SampleModel model = raster.getSampleModel();
        DataBuffer buffer = raster.getDataBuffer();
        if (buffer instanceof DataBufferByte bytes && bytes.getNumBanks() == 1
                && model instanceof ComponentSampleModel components
                && raster.getSampleModelTranslateX() == 0 && raster.getSampleModelTranslateY() == 0) {
            int[] bandOffsets = components.getBandOffsets().clone();
            for (int i = 0; i < bandOffsets.length; i++) {
                bandOffsets[i] += bytes.getOffset();
            }
            return new InterleavedBytes(bytes.getData(), raster.getWidth(), raster.getHeight(),
                    components.getPixelStride(), components.getScanlineStride(), bandOffsets);
        }
        return copyOf(raster);
    }

    private static InterleavedBytes copyOf(Raster raster) {
        int w = raster.getWidth();
        int h = raster.getHeight();
        int bands = raster.getNumBands();
        for (int size : raster.getSampleModel().getSampleSize()) {
            if (size > 8) {
                throw new IllegalArgumentException("not an 8-bit raster: " + size + "-bit samples");
            }
        }
        byte[] data = new byte[w * h * bands];
        int[] row = new int[w * bands];
        for (int y = 0; y < h; y++) {
            raster.getPixels(raster.getMinX(), raster.getMinY() + y, w, 1, row);
            int o = y * w * bands;
            for (int i = 0; i < row.length; i++) {
                data[o + i] = (byte) row[i];
            }
        }
        int[] bandOffsets = new int[bands];
        for (int b = 0; b < bands; b++) {
            bandOffsets[b] = b;
        }
        return new InterleavedBytes(data, w, h, bands, w * bands, bandOffsets);
    }

    int bands() {
        return bandOffsets.length;
    }
}
