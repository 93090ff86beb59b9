package io.clipstream.model.checkpoint;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.clipstream.model.ClipConfig;
import io.clipstream.model.ClipFixture;
import io.clipstream.model.ClipModel;
import io.clipstream.model.ParameterMismatchException;
import io.clipstream.model.engine.Engines;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

class ClipWeightImportTest {

    private static NDManager manager;

    @TempDir
    Path dir;

    @BeforeAll
    static void open() {
        manager = Engines.newManager();
    }

    @AfterAll
    static void close() {
        manager.close();
    }

    @Test
    void detectsTheNaming() {
        assertEquals(WeightImport.Naming.OPENAI, WeightImport.detectNaming(List.of("visual.proj", "logit_scale")));
        assertEquals(WeightImport.Naming.HUGGING_FACE,
                WeightImport.detectNaming(List.of("vision_model.embeddings.class_embedding", "logit_scale")));
        IllegalArgumentException neither = assertThrows(IllegalArgumentException.class,
                () -> WeightImport.detectNaming(List.of("encoder.weight")));
        assertTrue(neither.getMessage().contains("Unrecognised"), neither.getMessage());
    }

    @Test
    void bothNamingsGiveTheSameParameters() throws IOException {
        try (NDManager scope = manager.newSubManager()) {
            ClipModel openAi = WeightImport.load(ClipFixture.openAiWeights(), scope);
            ClipModel huggingFace = WeightImport.load(ClipFixture.huggingFaceWeights(), scope);
            openAi.namedParameters().forEach((name, p) -> assertEquals(
                    p.getArray(), huggingFace.namedParameters().get(name).getArray(), name));
        }
    }

    @Test
    void infersTheConfigFromShapesLikeBuildModel() throws IOException {
        assertEquals(ClipFixture.config(), WeightImport.inferConfig(ClipFixture.openAiWeights()));
        assertEquals(ClipFixture.config(), WeightImport.inferConfig(ClipFixture.huggingFaceWeights()));
    }

    @Test
    void namesAMissingTensor() throws IOException {
        Path file = rewrite(ClipFixture.openAiWeights(), t -> t.remove("visual.transformer.resblocks.1.mlp.c_fc.bias"));
        ParameterMismatchException e = assertThrows(ParameterMismatchException.class,
                () -> WeightImport.load(file, manager));
        assertEquals(List.of("visual.transformer.resblocks.1.mlp.c_fc.bias"), e.missing());
        assertTrue(e.getMessage().contains("missing (1): visual.transformer.resblocks.1.mlp.c_fc.bias"), e.getMessage());
    }

    @Test
    void namesMissingHuggingFaceProjectionsInTheFilesOwnNames() throws IOException {
        Path file = rewrite(ClipFixture.huggingFaceWeights(), t -> {
            t.remove("text_model.encoder.layers.0.self_attn.k_proj.weight");
            t.remove("vision_model.post_layernorm.bias");
        });
        ParameterMismatchException e = assertThrows(ParameterMismatchException.class,
                () -> WeightImport.load(file, manager));
        assertEquals(List.of("vision_model.post_layernorm.bias", "text_model.encoder.layers.0.self_attn.k_proj.weight"),
                e.missing());
    }

    @Test
    void namesWrongShapesAndUnexpectedTensors() throws IOException {
        Path file = rewrite(ClipFixture.openAiWeights(), t -> {
            t.put("visual.proj", t.get("visual.proj").get(":, :16"));
            t.put("visual.extra_token", t.get("visual.class_embedding").duplicate());
        });
        ParameterMismatchException e = assertThrows(ParameterMismatchException.class,
                () -> WeightImport.load(file, ClipFixture.config(), manager));
        assertEquals(List.of("visual.extra_token"), e.unexpected());
        assertEquals(List.of("visual.proj gives (128, 16), model needs (128, 32)"), e.wrongShapes());
    }

    @Test
    void namesAWrongHuggingFaceShapeWithItsSources() throws IOException {
        Path file = rewrite(ClipFixture.huggingFaceWeights(), t -> t.put("text_projection.weight",
                t.get("text_projection.weight").get(":16, :")));
        ParameterMismatchException e = assertThrows(ParameterMismatchException.class,
                () -> WeightImport.load(file, ClipFixture.config(), manager));
        assertEquals(List.of("text_projection.weight (16, 64) (as text_projection) gives (64, 16), model needs (64, 32)"),
                e.wrongShapes());
    }

    @Test
    void ignoresBuffersSuchAsPositionIds() throws IOException {
        Path file = rewrite(ClipFixture.huggingFaceWeights(), t -> {
            t.put("text_model.embeddings.position_ids", manager.arange(0L, 77L, 1L, ai.djl.ndarray.types.DataType.INT64)
                    .reshape(new Shape(1, 77)));
            t.put("vision_model.embeddings.position_ids", manager.arange(0L, 17L, 1L, ai.djl.ndarray.types.DataType.INT64)
                    .reshape(new Shape(1, 17)));
        });
        try (NDManager scope = manager.newSubManager()) {
            assertEquals(ClipFixture.config(), WeightImport.load(file, scope).config());
        }
    }

    @Test
    void anExplicitConfigOverridesInference() throws IOException {
        ClipConfig gelu = ClipFixture.config().withActivation(io.clipstream.model.nn.Activation.GELU);
        try (NDManager scope = manager.newSubManager()) {
            assertEquals(gelu, WeightImport.load(ClipFixture.openAiWeights(), gelu, scope).config());
        }
        ClipConfig wider = ClipConfig.preset("tiny");
        ParameterMismatchException e = assertThrows(ParameterMismatchException.class,
                () -> WeightImport.load(ClipFixture.openAiWeights(), wider, manager));
        assertTrue(e.getMessage().contains("visual.conv1.weight gives (128, 3, 16, 16), model needs (128, 3, 8, 8)"),
                e.getMessage());
    }

    private Path rewrite(Path source, Consumer<Map<String, NDArray>> edit) throws IOException {
        Path file = dir.resolve("edited-" + source.getFileName());
        try (NDManager scope = manager.newSubManager()) {
            Map<String, NDArray> tensors = Safetensors.read(source, scope);
            edit.accept(tensors);
            Safetensors.write(file, tensors, Map.of());
        }
        return file;
    }
}
