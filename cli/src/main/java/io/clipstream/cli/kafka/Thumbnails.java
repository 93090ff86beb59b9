package io.clipstream.cli.kafka;

import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Base64;
import java.util.Optional;
import javax.imageio.ImageIO;

/**
 * A small {@code data:image/png;base64,...} thumbnail of an image file, for the {@code thumbnail} attribute the
 * console's live view shows beside a classification. Bounded to fit an attribute value (4,096 bytes,
 * {@code AttributeLimits}): none when the image cannot be read or its thumbnail would not fit.
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
            var g = small.createGraphics();
            g.setRenderingHint(RenderingHints.KEY_INTERPOLATION, RenderingHints.VALUE_INTERPOLATION_BILINEAR);
            g.drawImage(image, 0, 0, w, h, null);
            g.dispose();
            ByteArrayOutputStream png = new ByteArrayOutputStream();
            ImageIO.write(small, "png", png);
            String url = "data:image/png;base64," + Base64.getEncoder().encodeToString(png.toByteArray());
            return url.length() <= MAX_CHARS ? Optional.of(url) : Optional.empty();
        } catch (IOException | RuntimeException e) {
            return Optional.empty();
        }
    }
}
