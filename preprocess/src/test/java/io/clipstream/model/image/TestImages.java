package io.clipstream.model.image;

import javax.imageio.IIOImage;
import javax.imageio.ImageIO;
import javax.imageio.ImageWriteParam;
import javax.imageio.ImageWriter;
import javax.imageio.stream.ImageOutputStream;
import java.awt.image.BufferedImage;
import java.awt.image.Raster;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.Iterator;
import java.util.zip.CRC32;
import java.util.zip.Deflater;

/**
 * Encoded test images built in code, so that no binary needs committing. Shared with the services' tests through
 * the model test-jar.
 */
public final class TestImages {

    private TestImages() {
    }

    public static byte[] encode(BufferedImage image, String format) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try {
            if (!ImageIO.write(image, format, out)) {
                throw new IllegalStateException("no writer for " + format + " and image type " + image.getType());
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }

    /** A JPEG of the raster's samples as they are (no colour conversion), at quality 1.0, by the JDK's writer. */
    public static byte[] jpeg(Raster raster) {
        return jpeg(new IIOImage(raster, null, null));
    }

    public static byte[] jpeg(BufferedImage image) {
        return jpeg(new IIOImage(image, null, null));
    }

    private static byte[] jpeg(IIOImage image) {
        ImageWriter writer = jdkJpegWriter();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (ImageOutputStream stream = ImageIO.createImageOutputStream(out)) {
            writer.setOutput(stream);
            ImageWriteParam param = writer.getDefaultWriteParam();
            param.setCompressionMode(ImageWriteParam.MODE_EXPLICIT);
            param.setCompressionQuality(1f);
            writer.write(null, image, param);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } finally {
            writer.dispose();
        }
        return out.toByteArray();
    }

    private static ImageWriter jdkJpegWriter() {
        Iterator<ImageWriter> writers = ImageIO.getImageWritersByFormatName("jpeg");
        while (writers.hasNext()) {
            ImageWriter writer = writers.next();
            if (writer.getClass().getName().startsWith("com.sun.")) {
                return writer;
            }
        }
        throw new IllegalStateException("no JDK JPEG writer");
    }

    /** The JPEG with a marker segment inserted right after SOI. */
    public static byte[] withSegment(byte[] jpeg, int marker, byte[] payload) {
        ByteBuffer out = ByteBuffer.allocate(jpeg.length + 4 + payload.length);
        out.put(jpeg, 0, 2);
        out.put((byte) 0xFF).put((byte) marker).putShort((short) (payload.length + 2)).put(payload);
        out.put(jpeg, 2, jpeg.length - 2);
        return out.array();
    }

    /** An APP1 Exif payload whose IFD0 holds just the Orientation tag. */
    public static byte[] exifOrientation(int orientation, boolean littleEndian) {
        ByteBuffer tiff = ByteBuffer.allocate(6 + 8 + 2 + 12 + 4)
                .order(littleEndian ? ByteOrder.LITTLE_ENDIAN : ByteOrder.BIG_ENDIAN);
        tiff.put("Exif\0\0".getBytes(StandardCharsets.US_ASCII));
        tiff.put(littleEndian ? (byte) 'I' : (byte) 'M').put(littleEndian ? (byte) 'I' : (byte) 'M');
        tiff.putShort((short) 42).putInt(8);                   // TIFF header, IFD0 at offset 8
        tiff.putShort((short) 1);                              // one entry
        tiff.putShort((short) 0x0112).putShort((short) 3).putInt(1).putShort((short) orientation).putShort((short) 0);
        tiff.putInt(0);                                        // no next IFD
        return tiff.array();
    }

    /** An APP14 Adobe payload: version 100, no flags, the given colour transform (0 RGB/CMYK, 1 YCbCr, 2 YCCK). */
    public static byte[] adobe(int transform) {
        return ByteBuffer.allocate(12).put("Adobe".getBytes(StandardCharsets.US_ASCII))
                .putShort((short) 100).putShort((short) 0).putShort((short) 0).put((byte) transform).array();
    }

    /** A PNG of raw scanlines (filter byte included per row) with the given IHDR fields. */
    public static byte[] png(int width, int height, int bitDepth, int colorType, byte[] scanlines) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(new byte[] {(byte) 0x89, 'P', 'N', 'G', 0x0D, 0x0A, 0x1A, 0x0A});
        ByteBuffer ihdr = ByteBuffer.allocate(13).putInt(width).putInt(height)
                .put((byte) bitDepth).put((byte) colorType).put((byte) 0).put((byte) 0).put((byte) 0);
        chunk(out, "IHDR", ihdr.array());
        chunk(out, "IDAT", deflate(scanlines));
        chunk(out, "IEND", new byte[0]);
        return out.toByteArray();
    }

