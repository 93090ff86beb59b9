package io.clipstream.classifier;

import io.clipstream.model.engine.Precision;
import io.clipstream.model.serve.ModelSourceSettings;
import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;

/**
 * {@code clipstream.model.*} as the classifier reads it: where model versions come from ({@link ModelSourceSettings}:
 * the rolled-out version's text encoder is loaded ahead, before the first embedding needs it), and what its text tower
 * computes in.
 */
@ConfigMapping(prefix = "clipstream.model")
public interface ModelConfig extends ModelSourceSettings {

    /**
     * What the text tower computes the label embeddings in: {@code fp32} (default), {@code bf16} or {@code fp16} (GPU
     * only), as the embedder's {@code clipstream.model.precision}. Label embeddings are float32.
     */
    @WithDefault("fp32")
    String precision();

    /** {@link #precision()} parsed, or a clear error naming the choices. */
    default Precision effectivePrecision() {
        return Precision.parseSetting("clipstream.model.precision", precision());
    }

    /** How often the checkpoint file is read. */
    @WithDefault("2s")
    Duration watchInterval();
}
