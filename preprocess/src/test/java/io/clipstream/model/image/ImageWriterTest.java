package io.clipstream.model.image;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import javax.imageio.ImageIO;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;

class ImageWriterTest {

    @Test
    void writesALosslessRgbPng(@TempDir Path dir) throws IOException, InvalidImageException {
        RgbImage image = PillowResizeTest.noise(37, 11, 3);
        Path file = dir.resolve("out.png");
        ImageWriter.writePng(image, file);

        BufferedImage read = ImageIO.read(file.toFile());
        assertEquals(3, read.getRaster().getNumBands(), "RGB, no alpha");
        assertEquals(image.rgbAt(36, 10), read.getRGB(36, 10) & 0xFFFFFF);
        ImageDecoder decoder = new ImageDecoder(ImageLimits.DEFAULT.withMinSide(1));
        assertEquals(image, decoder.decode(Files.readAllBytes(file)));
        assertEquals(image, decoder.decode(ImageWriter.toPng(image)));
    }
}
