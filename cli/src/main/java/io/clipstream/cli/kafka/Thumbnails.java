package io.clipstream.cli.kafka;

import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Base64;
import java.util.Optional;
import javax.imageio.ImageIO;

/**
 * A small {@code data:image/...;base64,...} thumbnail of an image file, for the {@code thumbnail} attribute the
 * console's live view shows beside a classification. Bounded to fit an attribute value (4,096 bytes,
 * {@code AttributeLimits}): a PNG (drawings keep their transparency), else a JPEG where the PNG would not fit (a
 * photo's 40 px PNG often does not), else none; none too when the image cannot be read.
 */
public final class Thumbnails {

    public static final String ATTRIBUTE = "thumbnail";
    static final int SIDE = 40;
    static final int MAX_CHARS = 4000;

    private Thumbnails() {
    }

    public static Optional<String> dataUrl(Path file) {
        try {
            BufferedImage image = ImageIO.read(file.toFile());
            if (image == null) {
                return Optional.empty();
            }
            double scale = Math.min(1.0, (double) SIDE / Math.max(image.getWidth(), image.getHeight()));
            int w = Math.max(1, (int) Math.round(image.getWidth() * scale));
            int h = Math.max(1, (int) Math.round(image.getHeight() * scale));
            BufferedImage small = new BufferedImage(w, h, BufferedImage.TYPE_INT_ARGB);
            draw(small, image, null);
            Optional<String> png = encode(small, "png");
            if (png.isPresent()) {
                return png;
            }
            // JPEG has no alpha: the picture on white, as the console's light rows show it.
            BufferedImage opaque = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
            draw(opaque, image, Color.WHITE);
            return encode(opaque, "jpeg");
        } catch (IOException | RuntimeException e) {
            return Optional.empty();
        }
    }

    private static void draw(BufferedImage into, BufferedImage image, Color background) {
        Graphics2D g = into.createGraphics();
        try {
            g.setRenderingHint(RenderingHints.KEY_INTERPOLATION, RenderingHints.VALUE_INTERPOLATION_BILINEAR);
            g.setRenderingHint(RenderingHints.KEY_RENDERING, RenderingHints.VALUE_RENDER_QUALITY);
            if (background != null) {
                g.setColor(background);
                g.fillRect(0, 0, into.getWidth(), into.getHeight());
            }
            g.drawImage(image, 0, 0, into.getWidth(), into.getHeight(), null);
        } finally {
            g.dispose();
        }
    }

    private static Optional<String> encode(BufferedImage image, String format) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        if (!ImageIO.write(image, format, bytes)) {
            return Optional.empty();
        }
        String url = "data:image/" + format + ";base64," + Base64.getEncoder().encodeToString(bytes.toByteArray());
        return url.length() <= MAX_CHARS ? Optional.of(url) : Optional.empty();
    }
}
