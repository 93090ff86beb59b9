package io.clipstream.model.image;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.clipstream.model.Fixtures;

import javax.imageio.ImageIO;
import java.awt.image.BufferedImage;
import java.awt.image.Raster;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** One case of the Pillow reference fixtures ({@code preprocess/index.json}). */
record PreprocessCase(String input, String decodedRgb, String expected224, String mode, int width, int height) {

    static List<PreprocessCase> all() {
        try {
            JsonNode index = new ObjectMapper().readTree(Fixtures.resolve("preprocess/index.json").toFile());
            List<PreprocessCase> cases = new ArrayList<>();
            for (JsonNode c : index) {
                cases.add(new PreprocessCase(c.get("input").asText(), c.get("decoded_rgb").asText(),
                        c.get("expected_224").asText(), c.get("mode").asText(),
                        c.get("size").get(0).asInt(), c.get("size").get(1).asInt()));
            }
            return cases;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    boolean isJpeg() {
        return input.endsWith(".jpg") || input.endsWith(".jpeg");
    }

    byte[] inputBytes() {
        return bytes(input);
    }

    /** Pillow's decode of the input (an 8-bit RGB PNG), read with plain ImageIO, independent of ImageDecoder. */
    RgbImage pillowDecoded() {
        return readReference(decodedRgb);
    }

    /** Pillow's 224×224 result. */
    RgbImage pillowExpected() {
        return readReference(expected224);
    }

    @Override
    public String toString() {
        return input + " (" + mode + " " + width + "x" + height + ")";
    }

    static byte[] bytes(String name) {
        try {
            return Files.readAllBytes(path(name));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static Path path(String name) {
        return Fixtures.resolve("preprocess/" + name);
    }

    private static RgbImage readReference(String name) {
        try {
            BufferedImage image = ImageIO.read(path(name).toFile());
            Raster raster = image.getRaster();
            if (raster.getNumBands() != 3 || raster.getSampleModel().getSampleSize(0) != 8) {
                throw new IllegalStateException(name + " is not an 8-bit RGB PNG");
            }
            int w = image.getWidth();
            int h = image.getHeight();
            int[] samples = raster.getPixels(0, 0, w, h, (int[]) null);
            byte[] pixels = new byte[samples.length];
            for (int i = 0; i < samples.length; i++) {
                pixels[i] = (byte) samples[i];
            }
            return new RgbImage(w, h, pixels);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
