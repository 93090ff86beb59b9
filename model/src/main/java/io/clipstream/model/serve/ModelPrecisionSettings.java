package io.clipstream.model.serve;

import io.clipstream.model.engine.Precision;
import io.smallrye.config.WithDefault;

/**
 * {@code clipstream.model.precision}, read alike by the services that compute with a tower (the embedder's towers,
 * the classifier's text tower); their {@code @ConfigMapping(prefix = "clipstream.model")} extends this beside
 * {@link ModelSourceSettings}.
 */
public interface ModelPrecisionSettings {

    /**
     * What the towers compute in: {@code fp32} (default), {@code bf16} (bfloat16 on the CPU's AMX / AVX-512 BF16 or a
     * GPU; weights kept in float32, cast copies made at load) or {@code fp16} (GPU only). Embeddings, label embeddings
     * included, are float32.
     */
    @WithDefault("fp32")
    String precision();

    /** {@link #precision()} parsed, or a clear error naming the choices. */
    default Precision effectivePrecision() {
        return Precision.parseSetting("clipstream.model.precision", precision());
    }
}
