package io.clipstream.trainer;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.nio.file.Path;
import java.util.Optional;

/** Keys the platform's services share ({@code clipstream.model.*}). */
@ConfigMapping(prefix = "clipstream.model")
public interface ModelConfig {

    /** The artifact store of checkpoints: a {@code file:} URI or a directory path. */
    @WithDefault("checkpoints")
    String store();

    /** OpenAI's BPE merges ({@code bpe_simple_vocab_16e6.txt.gz}); unset, a vocabulary is trained on the stream. */
    Optional<Path> vocabulary();
}
