package io.clipstream.model.serve;

import java.nio.file.Path;
import java.util.Optional;

/**
 * Where the serving services (embedder, classifier, search) get model versions from: {@code clipstream.model.*}, read
 * alike by each. Each service's {@code @ConfigMapping(prefix = "clipstream.model")} extends this with its own keys, so
 * that the shared keys are declared and documented once.
 */
public interface ModelSourceSettings {

    /** The artifact store holding one checkpoint per model version: a {@code file:} URI or a directory path. */
    String store();

    /** OpenAI's BPE merges, for checkpoints that carry no tokenizer of their own (text embedding needs one). */
    Optional<Path> vocabulary();

    /** The rolled-out model version (or, for the embedder, the path of a checkpoint directory). */
    Optional<String> checkpoint();

    /**
     * An env or properties file holding {@code CLIPSTREAM_MODEL_CHECKPOINT=<version>} (the rollout ConfigMap mounted as
     * a file); when it names a version, that one is the rolled-out version instead of {@link #checkpoint()}, and every
     * version it is rewritten to as well.
     */
    Optional<Path> checkpointFile();

    /**
     * The SHA-256 of {@link #checkpoint()}'s {@code manifest.json} as the rollout pins it
     * ({@code CLIPSTREAM_MODEL_CHECKPOINT_SHA256}, written by {@code clipstream rollout}); a checkpoint whose manifest
     * hashes otherwise is not loaded. The checkpoint file pins its own version the same way.
     */
    Optional<String> checkpointSha256();
}
