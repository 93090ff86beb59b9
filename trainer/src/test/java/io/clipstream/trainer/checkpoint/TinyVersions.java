package io.clipstream.trainer.checkpoint;

import ai.djl.ndarray.NDManager;
import io.clipstream.model.ClipConfig;
import io.clipstream.model.ClipModel;
import io.clipstream.model.engine.Engines;
import io.clipstream.model.store.ArtifactStore;
import io.clipstream.model.text.ClipTokenizer;
import io.clipstream.model.text.Merge;
import io.clipstream.model.text.MergesFile;
import io.clipstream.model.train.ClipTrainer;
import io.clipstream.model.train.LearningRateSchedule;
import io.clipstream.model.train.TrainingConfig;
import io.clipstream.schemas.CheckpointStatus;
import io.clipstream.trainer.data.DataState;
import io.clipstream.trainer.data.PairCodec;
import io.clipstream.trainer.data.SourcePositions;
import io.clipstream.trainer.eval.Guardrail;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** Resumable trainer checkpoints of a tiny model, written by the real writer: versions 1, 2, ... in one lineage. */
public final class TinyVersions {

    public static final String TOPIC = "pairs";
    private static final int MERGES = 40;
    public static final ClipConfig CONFIG = ClipConfig.preset("tiny")
            .withVocabSize(ClipTokenizer.RESERVED_TOKENS + MERGES);

    private TinyVersions() {
    }

    /** Versions 1..n with these verdicts, each the parent of the next. */
    public static void write(ArtifactStore store, Path scratch, List<CheckpointStatus> verdicts) throws IOException {
        List<Merge> rules = new ArrayList<>();
        for (char a = 'a'; rules.size() < MERGES; a++) {
            for (char b = 'a'; b <= 'z' && rules.size() < MERGES; b++) {
                rules.add(new Merge(String.valueOf(a), String.valueOf(b)));
            }
        }
        Path merges = scratch.resolve("merges.txt.gz");
        MergesFile.write(merges, rules);
        PairCodec codec = new PairCodec(CONFIG.imageSize());
        DataState data = new DataState(new SourcePositions(TOPIC, Map.of(0, 5L)), List.of(), List.of(), 0, List.of());
        try (NDManager manager = Engines.newManager()) {
            ClipModel model = new ClipModel(CONFIG).initialize(manager);
            try (ClipTrainer trainer = ClipTrainer.create(model,
                    TrainingConfig.of(LearningRateSchedule.warmupConstant(1e-3, 0)))) {
                CheckpointWriter writer = new CheckpointWriter(store, codec);
                for (int v = 1; v <= verdicts.size(); v++) {
                    CheckpointStatus verdict = verdicts.get(v - 1);
                    writer.write(new CheckpointDraft(Integer.toString(v), v == 1 ? null : Integer.toString(v - 1),
                            trainer, merges, data, 0, 0, null, Map.of(), new Guardrail.Verdict(verdict,
                                    verdict == CheckpointStatus.PASSED ? null : "worse"), null));
                }
            }
        }
    }

    /** What a power loss leaves of a file whose data never reached the disk: a prefix. */
    public static void truncate(Path file) throws IOException {
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.WRITE)) {
            channel.truncate(channel.size() / 3);
        }
    }
}
