package io.clipstream.trainer.checkpoint;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDManager;
import io.clipstream.model.ClipConfig;
import io.clipstream.model.ClipModel;
import io.clipstream.model.checkpoint.CheckpointIntegrityException;
import io.clipstream.model.checkpoint.Checkpoints;
import io.clipstream.model.engine.Engines;
import io.clipstream.model.store.ArtifactStore;
import io.clipstream.model.train.ClipTrainer;
import io.clipstream.model.train.LearningRateSchedule;
import io.clipstream.model.train.TrainingConfig;
import io.clipstream.schemas.Checkpoint;
import io.clipstream.schemas.CheckpointStatus;
import io.clipstream.schemas.SourceOffset;
import io.clipstream.trainer.TestPairs;
import io.clipstream.trainer.data.DataState;
import io.clipstream.trainer.data.PairCodec;
import io.clipstream.trainer.data.SourcePositions;
import io.clipstream.trainer.data.StreamPair;
import io.clipstream.trainer.eval.Guardrail;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Checkpoints written to a file store and read back for a resume, every file verified. */
class TrainCheckpointStoreTest {

    private static final ClipConfig CONFIG = ClipConfig.preset("tiny").withVocabSize(600);
    private static final TrainingConfig TRAINING = TrainingConfig.of(LearningRateSchedule.warmupConstant(1e-3, 0));

    @Test
    void writesAResumableCheckpointThatLoadsBackBitIdentically(@TempDir Path root) throws Exception {
        ArtifactStore store = ArtifactStore.open(root.toString());
        PairCodec codec = new PairCodec(CONFIG.imageSize());
        List<StreamPair> pending = TestPairs.pairs("pending-", 3).stream().map(p -> resized(p, codec)).toList();
        List<StreamPair> replay = TestPairs.pairs("replay-", 5).stream().map(p -> resized(p, codec)).toList();
        List<StreamPair> pool = TestPairs.pairs("pool-", 4).stream().map(p -> resized(p, codec)).toList();
        DataState data = new DataState(new SourcePositions("pairs", Map.of(0, 17L, 2, 5L)), pending, replay, 40, pool);
        Path merges = Files.writeString(root.resolve("merges.txt"), "#version: 0.2\n");

        assertEquals("1", CheckpointWriter.nextVersion(store));
        try (NDManager manager = Engines.newManager()) {
            ClipModel model = new ClipModel(CONFIG).initialize(manager);
            ClipTrainer trainer = ClipTrainer.create(model, TRAINING);
            StoredCheckpoint stored = new CheckpointWriter(store, codec).write(new CheckpointDraft("1", null, trainer,
                    merges, data, 3000, 900, 1_700_000_000_123L, Map.of("eval_loss", 2.5),
                    new Guardrail.Verdict(CheckpointStatus.PASSED, null), null));
            assertEquals("2", CheckpointWriter.nextVersion(store));

            Checkpoint record = stored.toRecord();
            assertEquals("1", record.getVersion());
            assertEquals(0, record.getStep());
            assertEquals(3000, record.getSamplesSeen());
            assertEquals(List.of(new SourceOffset("pairs", 0, 17L), new SourceOffset("pairs", 2, 5L)),
                    record.getSourceOffsets());
            assertEquals(Checkpoints.sha256(stored.directory().resolve(Checkpoints.WEIGHTS_FILE)), record.getSha256());
            assertEquals(CheckpointStatus.PASSED, record.getStatus());
            assertEquals(1_700_000_000_123L, record.getFreshness().toEpochMilli());

            ResumePoint resume = ResumePoint.latest(store).orElseThrow();
            assertEquals("1", resume.version());
            DataState back = resume.data(codec);
            assertEquals(data.positions(), back.positions());
            assertEquals(40, back.replayOffered());
            assertEquals(ids(pending), ids(back.pending()));
            assertEquals(ids(replay), ids(back.replay()));
            assertEquals(ids(pool), ids(back.evaluationPool()));
            assertArrayEquals(pool.get(2).image().pixels(), back.evaluationPool().get(2).image().pixels());

            try (Checkpoints.Loaded loaded = Checkpoints.load(stored.directory())) {
                model.namedParameters().forEach((name, parameter) -> assertArrayEquals(
                        parameter.getArray().toByteArray(),
                        loaded.model().namedParameters().get(name).getArray().toByteArray(), name));
                assertTrue(loaded.optimizerStateFile().isPresent(), "the optimiser state is in the manifest");
            }
            trainer.close();
        }
    }

    @Test
    void refusesATamperedResumeFileAndFindsTheNearestPassedAncestor(@TempDir Path root) throws Exception {
        ArtifactStore store = ArtifactStore.open(root.toString());
        PairCodec codec = new PairCodec(CONFIG.imageSize());
        DataState data = new DataState(SourcePositions.none("pairs"), List.of(),
                List.of(resized(TestPairs.pair("r"), codec)), 1, List.of());
        Path merges = Files.writeString(root.resolve("merges.txt"), "#version: 0.2\n");
        try (NDManager manager = Engines.newManager()) {
            ClipModel model = new ClipModel(CONFIG).initialize(manager);
            try (ClipTrainer trainer = ClipTrainer.create(model, TRAINING)) {
                CheckpointWriter writer = new CheckpointWriter(store, codec);
                writer.write(draft("1", null, trainer, merges, data, CheckpointStatus.PASSED));
                writer.write(draft("2", "1", trainer, merges, data, CheckpointStatus.REJECTED));
                writer.write(draft("3", "2", trainer, merges, data, CheckpointStatus.REJECTED));
            }
        }
        assertEquals("1", ResumePoint.nearestPassed(store, "3").orElseThrow().version());
        ResumePoint latest = ResumePoint.latest(store).orElseThrow();
        assertEquals("3", latest.version());

        Path replay = latest.directory().resolve(latest.state().files().get(TrainerState.REPLAY).file());
        byte[] bytes = Files.readAllBytes(replay);
        bytes[bytes.length - 1] ^= 1;
        Files.write(replay, bytes);
        IOException e = assertThrows(CheckpointIntegrityException.class, () -> latest.data(codec));
        assertTrue(e.getMessage().contains("SHA-256"), e.getMessage());
    }

    private static CheckpointDraft draft(String version, String parent, ClipTrainer trainer, Path merges,
            DataState data, CheckpointStatus status) {
        return new CheckpointDraft(version, parent, trainer, merges, data, 1, 0, null, Map.of(),
                new Guardrail.Verdict(status, status == CheckpointStatus.PASSED ? null : "worse"), parent);
    }

    private static StreamPair resized(StreamPair pair, PairCodec codec) {
        try {
            return codec.fromRecord(codec.toRecord(pair));
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static List<String> ids(List<StreamPair> pairs) {
        return pairs.stream().map(StreamPair::pairId).toList();
    }
}
