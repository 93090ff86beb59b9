package io.clipstream.classifier;

import io.smallrye.config.ConfigMapping;
import java.nio.file.Path;
import java.util.Optional;

/** Where model versions come from ({@code clipstream.model.*}), shared in meaning with the embedder. */
@ConfigMapping(prefix = "clipstream.model")
public interface ModelConfig {

    /** The artifact store holding one checkpoint per model version ({@code file:/var/lib/clipstream/checkpoints}). */
    String store();

    /** OpenAI's BPE merges, for checkpoints that carry no tokenizer of their own. */
    Optional<Path> vocabulary();

    /** The rolled-out model version: its text encoder is loaded at start-up, before the first embedding needs it. */
    Optional<String> checkpoint();
}
