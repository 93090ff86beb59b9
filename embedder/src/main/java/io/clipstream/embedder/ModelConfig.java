package io.clipstream.embedder;

import io.clipstream.model.engine.Precision;
import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;

/**
 * Which checkpoint the embedder serves ({@code clipstream.model.*}). The checkpoint is named by {@link #checkpoint()}
 * or, when {@link #checkpointFile()} is set and names one, by that file, which is watched: rewriting it switches the
 * model without a restart.
 */
@ConfigMapping(prefix = "clipstream.model")
public interface ModelConfig {

    /** A model version in the artifact store, or the path of a checkpoint directory. */
    Optional<String> checkpoint();

    /** The artifact store (a {@code file:} URI or a path); see application.properties for its default. */
    String store();

    /** OpenAI's BPE merges, for checkpoints that carry no tokenizer of their own (text embedding needs one). */
    Optional<Path> vocabulary();

    /**
     * An env or properties file holding {@code CLIPSTREAM_MODEL_CHECKPOINT=<version>} (the rollout ConfigMap mounted as
     * a file); when it names a checkpoint, that one is served instead of {@link #checkpoint()}.
     */
    Optional<Path> checkpointFile();

    /**
     * The SHA-256 of {@link #checkpoint()}'s {@code manifest.json} as the rollout pins it
     * ({@code CLIPSTREAM_MODEL_CHECKPOINT_SHA256}, written by {@code clipstream rollout}); a checkpoint whose manifest
     * hashes otherwise is not loaded. The checkpoint file pins its own version the same way.
     */
    Optional<String> checkpointSha256();

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
