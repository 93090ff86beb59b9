package io.clipstream.cli.kafka;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.Optional;
import java.util.Random;
import java.util.stream.Stream;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The console's thumbnails: small enough for an attribute, a PNG where one fits, a JPEG where not, else none. */
class ThumbnailsTest {

    @TempDir
    Path temp;

    @Test
    void anEmojiDrawingBecomesASmallPngThatFitsAnAttribute() throws IOException {
        Path emoji = Path.of(System.getProperty("clipstream.fixtures", "../shared/fixtures"), "emoji", "twitter");
        Path drawing;
        try (Stream<Path> files = Files.list(emoji)) {
            drawing = files.filter(f -> f.toString().endsWith(".png")).sorted().findFirst().orElseThrow();
        }
        String url = Thumbnails.dataUrl(drawing).orElseThrow();
        assertTrue(url.startsWith("data:image/png;base64,") && url.length() <= Thumbnails.MAX_CHARS, url);
        BufferedImage back = decode(url);
        assertEquals(Thumbnails.SIDE, Math.max(back.getWidth(), back.getHeight()));
    }

    /** Noise is the worst case of a photo: its 40 px PNG is too large, the JPEG fits. */
    @Test
    void aPhotoTooLargeAsPngBecomesAJpeg() throws IOException {
        BufferedImage noise = new BufferedImage(640, 480, BufferedImage.TYPE_INT_RGB);
        Random random = new Random(7);
        for (int y = 0; y < noise.getHeight(); y++) {
            for (int x = 0; x < noise.getWidth(); x++) {
                noise.setRGB(x, y, random.nextInt(0x1000000));
            }
        }
        Path photo = temp.resolve("noise.png");
        ImageIO.write(noise, "png", photo.toFile());
        String url = Thumbnails.dataUrl(photo).orElseThrow();
        assertTrue(url.startsWith("data:image/jpeg;base64,") && url.length() <= Thumbnails.MAX_CHARS, url);
        BufferedImage back = decode(url);
        assertEquals(40, back.getWidth());
        assertEquals(30, back.getHeight());
    }

    @Test
    void whatIsNoImageHasNoThumbnail() throws IOException {
        Path text = Files.writeString(temp.resolve("caption.txt"), "not an image");
        assertEquals(Optional.empty(), Thumbnails.dataUrl(text));
        assertEquals(Optional.empty(), Thumbnails.dataUrl(temp.resolve("missing.png")));
    }

    private static BufferedImage decode(String url) throws IOException {
        byte[] bytes = Base64.getDecoder().decode(url.substring(url.indexOf(',') + 1));
        return ImageIO.read(new ByteArrayInputStream(bytes));
    }
}
