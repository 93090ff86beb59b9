package io.clipstream.embedder;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.clipstream.model.engine.Precision;
import io.quarkus.runtime.configuration.DurationConverter;
import io.smallrye.config.PropertiesConfigSource;
import io.smallrye.config.SmallRyeConfig;
import io.smallrye.config.SmallRyeConfigBuilder;
import java.io.IOException;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The precision and the decode threads, read through the embedder's application.properties as the service does. */
class EmbedderConfigTest {

    private static SmallRyeConfig config(Map<String, String> set) throws IOException {
        return new SmallRyeConfigBuilder().addDefaultInterceptors().withValidateUnknown(false).addSystemSources()
                .withConverter(Duration.class, 200, new DurationConverter())
                .withSources(new PropertiesConfigSource(EmbedderConfigTest.class.getResource("/application.properties"), 250))
                .withSources(new PropertiesConfigSource(set, "set", 400))
                .withMapping(ModelConfig.class).withMapping(EmbedderConfig.class).build();
    }

    private static ModelConfig model(Map<String, String> set) throws IOException {
        return config(set).getConfigMapping(ModelConfig.class);
    }

    private static EmbedderConfig embedder(Map<String, String> set) throws IOException {
        return config(set).getConfigMapping(EmbedderConfig.class);
    }

    @Test
    void precisionIsFp32UnlessSetAndABadOneSaysTheChoices() throws IOException {
        assertEquals(Precision.FP32, model(Map.of()).effectivePrecision());
        assertEquals(Precision.BF16, model(Map.of("clipstream.model.precision", "BF16")).effectivePrecision());
        String message = assertThrows(IllegalArgumentException.class,
                () -> model(Map.of("clipstream.model.precision", "fp8")).effectivePrecision()).getMessage();
        assertTrue(message.contains("clipstream.model.precision") && message.contains("fp32, bf16, fp16"), message);
    }

    @Test
    void decodeThreadsAreOnePerCoreUnlessSetAndAtLeastOne() throws IOException {
        assertEquals(Runtime.getRuntime().availableProcessors(), embedder(Map.of()).decode().effectiveThreads());
        assertEquals(5, embedder(Map.of("clipstream.embedder.decode.threads", "5")).decode().effectiveThreads());
        String message = assertThrows(IllegalArgumentException.class,
                () -> embedder(Map.of("clipstream.embedder.decode.threads", "0")).decode().effectiveThreads())
                .getMessage();
        assertTrue(message.contains("clipstream.embedder.decode.threads"), message);
    }
}
