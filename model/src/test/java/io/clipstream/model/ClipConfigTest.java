package io.clipstream.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.clipstream.model.nn.Activation;

import org.junit.jupiter.api.Test;

class ClipConfigTest {

    @Test
    void vitB32IsOpenAisPublishedConfig() {
        ClipConfig c = ClipConfig.preset("vit-b-32");
        assertEquals(ClipConfig.of(224, 32, 768, 12, 12, 77, 49408, 512, 12, 8, 512, Activation.QUICK_GELU), c);
        assertEquals(4.0, c.mlpRatio());
        assertEquals(1e-5, c.layerNormEps());
        assertEquals(50, c.visionTokens());
        assertEquals(c, ClipConfig.preset("ViT-B-32"), "OpenCLIP's spelling works too");
    }

    @Test
    void otherOpenAiPresets() {
        assertEquals(ClipConfig.of(224, 16, 768, 12, 12, 77, 49408, 512, 12, 8, 512, Activation.QUICK_GELU),
                ClipConfig.preset("vit-b-16"));
        assertEquals(ClipConfig.of(224, 14, 1024, 24, 16, 77, 49408, 768, 12, 12, 768, Activation.QUICK_GELU),
                ClipConfig.preset("vit-l-14"));
    }

    @Test
    void fixturePresetIsCaseJsonsConfig() {
        assertEquals(ClipFixture.config(), ClipConfig.preset("clip-tiny-fixture"));
    }

    @Test
    void jsonRoundTripUsesSnakeCase() {
        ClipConfig small = ClipConfig.preset("small");
        String json = small.toJson();
        assertTrue(json.contains("\"vision_width\" : 256"), json);
        assertTrue(json.contains("\"activation\" : \"quick_gelu\""), json);
        assertEquals(small, ClipConfig.fromJson(json));
    }

    @Test
    void jsonDefaultsMlpRatioAndEpsAndRejectsUnknownKeys() {
        String json = """
                {"image_size": 64, "patch_size": 16, "vision_width": 128, "vision_layers": 2,
                 "vision_heads": 2, "context_length": 77, "vocab_size": 1000, "text_width": 64,
                 "text_layers": 2, "text_heads": 1, "embed_dim": 32, "activation": "gelu"}""";
        ClipConfig c = ClipConfig.fromJson(json);
        assertEquals(4.0, c.mlpRatio());
        assertEquals(1e-5, c.layerNormEps());
        assertEquals(Activation.GELU, c.activation());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> ClipConfig.fromJson(json.replace("\"embed_dim\"", "\"embed_dims\": 3, \"embed_dim\"")));
        assertTrue(e.getMessage().contains("embed_dims"), e.getMessage());
    }

    @Test
    void withVocabSizeKeepsEverythingElse() {
        ClipConfig tiny = ClipConfig.preset("tiny");
        ClipConfig own = tiny.withVocabSize(5000);
        assertEquals(5000, own.vocabSize());
        assertEquals(tiny, own.withVocabSize(tiny.vocabSize()));
    }

    @Test
    void rejectsInconsistentSizes() {
        IllegalArgumentException heads = assertThrows(IllegalArgumentException.class,
                () -> ClipConfig.of(64, 16, 100, 2, 3, 77, 100, 64, 2, 1, 32, Activation.GELU));
        assertTrue(heads.getMessage().contains("not divisible by 3 heads"), heads.getMessage());
        IllegalArgumentException patch = assertThrows(IllegalArgumentException.class,
                () -> ClipConfig.of(60, 16, 128, 2, 2, 77, 100, 64, 2, 1, 32, Activation.GELU));
        assertTrue(patch.getMessage().contains("patch_size"), patch.getMessage());
        IllegalArgumentException unknown = assertThrows(IllegalArgumentException.class,
                () -> ClipConfig.preset("vit-h-14"));
        assertTrue(unknown.getMessage().contains("vit-b-32"), unknown.getMessage());
    }
}
