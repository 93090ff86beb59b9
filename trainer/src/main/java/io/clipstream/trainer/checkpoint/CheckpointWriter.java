package io.clipstream.trainer.checkpoint;

import io.clipstream.model.checkpoint.CheckpointManifest;
import io.clipstream.model.checkpoint.Checkpoints;
import io.clipstream.model.store.ArtifactStore;
import io.clipstream.model.train.TrainingCheckpoints;
import io.clipstream.trainer.data.DataState;
import io.clipstream.trainer.data.EvaluationPool;
import io.clipstream.trainer.data.PairCodec;
import io.clipstream.trainer.data.StreamPair;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * Writes a checkpoint into a staging directory of the artifact store and publishes it under its version in one
 * atomic rename: readers (and a restarting trainer) see a complete checkpoint or none.
 */
public final class CheckpointWriter {

    public static final String TOKENIZER_FILE = "tokenizer-merges.txt.gz";

    private final ArtifactStore store;
    private final PairCodec codec;

    public CheckpointWriter(ArtifactStore store, PairCodec codec) {
        this.store = store;
        this.codec = codec;
    }

    /** The version after every version in the store: 1, 2, ... (non-numeric versions are not the trainer's). */
    public static String nextVersion(ArtifactStore store) throws IOException {
        long highest = store.versions().stream().filter(v -> v.chars().allMatch(Character::isDigit))
                .mapToLong(Long::parseLong).max().orElse(0);
        return Long.toString(highest + 1);
    }

    public StoredCheckpoint write(CheckpointDraft draft) throws IOException {
        Path staging = store.newStagingDirectory();
        try {
            Files.copy(draft.tokenizerMerges(), staging.resolve(TOKENIZER_FILE));
            Map<String, TrainerState.FileRef> files = new LinkedHashMap<>();
            DataState data = draft.data();
            files.put(TrainerState.PENDING, pairs(staging, "pending.pairs", data.pending()));
            files.put(TrainerState.REPLAY, pairs(staging, "replay.pairs", data.replay()));
            files.put(TrainerState.EVALUATION, pairs(staging, "evaluation.pairs", data.evaluationPool()));
            TrainerState state = new TrainerState(draft.trainer().steps(), draft.samplesSeen(), draft.replayedSamples(),
                    draft.freshness(), data.positions().topic(), data.positions().next(), data.replayOffered(),
                    EvaluationPool.fingerprint(data.evaluationPool()), draft.verdict().status(),
                    draft.verdict().reason(), draft.baseline(), files);
            state.write(staging.resolve(TrainerState.FILE_NAME));
            // Weights, optimiser state, and the manifest last: a directory with a manifest is complete.
            CheckpointManifest manifest = TrainingCheckpoints.save(staging, draft.trainer(), CheckpointManifest.of(
                    draft.version(), draft.parent(), draft.trainer().model().config(), draft.metrics())
                    .withTokenizer(TOKENIZER_FILE));
            URI uri = store.publish(draft.version(), staging);
            Path published = store.locate(draft.version()).orElseThrow(() -> new IOException(
                    "Version " + draft.version() + " was published but the store does not find it"));
            return new StoredCheckpoint(uri, published, manifest, state);
        } catch (IOException | RuntimeException e) {
            deleteQuietly(staging);
            throw e;
        }
    }

    private TrainerState.FileRef pairs(Path dir, String name, List<StreamPair> pairs) throws IOException {
        PairFile.write(dir.resolve(name), pairs, codec);
        return new TrainerState.FileRef(name, Checkpoints.sha256(dir.resolve(name)));
    }

    private static void deleteQuietly(Path dir) {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(dir)) {
            for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(path);
            }
        } catch (IOException e) {
            // A leftover staging directory is harmless: it is never a version.
        }
    }
}
