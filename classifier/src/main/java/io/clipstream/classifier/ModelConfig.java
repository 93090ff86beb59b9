package io.clipstream.classifier;

import io.clipstream.model.serve.ModelPrecisionSettings;
import io.clipstream.model.serve.ModelSourceSettings;
import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;

/**
 * {@code clipstream.model.*} as the classifier reads it: where model versions come from ({@link ModelSourceSettings}:
 * the rolled-out version's text encoder is loaded ahead, before the first embedding needs it), and what its text tower
 * computes the label embeddings in ({@link ModelPrecisionSettings}).
 */
@ConfigMapping(prefix = "clipstream.model")
public interface ModelConfig extends ModelSourceSettings, ModelPrecisionSettings {

    /** How often the checkpoint file is read. */
    @WithDefault("2s")
    Duration watchInterval();
}
