package io.clipstream.trainer.stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.clipstream.model.engine.Engines;
import io.clipstream.model.engine.Precision;
import io.clipstream.trainer.ModelConfig;
import io.clipstream.trainer.TrainerConfig;
import io.clipstream.trainer.runtime.TrainerRunner;
import io.smallrye.config.PropertiesConfigSource;
import io.smallrye.config.SmallRyeConfig;
import io.smallrye.config.SmallRyeConfigBuilder;
import java.util.Map;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/** {@code clipstream.trainer.precision} as the service reads it (SmallRye's mapping, without Quarkus). */
class TrainPrecisionConfigTest {

    private static final String KEY = "clipstream.trainer.precision";

    @Test
    void float32IsTheDefaultAndBf16IsRead() {
        assertEquals(Precision.FP32, precision(Map.of()));
        assertEquals(Precision.BF16, precision(Map.of(KEY, "bf16")));
        assertEquals(Precision.BF16, precision(Map.of(KEY, " BF16 ")));
    }

    @Test
    void anUnknownPrecisionIsAClearStartUpError() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> precision(Map.of(KEY, "int8")));
        assertEquals(KEY + ": Unknown precision 'int8': use one of fp32, bf16, fp16", e.getMessage());
    }

    @Test
    void fp16IsRefusedAtStartUpWithoutAGpu() {
        Assumptions.assumeFalse(Engines.defaultDevice().isGpu(), "this machine has a GPU");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> precision(Map.of(KEY, "fp16")));
        assertEquals(KEY + ": Precision fp16 runs only on a GPU, but the device is cpu(): use bf16 or fp32 on the CPU",
                e.getMessage());
    }

    private static Precision precision(Map<String, String> properties) {
        SmallRyeConfig config = new SmallRyeConfigBuilder().withMapping(TrainerConfig.class)
                .withMapping(ModelConfig.class).withSources(new PropertiesConfigSource(properties, "test", 500)).build();
        return TrainerRunner.settings(config.getConfigMapping(TrainerConfig.class),
                config.getConfigMapping(ModelConfig.class)).training().precision();
    }
}
