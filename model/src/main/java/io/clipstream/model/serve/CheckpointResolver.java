package io.clipstream.model.serve;

import io.clipstream.model.checkpoint.CheckpointIntegrityException;
import io.clipstream.model.checkpoint.Checkpoints;
import io.clipstream.model.engine.Precision;
import io.clipstream.model.image.ImageLimits;
import io.clipstream.model.store.ArtifactStore;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Optional;

/**
 * Turns what an operator configures ({@code clipstream.model.checkpoint}: a model version in the artifact store, or
 * the path of a checkpoint directory) into a loaded, verified {@link ServedModel}.
 */
public final class CheckpointResolver {

    private final ArtifactStore store;
    private final Optional<Path> fallbackVocabulary;
    private final ImageLimits limits;
    private final Precision precision;

    public CheckpointResolver(ArtifactStore store, Optional<Path> fallbackVocabulary, ImageLimits limits) {
        this(store, fallbackVocabulary, limits, Precision.FP32);
    }

    /** @param precision what the models it loads compute in (see {@link ServedModel}) */
    public CheckpointResolver(ArtifactStore store, Optional<Path> fallbackVocabulary, ImageLimits limits,
            Precision precision) {
        this.store = store;
        this.fallbackVocabulary = fallbackVocabulary;
        this.limits = limits;
        this.precision = precision;
    }

    /** What the models it loads compute in. */
    public Precision precision() {
        return precision;
    }

    /** Where a reference points: a version in the store, else an existing directory. */
    public Path locate(String reference) throws IOException {
        if (reference == null || reference.isBlank()) {
            throw new IllegalArgumentException("No checkpoint configured (clipstream.model.checkpoint)");
        }
        if (store != null && !reference.contains("/")) {
            Optional<Path> inStore = store.locate(reference);
            if (inStore.isPresent()) {
                return inStore.get();
            }
        }
        Path path = Path.of(reference);
        if (Files.isDirectory(path)) {
            return path;
        }
        throw new NoSuchFileException(reference, null, "not a model version in " + (store == null ? "(no store)"
                : store.uri("0").resolve(".")) + " nor a checkpoint directory");
    }

    /** Loads the referenced checkpoint (SHA-256 verified, warmed up). */
    public ServedModel load(String reference) throws IOException {
        return ServedModel.load(locate(reference), fallbackVocabulary, limits, precision);
    }

    /**
     * Loads the requested checkpoint, first checking its manifest against the SHA-256 the rollout pins (when it pins
     * one): a checkpoint replaced or altered after it was rolled out is refused before any of it is read.
     */
    public ServedModel load(CheckpointSource.Requested requested) throws IOException {
        Path directory = locate(requested.reference());
        if (requested.manifestSha256().isPresent()) {
            requirePinned(directory, requested.reference(), requested.manifestSha256().get());
        }
        return ServedModel.load(directory, fallbackVocabulary, limits, precision);
    }

    /** Refuses a checkpoint directory whose manifest does not hash to {@code manifestSha256}. */
    public static void requirePinned(Path directory, String reference, String manifestSha256) throws IOException {
        Path manifest = directory.resolve(Checkpoints.MANIFEST_FILE);
        if (!Files.isRegularFile(manifest)) {
            throw new CheckpointIntegrityException(directory + " has no " + Checkpoints.MANIFEST_FILE);
        }
        String actual = Checkpoints.sha256(manifest);
        if (!actual.equalsIgnoreCase(manifestSha256.strip())) {
            throw new CheckpointIntegrityException("checkpoint " + reference + " is not the one rolled out: its "
                    + manifest + " hashes to " + actual + ", the rollout pins " + manifestSha256.strip());
        }
    }

    /** Loads a model version from the store (what an embedding names). */
    public ServedModel loadVersion(String version) throws IOException {
        Optional<Path> dir = store == null ? Optional.empty() : store.locate(version);
        if (dir.isEmpty()) {
            throw new NoSuchFileException(version, null, "model version not in the artifact store");
        }
        return ServedModel.load(dir.get(), fallbackVocabulary, limits, precision);
    }
}
