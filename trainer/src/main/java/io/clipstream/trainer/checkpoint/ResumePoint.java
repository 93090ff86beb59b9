package io.clipstream.trainer.checkpoint;

import com.fasterxml.jackson.core.JsonProcessingException;
import io.clipstream.model.checkpoint.CheckpointIntegrityException;
import io.clipstream.model.checkpoint.CheckpointManifest;
import io.clipstream.model.checkpoint.Checkpoints;
import io.clipstream.model.store.ArtifactStore;
import io.clipstream.schemas.CheckpointStatus;
import io.clipstream.trainer.data.DataState;
import io.clipstream.trainer.data.PairCodec;
import io.clipstream.trainer.data.SourcePositions;
import io.clipstream.trainer.data.StreamPair;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;

/**
 * A checkpoint of this trainer in the artifact store (one with a {@code trainer-state.json}), read for resuming or as
 * a guardrail baseline. Every file it hands out is checked against its SHA-256 first.
 */
public record ResumePoint(Path directory, CheckpointManifest manifest, TrainerState state) {

    /** The newest version of the store that the trainer wrote, if any. */
    public static Optional<ResumePoint> latest(ArtifactStore store) throws IOException {
        List<String> versions = store.versions();
        for (int i = versions.size() - 1; i >= 0; i--) {
            Optional<ResumePoint> point = of(store, versions.get(i));
            if (point.isPresent()) {
                return point;
            }
        }
        return Optional.empty();
    }

    /**
     * The versions of the store that the trainer wrote (they hold a {@code trainer-state.json}), newest first, without
     * reading or verifying any of them: a start-up tries them in turn.
     */
    public static List<String> trainerVersions(ArtifactStore store) throws IOException {
        List<String> versions = new ArrayList<>(store.versions());
        Collections.reverse(versions);
        List<String> ours = new ArrayList<>();
        for (String version : versions) {
            Optional<Path> dir = store.locate(version);
            if (dir.isPresent() && Files.isRegularFile(dir.get().resolve(TrainerState.FILE_NAME))) {
                ours.add(version);
            }
        }
        return ours;
    }

    /** The version, if the store has it and the trainer wrote it. */
    public static Optional<ResumePoint> of(ArtifactStore store, String version) throws IOException {
        Optional<Path> dir = store.locate(version);
        if (dir.isEmpty() || !Files.isRegularFile(dir.get().resolve(TrainerState.FILE_NAME))
                || !Files.isRegularFile(dir.get().resolve(Checkpoints.MANIFEST_FILE))) {
            return Optional.empty();
        }
        CheckpointManifest manifest = readable(dir.get().resolve(Checkpoints.MANIFEST_FILE),
                () -> Checkpoints.readManifest(dir.get()));
        TrainerState state = readable(dir.get().resolve(TrainerState.FILE_NAME),
                () -> TrainerState.read(dir.get().resolve(TrainerState.FILE_NAME)));
        return Optional.of(new ResumePoint(dir.get(), manifest, state));
    }

    private interface Reading<T> {
        T read() throws IOException;
    }

    /** A JSON file cut short (a power loss) says which file it is. */
    private static <T> T readable(Path file, Reading<T> reading) throws IOException {
        try {
            return reading.read();
        } catch (JsonProcessingException e) {
            throw new CheckpointIntegrityException(file + " cannot be read (truncated or corrupt): "
                    + e.getOriginalMessage());
        }
    }

    /**
     * The nearest checkpoint that passed the guardrail, starting with {@code version} itself and following parents
     * through the store.
     */
    public static Optional<ResumePoint> nearestPassed(ArtifactStore store, String version) throws IOException {
        String current = version;
        for (int hops = 0; current != null && hops < 10_000; hops++) {
            Optional<ResumePoint> point = of(store, current);
            if (point.isEmpty()) {
                return Optional.empty();
            }
            if (point.get().state().status() == CheckpointStatus.PASSED) {
                return point;
            }
            current = point.get().manifest().parent();
        }
        return Optional.empty();
    }

    public String version() {
        return manifest.version();
    }

    /** The verified tokenizer merges. */
    public Path tokenizerMerges() throws IOException {
        if (manifest.tokenizerFile() == null) {
            throw new CheckpointIntegrityException(directory + " has no tokenizer");
        }
        Path file = directory.resolve(manifest.tokenizerFile());
        String actual = Checkpoints.sha256(file);
        if (!actual.equalsIgnoreCase(manifest.tokenizerSha256())) {
            throw new CheckpointIntegrityException(file + ": SHA-256 " + actual + " is not the manifest's "
                    + manifest.tokenizerSha256());
        }
        return file;
    }

    /** The data state saved with the checkpoint: positions, pending pairs, replay reservoir, evaluation pool. */
    public DataState data(PairCodec codec) throws IOException {
        return new DataState(new SourcePositions(state.sourceTopic(), state.sourceOffsets()),
                pairs(TrainerState.PENDING, codec), pairs(TrainerState.REPLAY, codec), state.replayOffered(),
                pairs(TrainerState.EVALUATION, codec));
    }

    private List<StreamPair> pairs(String role, PairCodec codec) throws IOException {
        return PairFile.read(verified(role), codec);
    }

    private Path verified(String role) throws IOException {
        TrainerState.FileRef ref = state.files().get(role);
        if (ref == null) {
            throw new CheckpointIntegrityException(directory + ": " + TrainerState.FILE_NAME + " names no " + role
                    + " file");
        }
        Path name = Path.of(ref.file());
        if (name.getNameCount() != 1 || name.isAbsolute()) {
            throw new CheckpointIntegrityException(directory + ": " + role + " file '" + ref.file()
                    + "' is not a plain name in the checkpoint directory");
        }
        Path file = directory.resolve(name);
        if (!Files.isRegularFile(file)) {
            throw new CheckpointIntegrityException(file + " is named by " + TrainerState.FILE_NAME + " but missing");
        }
        String actual = Checkpoints.sha256(file);
        if (!actual.equalsIgnoreCase(ref.sha256())) {
            throw new CheckpointIntegrityException(file + ": SHA-256 " + actual + " is not the recorded "
                    + ref.sha256() + " (corrupt, truncated or replaced)");
        }
        return file;
    }
}
