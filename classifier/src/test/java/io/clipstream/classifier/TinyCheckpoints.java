package io.clipstream.classifier;

import ai.djl.ndarray.NDManager;
import io.clipstream.model.ClipConfig;
import io.clipstream.model.ClipModel;
import io.clipstream.model.engine.Engines;
import io.clipstream.model.image.ImageLimits;
import io.clipstream.model.serve.CheckpointResolver;
import io.clipstream.model.store.ArtifactStore;
import io.clipstream.model.store.StoredCheckpoints;
import io.clipstream.schemas.CheckpointStatus;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Optional;

/** Tiny CLIP checkpoints (with OpenAI's tokenizer) published into an artifact store, for the classifier's tests. */
public final class TinyCheckpoints {

    public static final String VOCABULARY = StoredCheckpoints.VOCABULARY;
    public static final String TOKENIZER_FILE = StoredCheckpoints.TOKENIZER_FILE;

    private TinyCheckpoints() {
    }

    /** A tiny model with random weights from {@code seed}: different seeds, different text encoders. */
    public static void publishRandom(ArtifactStore store, String version, long seed) throws IOException {
        ClipConfig config = ClipConfig.preset("tiny");
        try (NDManager manager = Engines.newManager()) {
            Engines.pytorch().setRandomSeed((int) seed);
            publish(store, version, new ClipModel(config).initialize(manager));
        }
    }

    /**
     * Saves {@code model} with the CLIP tokenizer as {@code version} in {@code store}, PASSED by the trainer's
     * guardrail (the classifier serves no other version an embedding names, unless rolled out).
     */
    public static void publish(ArtifactStore store, String version, ClipModel model) throws IOException {
        StoredCheckpoints.publish(store, version, model, CheckpointStatus.PASSED);
    }

    /** As {@link #publishRandom}, with the given verdict (null: none, as imported weights). */
    public static void publishRandom(ArtifactStore store, String version, long seed, CheckpointStatus verdict)
            throws IOException {
        ClipConfig config = ClipConfig.preset("tiny");
        try (NDManager manager = Engines.newManager()) {
            Engines.pytorch().setRandomSeed((int) seed);
            StoredCheckpoints.publish(store, version, new ClipModel(config).initialize(manager), verdict);
        }
    }

    /** Copies a saved checkpoint directory into {@code store} under the version its manifest names, PASSED. */
    public static String publishCopy(ArtifactStore store, Path checkpoint) throws IOException {
        return StoredCheckpoints.publishCopy(store, checkpoint);
    }

    /** What the service does: a resolver over the store (no fallback vocabulary: checkpoints carry theirs). */
    public static CheckpointResolver resolver(ArtifactStore store) {
        return new CheckpointResolver(store, Optional.empty(), ImageLimits.DEFAULT);
    }
}
