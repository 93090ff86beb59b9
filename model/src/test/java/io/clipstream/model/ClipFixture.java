package io.clipstream.model;

import io.clipstream.model.checkpoint.Safetensors;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** The shared clip-tiny reference model: weights in two namings, inputs and expected outputs. */
public final class ClipFixture {

    private ClipFixture() {
    }

    public static Path openAiWeights() {
        return Fixtures.resolve("clip-tiny/openai.safetensors");
    }

    public static Path huggingFaceWeights() {
        return Fixtures.resolve("clip-tiny/hf.safetensors");
    }

    public static JsonNode caseJson() {
        try {
            return new ObjectMapper().readTree(Fixtures.resolve("clip-tiny/case.json").toFile());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static ClipConfig config() {
        return ClipConfig.fromJson(caseJson().get("config"));
    }

    public static List<String> texts() {
        List<String> texts = new ArrayList<>();
        caseJson().get("texts").forEach(t -> texts.add(t.asText()));
        return texts;
    }

    /** pixel_values, input_ids (as INT64), image_features, text_features, logits_per_image. */
    public static Map<String, NDArray> expected(NDManager manager) throws IOException {
        Map<String, NDArray> expected = Safetensors.read(Fixtures.resolve("clip-tiny/expected.safetensors"), manager);
        expected.put("input_ids", expected.get("input_ids").toType(DataType.INT64, false));
        return expected;
    }

    public static float maxAbsDiff(NDArray a, NDArray b) {
        try (NDManager scope = a.getManager().newSubManager()) {
            scope.tempAttachAll(a, b);
            return a.sub(b).abs().max().getFloat();
        }
    }
}