    private static void chunk(ByteArrayOutputStream out, String type, byte[] data) {
        byte[] typeBytes = type.getBytes(StandardCharsets.US_ASCII);
        CRC32 crc = new CRC32();
        crc.update(typeBytes);
        crc.update(data);
        out.writeBytes(ByteBuffer.allocate(4).putInt(data.length).array());
        out.writeBytes(typeBytes);
        out.writeBytes(data);
        out.writeBytes(ByteBuffer.allocate(4).putInt((int) crc.getValue()).array());
    }

    private static byte[] deflate(byte[] data) {
        Deflater deflater = new Deflater();
        deflater.setInput(data);
        deflater.finish();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        byte[] buffer = new byte[4096];
        while (!deflater.finished()) {
            out.write(buffer, 0, deflater.deflate(buffer));
        }
        deflater.end();
        return out.toByteArray();
    }

    /**
     * A lossless WebP (VP8L, no transforms) whose pixels alternate between two greens in a checkerboard: every
     * prefix code is a "simple" code, green's with two 1-bit symbols, the others with one zero-bit symbol.
     */
    public static byte[] webpCheckerboard(int width, int height, int red, int greenLow, int greenHigh, int blue) {
        if (greenLow >= greenHigh) {
            throw new IllegalArgumentException("the lower green gets code 0: pass it first");
        }
        BitWriter bits = new BitWriter();
        bits.write(0x2F, 8);                       // VP8L signature
        bits.write(width - 1, 14);
        bits.write(height - 1, 14);
        bits.write(0, 1);                          // alpha not used
        bits.write(0, 3);                          // version 0
        bits.write(0, 1);                          // no transform
        bits.write(0, 1);                          // no colour cache
        bits.write(0, 1);                          // no meta prefix codes
        bits.write(1, 1).write(1, 1).write(1, 1).write(greenLow, 8).write(greenHigh, 8); // green: 2 symbols
        bits.write(1, 1).write(0, 1).write(1, 1).write(red, 8);                          // red: 1 symbol
        bits.write(1, 1).write(0, 1).write(1, 1).write(blue, 8);                         // blue
        bits.write(1, 1).write(0, 1).write(1, 1).write(255, 8);                          // alpha
        bits.write(1, 1).write(0, 1).write(0, 1).write(0, 1);                            // distance: symbol 0
        for (int y = 0; y < height; y++) {
            for (int x = 0; x < width; x++) {
                bits.write((x + y) & 1, 1);        // green code; red, blue and alpha take no bits
            }
        }
        byte[] vp8l = bits.toByteArray();
        int chunkSize = vp8l.length + (vp8l.length & 1);
        ByteBuffer riff = ByteBuffer.allocate(12 + 8 + chunkSize).order(ByteOrder.LITTLE_ENDIAN);
        riff.put("RIFF".getBytes(StandardCharsets.US_ASCII)).putInt(4 + 8 + chunkSize)
                .put("WEBP".getBytes(StandardCharsets.US_ASCII))
                .put("VP8L".getBytes(StandardCharsets.US_ASCII)).putInt(vp8l.length).put(vp8l);
        return riff.array();
    }

