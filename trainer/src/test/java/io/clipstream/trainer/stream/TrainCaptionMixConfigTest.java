package io.clipstream.trainer.stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.clipstream.trainer.ModelConfig;
import io.clipstream.trainer.TrainerConfig;
import io.clipstream.trainer.data.CaptionMix;
import io.clipstream.trainer.runtime.TrainerRunner;
import io.smallrye.config.PropertiesConfigSource;
import io.smallrye.config.SmallRyeConfig;
import io.smallrye.config.SmallRyeConfigBuilder;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** {@code clipstream.trainer.caption-mix.*} as the service reads it (SmallRye's mapping, without Quarkus). */
class TrainCaptionMixConfigTest {

    private static final String P = "clipstream.trainer.caption-mix.";

    @Test
    void theDefaultsAreOffWithFiveTemplatesAndEvenShares() {
        CaptionMix.Settings mix = TrainerRunner.settings(config(Map.of()), model()).captionMix();
        assertFalse(mix.enabled());
        assertEquals("label", mix.nameAttribute());
        assertEquals("keywords", mix.keywordsAttribute());
        assertEquals(CaptionMix.Settings.DEFAULT_TEMPLATES, mix.templates(), "the escaped comma stays in its template");
        assertEquals(1.0 / 3, mix.nameShare(), 1e-12);
        assertEquals(1.0 / 3, mix.keywordsShare(), 1e-12);
        assertEquals(1.0 / 3, mix.templateShare(), 1e-12);
    }

    @Test
    void everyKeyIsRead() {
        CaptionMix.Settings mix = TrainerRunner.settings(config(Map.of(P + "enabled", "true",
                P + "name-attribute", "name", P + "keywords-attribute", "tags",
                P + "templates[0]", "look, {}!", P + "templates[1]", "{} again.",
                P + "name-share", "0.5", P + "keywords-share", "0", P + "template-share", "2")), model()).captionMix();
        assertEquals(new CaptionMix.Settings(true, "name", "tags", List.of("look, {}!", "{} again."), 0.5, 0, 2), mix);
    }

    @Test
    void aBadMixIsAClearStartUpError() {
        assertError("clipstream.trainer.caption-mix.templates[1] \"a photo\" has no {} for the name",
                Map.of(P + "enabled", "true", P + "templates", "this is {}.,a photo"));
        assertError("clipstream.trainer.caption-mix.keywords-share must be a finite number >= 0, was -0.5",
                Map.of(P + "keywords-share", "-0.5"));
        assertError("must not all be 0",
                Map.of(P + "name-share", "0", P + "keywords-share", "0", P + "template-share", "0"));
    }

    private static void assertError(String expected, Map<String, String> properties) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> TrainerRunner.settings(config(properties), model()));
        assertTrue(e.getMessage().contains(expected), e.getMessage());
    }

    private static TrainerConfig config(Map<String, String> properties) {
        return build(properties).getConfigMapping(TrainerConfig.class);
    }

    private static ModelConfig model() {
        return build(Map.of()).getConfigMapping(ModelConfig.class);
    }

    private static SmallRyeConfig build(Map<String, String> properties) {
        return new SmallRyeConfigBuilder().withMapping(TrainerConfig.class).withMapping(ModelConfig.class)
                .withSources(new PropertiesConfigSource(properties, "test", 500)).build();
    }
}
