package io.clipstream.embedder;

import io.clipstream.model.serve.ModelPrecisionSettings;
import io.clipstream.model.serve.ModelSourceSettings;
import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;

/**
 * Which checkpoint the embedder serves ({@code clipstream.model.*}). The checkpoint is named by {@link #checkpoint()}
 * or, when {@link #checkpointFile()} is set and names one, by that file, which is watched: rewriting it switches the
 * model without a restart. Its towers compute in {@link ModelPrecisionSettings}' precision.
 */
@ConfigMapping(prefix = "clipstream.model")
public interface ModelConfig extends ModelSourceSettings, ModelPrecisionSettings {

    /** How often the checkpoint file is read. */
    @WithDefault("5s")
    Duration watchInterval();

    /** How long a checkpoint that failed to load rests before it is tried again ({@code POST /model/reload} tries at once). */
    @WithDefault("1m")
    Duration retryInterval();
}