    /** Bits packed least-significant first, as VP8L reads them. */
    private static final class BitWriter {
        private final ByteArrayOutputStream out = new ByteArrayOutputStream();
        private long buffer;
        private int count;

        BitWriter write(int value, int bits) {
            buffer |= ((long) value & ((1L << bits) - 1)) << count;
            count += bits;
            while (count >= 8) {
                out.write((int) (buffer & 0xFF));
                buffer >>>= 8;
                count -= 8;
            }
            return this;
        }

        byte[] toByteArray() {
            if (count > 0) {
                out.write((int) (buffer & 0xFF));
                buffer = 0;
                count = 0;
            }
            return out.toByteArray();
        }
    }

    /** A picture with some structure; different seeds give different content. */
    public static BufferedImage picture(int width, int height, int seed) {
        BufferedImage image = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
        java.awt.Graphics2D g = image.createGraphics();
        g.setColor(new java.awt.Color(java.awt.Color.HSBtoRGB((seed % 97) / 97f, 0.6f, 0.9f)));
        g.fillRect(0, 0, width, height);
        g.setColor(new java.awt.Color(java.awt.Color.HSBtoRGB(((seed * 31) % 89) / 89f, 0.9f, 0.5f)));
        g.fillOval(width / 4, height / 4, width / 2, height / 2);
        g.dispose();
        return image;
    }

    public static byte[] png(int width, int height, int seed) {
        return encode(picture(width, height, seed), "png");
    }

    public static byte[] jpeg(int width, int height, int seed) {
        return encode(picture(width, height, seed), "jpg");
    }

    /** A 16-bit grayscale PNG with a horizontal gradient. */
    public static byte[] png16(int width, int height) {
        BufferedImage image = new BufferedImage(width, height, BufferedImage.TYPE_USHORT_GRAY);
        for (int y = 0; y < height; y++) {
            for (int x = 0; x < width; x++) {
                image.getRaster().setSample(x, y, 0, (x * 65535) / Math.max(1, width - 1));
            }
        }
        return encode(image, "png");
    }

    /** An Adobe CMYK JPEG (inverted inks, as Photoshop writes them) of two colour halves. */
    public static byte[] cmykJpeg(int width, int height) {
        java.awt.image.WritableRaster stored =
                Raster.createInterleavedRaster(java.awt.image.DataBuffer.TYPE_BYTE, width, height, 4, null);
        for (int y = 0; y < height; y++) {
            for (int x = 0; x < width; x++) {
                stored.setPixel(x, y, x < width / 2 ? new int[] {255, 80, 0, 255} : new int[] {0, 255, 255, 255});
            }
        }
        return withSegment(jpeg(stored), 0xEE, adobe(0));
    }

    /** A valid PNG whose header claims width x height: a decompression bomb if decoded. */
    public static byte[] pngClaiming(int width, int height) {
        byte[] bomb = png(8, 8, 1);
        // IHDR data starts at byte 16 (8 signature + 4 length + 4 type); its CRC follows the 13 data bytes.
        ByteBuffer.wrap(bomb, 16, 8).putInt(width).putInt(height);
        CRC32 crc = new CRC32();
        crc.update(bomb, 12, 17);
        ByteBuffer.wrap(bomb, 29, 4).putInt((int) crc.getValue());
        return bomb;
    }

    /** A GIF header and trailer with no image between them. */
    public static byte[] gifWithoutFrames() {
        return new byte[] {'G', 'I', 'F', '8', '9', 'a', 10, 0, 10, 0, 0, 0, 0, 0x3B};
    }

    public static byte[] truncated(byte[] image, double keep) {
        return java.util.Arrays.copyOf(image, (int) (image.length * keep));
    }

    public static byte[] text(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }
}
