package io.clipstream.embedder;

import io.clipstream.model.engine.Precision;
import io.clipstream.model.serve.ModelSourceSettings;
import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;

/**
 * Which checkpoint the embedder serves ({@code clipstream.model.*}). The checkpoint is named by {@link #checkpoint()}
 * or, when {@link #checkpointFile()} is set and names one, by that file, which is watched: rewriting it switches the
 * model without a restart.
 */
@ConfigMapping(prefix = "clipstream.model")
public interface ModelConfig extends ModelSourceSettings {

    /**
     * What the towers compute in: {@code fp32} (default), {@code bf16} (bfloat16 on the CPU's AMX / AVX-512 BF16 or a
     * GPU; weights kept in float32, cast copies made at load) or {@code fp16} (GPU only). Embeddings are float32.
     */
    @WithDefault("fp32")
    String precision();

    /** {@link #precision()} parsed, or a clear error naming the choices. */
    default Precision effectivePrecision() {
        return Precision.parseSetting("clipstream.model.precision", precision());
    }

    /** How often the checkpoint file is read. */
    @WithDefault("5s")
    Duration watchInterval();

    /** How long a checkpoint that failed to load rests before it is tried again ({@code POST /model/reload} tries at once). */
    @WithDefault("1m")
    Duration retryInterval();
}
