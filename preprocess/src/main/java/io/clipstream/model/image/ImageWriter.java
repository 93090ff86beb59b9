package io.clipstream.model.image;

import javax.imageio.ImageIO;
import java.awt.Transparency;
import java.awt.color.ColorSpace;
import java.awt.image.BufferedImage;
import java.awt.image.ComponentColorModel;
import java.awt.image.DataBuffer;
import java.awt.image.DataBufferByte;
import java.awt.image.Raster;
import java.awt.image.WritableRaster;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** Writes an {@link RgbImage} as a lossless 8-bit RGB PNG (e.g. {@code clipstream preprocess IN OUT.png}). */
public final class ImageWriter {

    private ImageWriter() {
    }

    public static void writePng(RgbImage image, Path file) throws IOException {
        try (OutputStream out = Files.newOutputStream(file)) {
            writePng(image, out);
        }
    }

    public static void writePng(RgbImage image, OutputStream out) throws IOException {
        if (!ImageIO.write(asBufferedImage(image), "png", out)) {
            throw new IllegalStateException("no ImageIO PNG writer");
        }
    }

    public static byte[] toPng(RgbImage image) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try {
            writePng(image, out);
        } catch (IOException e) {
            throw new UncheckedIOException("writing to memory failed", e);
        }
        return out.toByteArray();
    }

    /** A BufferedImage over the image's own bytes (no copy), bands in RGB order. */
    static BufferedImage asBufferedImage(RgbImage image) {
        DataBufferByte buffer = new DataBufferByte(image.pixels(), image.pixels().length);
        WritableRaster raster = Raster.createInterleavedRaster(buffer, image.width(), image.height(),
                image.width() * 3, 3, new int[] {0, 1, 2}, null);
        ComponentColorModel model = new ComponentColorModel(ColorSpace.getInstance(ColorSpace.CS_sRGB),
                false, false, Transparency.OPAQUE, DataBuffer.TYPE_BYTE);
        return new BufferedImage(model, raster, false, null);
    }
}
