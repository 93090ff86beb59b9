package io.clipstream.model.image;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.clipstream.model.Fixtures;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The whole transform, up to the values an engine's tensor is made of, against {@code clip-tiny/expected.safetensors}: the normalised
 * [10, 3, 64, 64] {@code pixel_values} its reference implementation fed to a CLIP, made from the same source images.
 */
class ClipTinyPixelValuesTest {

    @Test
    void pixelValuesReproduceTheReferencePixelValues() throws IOException, InvalidImageException {
        JsonNode caseJson = new ObjectMapper().readTree(Fixtures.resolve("clip-tiny/case.json").toFile());
        int size = caseJson.get("config").get("image_size").asInt();
        ClipImageTransform transform = ClipImageTransform.openAi(size)
                .withDecoder(new ImageDecoder(ImageLimits.DEFAULT.withMinSide(1)));
        List<RgbImage> images = new ArrayList<>();
        for (JsonNode name : caseJson.get("images")) {
            images.add(transform.preprocess(PreprocessCase.bytes(name.asText())));
        }
        float[] expected = safetensor(Fixtures.resolve("clip-tiny/expected.safetensors"), "pixel_values");

        float[] actual = transform.toPixelValues(images);
        assertEquals(images.size() * 3 * size * size, actual.length, "[N, 3, size, size]");
        assertEquals(expected.length, actual.length);
        double max = 0;
        for (int i = 0; i < actual.length; i++) {
            max = Math.max(max, Math.abs(actual[i] - expected[i]));
        }
        System.out.printf("clip-tiny pixel_values [%d,3,%d,%d]: max abs difference %.3g%n",
                images.size(), size, size, max);
        // One unit of 0..255 would be 1/255/0.27 ≈ 0.015; float32 rounding of the normalisation is ~1e-7.
        assertTrue(max < 1e-5, "max abs difference " + max);
    }

    /** One F32 tensor of a safetensors file (8-byte little-endian header length, JSON header, raw data). */
    private static float[] safetensor(Path file, String name) throws IOException {
        byte[] bytes = Files.readAllBytes(file);
        ByteBuffer buffer = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
        int headerLength = Math.toIntExact(buffer.getLong(0));
        JsonNode header = new ObjectMapper().readTree(new String(bytes, 8, headerLength, StandardCharsets.UTF_8));
        JsonNode entry = header.get(name);
        assertEquals("F32", entry.get("dtype").asText());
        int begin = 8 + headerLength + entry.get("data_offsets").get(0).asInt();
        int end = 8 + headerLength + entry.get("data_offsets").get(1).asInt();
        float[] values = new float[(end - begin) / 4];
        buffer.position(begin);
        buffer.slice().order(ByteOrder.LITTLE_ENDIAN).asFloatBuffer().get(values);
        return values;
    }
}
