package io.clipstream.search;

import io.smallrye.config.ConfigMapping;
import java.nio.file.Path;
import java.util.Optional;

/** Where model versions come from ({@code clipstream.model.*}), the same settings as the embedder's and classifier's. */
@ConfigMapping(prefix = "clipstream.model")
public interface ModelConfig {

    /** The artifact store holding one checkpoint per model version ({@code file:/var/lib/clipstream/checkpoints}). */
    String store();

    /** OpenAI's BPE merges, for checkpoints that carry no tokenizer of their own. */
    Optional<Path> vocabulary();

    /** The rolled-out (serving) model version: what a query that names none is answered with. */
    Optional<String> checkpoint();

    /**
     * An env or properties file holding {@code CLIPSTREAM_MODEL_CHECKPOINT=<version>} (the rollout ConfigMap mounted
     * as a file); when it names a version, that one is the serving version instead of {@link #checkpoint()}.
     */
    Optional<Path> checkpointFile();

    /** The SHA-256 of {@link #checkpoint()}'s {@code manifest.json} as the rollout pins it. */
    Optional<String> checkpointSha256();
}
