package io.clipstream.classifier;

import io.clipstream.model.engine.Precision;
import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;

/** Where model versions come from ({@code clipstream.model.*}), shared in meaning with the embedder. */
@ConfigMapping(prefix = "clipstream.model")
public interface ModelConfig {

    /** The artifact store holding one checkpoint per model version ({@code file:/var/lib/clipstream/checkpoints}). */
    String store();

    /** OpenAI's BPE merges, for checkpoints that carry no tokenizer of their own. */
    Optional<Path> vocabulary();

    /** The rolled-out model version: its text encoder is loaded ahead, before the first embedding needs it. */
    Optional<String> checkpoint();

    /**
     * An env or properties file holding {@code CLIPSTREAM_MODEL_CHECKPOINT=<version>} (the rollout ConfigMap mounted
     * as a file, as for the embedder); when it names a version, that one is preloaded instead of {@link #checkpoint()},
     * and every version it is rewritten to as well.
     */
    Optional<Path> checkpointFile();

    /**
     * The SHA-256 of {@link #checkpoint()}'s {@code manifest.json} as the rollout pins it
     * ({@code CLIPSTREAM_MODEL_CHECKPOINT_SHA256}, written by {@code clipstream rollout}); a checkpoint whose manifest
     * hashes otherwise is not loaded. The checkpoint file pins its own version the same way.
     */
    Optional<String> checkpointSha256();

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
