package io.clipstream.embedder;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.clipstream.model.image.ImageLimits;
import io.smallrye.config.PropertiesConfigSource;
import io.smallrye.config.SmallRyeConfig;
import io.smallrye.config.SmallRyeConfigBuilder;
import java.io.IOException;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The shared names of the image limits, read through the embedder's application.properties as the service does. */
class EmbedderImageLimitsTest {

    private static ImageLimits limits(Map<String, String> set) throws IOException {
        SmallRyeConfig config = new SmallRyeConfigBuilder().addDefaultInterceptors().withValidateUnknown(false)
                .withSources(new PropertiesConfigSource(EmbedderImageLimitsTest.class.getResource("/application.properties"), 250))
                .withSources(new PropertiesConfigSource(set, "set", 400))
                .withMapping(EmbedderImageLimits.class).build();
        return config.getConfigMapping(EmbedderImageLimits.class).limits();
    }

    @Test
    void unsetLimitsAreTheModelsDefaults() throws IOException {
        assertEquals(ImageLimits.DEFAULT, limits(Map.of()));
    }

    @Test
    void theSharedNamesSetTheLimits() throws IOException {
        assertEquals(new ImageLimits(1000, 2000, 3), limits(Map.of("clipstream.image.max-bytes", "1000",
                "clipstream.image.max-pixels", "2000", "clipstream.image.min-side", "3")));
    }

    @Test
    void theEmbeddersEarlierNamesStillWorkAndTheSharedOnesWin() throws IOException {
        assertEquals(ImageLimits.DEFAULT.withMaxPixels(5000).withMinSide(8), limits(Map.of(
                "clipstream.embedder.image.max-pixels", "5000", "clipstream.embedder.image.min-side", "4",
                "clipstream.image.min-side", "8")));
    }
}
