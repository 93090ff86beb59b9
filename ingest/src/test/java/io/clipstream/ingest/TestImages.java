package io.clipstream.ingest;

import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.zip.CRC32;
import javax.imageio.ImageIO;

/** Encoded images for tests, good and bad, made in code (no binary fixtures). */
public final class TestImages {

    private TestImages() {
    }

    /** A picture with some structure, so different seeds give different content hashes. */
    public static BufferedImage picture(int width, int height, int seed) {
        BufferedImage image = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = image.createGraphics();
        g.setColor(new Color(Color.HSBtoRGB((seed % 97) / 97f, 0.6f, 0.9f)));
        g.fillRect(0, 0, width, height);
        g.setColor(new Color(Color.HSBtoRGB(((seed * 31) % 89) / 89f, 0.9f, 0.5f)));
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

    public static byte[] encode(BufferedImage image, String format) {
        try {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            if (!ImageIO.write(image, format, out)) {
                throw new IllegalStateException("no ImageIO writer for " + format);
            }
            return out.toByteArray();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A 16-bit grayscale PNG. */
    public static byte[] png16(int width, int height) {
        BufferedImage image = new BufferedImage(width, height, BufferedImage.TYPE_USHORT_GRAY);
        for (int y = 0; y < height; y++) {
            for (int x = 0; x < width; x++) {
                image.getRaster().setSample(x, y, 0, (x * 65535) / Math.max(1, width - 1));
            }
        }
        return encode(image, "png");
    }

    /** A valid PNG whose header claims width × height (a decompression bomb if decoded). */
    public static byte[] pngClaiming(int width, int height) {
        byte[] real = png(8, 8, 1);
        byte[] bomb = real.clone();
        // IHDR data starts at byte 16 (8 signature + 4 length + 4 type); its CRC follows the 13 data bytes.
        ByteBuffer.wrap(bomb, 16, 8).putInt(width).putInt(height);
        CRC32 crc = new CRC32();
        crc.update(bomb, 12, 17);
        ByteBuffer.wrap(bomb, 29, 4).putInt((int) crc.getValue());
        return bomb;
    }

    /** A GIF with a header and no image in it. */
    public static byte[] gifWithoutFrames() {
        return new byte[] {'G', 'I', 'F', '8', '9', 'a', 10, 0, 10, 0, 0, 0, 0, 0x3B};
    }

    public static byte[] truncated(byte[] image, double keep) {
        return Arrays.copyOf(image, (int) (image.length * keep));
    }

    public static byte[] text(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }
}
