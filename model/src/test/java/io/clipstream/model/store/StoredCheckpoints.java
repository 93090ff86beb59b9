package io.clipstream.model.store;

import ai.djl.ndarray.NDManager;
import io.clipstream.model.ClipConfig;
import io.clipstream.model.ClipModel;
import io.clipstream.model.Fixtures;
import io.clipstream.model.checkpoint.CheckpointManifest;
import io.clipstream.model.checkpoint.Checkpoints;
import io.clipstream.model.engine.Engines;
import io.clipstream.model.serve.ServableVersions;
import io.clipstream.schemas.CheckpointStatus;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/**
 * Checkpoints published into an artifact store as the trainer would publish them, with OpenAI's tokenizer: for the
 * tests of everything that serves them (model, embedder, classifier). In the test jar.
 */
public final class StoredCheckpoints {

    /** OpenAI's BPE merges, from the shared fixtures. */
    public static final String VOCABULARY = "clip/bpe_simple_vocab_16e6.txt.gz";
    /** Its name inside a checkpoint. */
    public static final String TOKENIZER_FILE = "merges.txt.gz";

    private StoredCheckpoints() {
    }

    /** Saves {@code model} with the CLIP tokenizer as {@code version} in {@code store}; returns its directory. */
    public static Path publish(ArtifactStore store, String version, ClipModel model) throws IOException {
        return publish(store, version, model, null);
    }

    /**
     * As {@link #publish(ArtifactStore, String, ClipModel)}, with the trainer's guardrail verdict when not null (the
     * {@code status} of {@link ServableVersions#VERDICT_FILE}, all a serving service reads of it).
     */
    public static Path publish(ArtifactStore store, String version, ClipModel model, CheckpointStatus verdict)
            throws IOException {
        Path staged = store.newStagingDirectory();
        Files.copy(Fixtures.resolve(VOCABULARY), staged.resolve(TOKENIZER_FILE));
        Checkpoints.save(staged, model, CheckpointManifest.of(version, null, model.config(), Map.of())
                .withTokenizer(TOKENIZER_FILE));
        if (verdict != null) {
            writeVerdict(staged, verdict);
        }
        store.publish(version, staged);
        return store.locate(version).orElseThrow();
    }

    /** Writes the trainer's verdict into a checkpoint directory not yet published. */
    public static void writeVerdict(Path directory, CheckpointStatus verdict) throws IOException {
        Files.writeString(directory.resolve(ServableVersions.VERDICT_FILE), "{\"status\": \"" + verdict.name() + "\"}");
    }

    /**
     * Copies a saved checkpoint directory into {@code store} under the version its manifest names, PASSED by the
     * trainer's guardrail; returns the version.
     */
    public static String publishCopy(ArtifactStore store, Path checkpoint) throws IOException {
        String version = Checkpoints.readManifest(checkpoint).version();
        Path staged = store.newStagingDirectory();
        try (var files = Files.list(checkpoint)) {
            for (Path file : files.toList()) {
                Files.copy(file, staged.resolve(file.getFileName()));
            }
        }
        writeVerdict(staged, CheckpointStatus.PASSED);
        store.publish(version, staged);
        return version;
    }

    /** Publishes a model of {@code preset} with fresh random weights; returns its directory. */
    public static Path publishRandom(ArtifactStore store, String version, String preset) throws IOException {
        try (NDManager manager = Engines.newManager()) {
            return publish(store, version, new ClipModel(ClipConfig.preset(preset)).initialize(manager));
        }
    }
}
