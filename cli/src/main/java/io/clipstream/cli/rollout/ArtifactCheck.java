package io.clipstream.cli.rollout;

import io.clipstream.model.checkpoint.CheckpointManifest;
import io.clipstream.model.checkpoint.Checkpoints;
import io.clipstream.model.store.ArtifactStore;
import io.clipstream.schemas.Checkpoint;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/**
 * The checkpoint's files as the embedder will load them: every file matches the SHA-256 of its manifest (the same
 * {@link Checkpoints#verify} the services run before loading), and the weights are the ones the trainer
 * announced. Catching a corrupt artifact here keeps a rollout from stalling on pods that never get ready.
 */
final class ArtifactCheck {

    private ArtifactCheck() {
    }

    /**
     * Verifies the artifact where it can be read: in {@code store} when one is given (a missing version is then a
     * refusal), otherwise at the announced {@code file:} URI if this machine sees it.
     *
     * @return what was checked, for the operator; or why nothing could be
     */
    static String verify(Checkpoint announced, Optional<String> store) throws RolloutRefused {
        String version = announced.getVersion();
        Optional<Path> dir;
        try {
            dir = store.isPresent() ? Optional.of(ArtifactStore.open(store.get()).locate(version).orElseThrow(
                    () -> new RolloutRefused(version, "the store " + store.get() + " has no such version")))
                    : readableFile(announced.getArtifactUri());
        } catch (IOException | IllegalArgumentException e) {
            throw new RolloutRefused(version, "cannot open the store: " + e.getMessage());
        }
        if (dir.isEmpty()) {
            return "artifact not verified: " + announced.getArtifactUri()
                    + " is not readable here (give --store to verify it)";
        }
        CheckpointManifest manifest;
        try {
            manifest = Checkpoints.verify(dir.get());
        } catch (IOException e) {
            throw new RolloutRefused(version, e.getMessage());
        }
        if (!manifest.weightsSha256().equalsIgnoreCase(announced.getSha256())) {
            throw new RolloutRefused(version, dir.get().resolve(manifest.weightsFile()) + " is not the announced one:"
                    + " it hashes to " + manifest.weightsSha256() + ", the trainer announced " + announced.getSha256());
        }
        return "artifact verified: " + dir.get() + " (sha256 of every file matches)";
    }

    private static Optional<Path> readableFile(String uri) {
        try {
            URI parsed = URI.create(uri);
            if ("file".equals(parsed.getScheme())) {
                Path dir = Path.of(parsed);
                return Files.isDirectory(dir) ? Optional.of(dir) : Optional.empty();
            }
        } catch (IllegalArgumentException e) {
            // not a URI this machine can read: reported as not verified
        }
        return Optional.empty();
    }
}
