package io.clipstream.trainer;

import io.clipstream.model.ClipConfig;
import io.clipstream.model.image.ClipImageTransform;
import io.clipstream.model.store.ArtifactStore;
import io.clipstream.model.train.PairBatcher;
import io.clipstream.trainer.checkpoint.CheckpointAnnouncer;
import io.clipstream.trainer.checkpoint.CheckpointRetention;
import io.clipstream.trainer.checkpoint.CheckpointWriter;
import io.clipstream.trainer.checkpoint.Checkpointer;
import io.clipstream.trainer.data.BatchAssembler;
import io.clipstream.trainer.data.CaptionMix;
import io.clipstream.trainer.data.ImageAugmentation;
import io.clipstream.trainer.data.HeldOutSplit;
import io.clipstream.trainer.data.PairCodec;
import io.clipstream.trainer.data.PairSource;
import io.clipstream.trainer.eval.Evaluator;
import io.clipstream.trainer.eval.Guardrail;
import io.clipstream.trainer.eval.ZeroShotSuite;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.BlockingQueue;
import org.jboss.logging.Logger;

/**
 * Builds the parts of a run around its opened session, from the settings: the checkpointer (with its evaluator,
 * guardrail and retention) and the batch feeder (with its assembler, batcher and caption mix).
 */
final class RunParts {

    private static final Logger LOG = Logger.getLogger(RunParts.class);

    private final TrainerSettings settings;
    private final ArtifactStore store;
    private final CheckpointAnnouncer announcer;
    private final TrainingListener listener;

    RunParts(TrainerSettings settings, ArtifactStore store, CheckpointAnnouncer announcer, TrainingListener listener) {
        this.settings = settings;
        this.store = store;
        this.announcer = announcer;
        this.listener = listener;
    }

    /** The device's peak FLOP/s: as configured, else a timed matrix product. */
    double peakFlops(TrainingSession session) {
        return settings.peakFlops().orElseGet(() -> MatmulCeiling.measure(session.manager(), 1_000_000_000L,
                settings.training().precision()));
    }

    Checkpointer checkpointer(TrainingSession session, PairCodec codec) throws IOException {
        Evaluator evaluator = new Evaluator(settings.batch().batchSize(), settings.evaluationBatch(),
                zeroShotSuites(session.model().config().imageSize()));
        return new Checkpointer(store, new CheckpointWriter(store, codec), announcer, evaluator,
                new Guardrail(settings.guardrail()),
                new CheckpointRetention(settings.checkpoints().retention()), session.resumedFrom());
    }

    /**
     * The feeder of {@code queue} from {@code input}, which is positioned at the session's data state.
     *
     * @param step the step the session starts at
     */
    BatchFeeder feeder(TrainingSession session, PairSource input, PairCodec codec, BlockingQueue<PreparedBatch> queue,
            long step) {
        ClipConfig config = session.model().config();
        // Mixed with the step, so that a resumed run does not replay the draws of the run before.
        SplittableRandom random = new SplittableRandom(settings.seed() ^ (step * 0x9E3779B97F4A7C15L));
        BatchAssembler assembler = new BatchAssembler(settings.batch(), new HeldOutSplit(settings.heldOutFraction()),
                session.data(), random);
        PairBatcher batcher = new PairBatcher(ClipImageTransform.openAi(config.imageSize()),
                session.tokenizer()::tokenizeBatch).trimmingPadding();
        if (settings.augmentation().enabled()) {
            LOG.infof("Training images augmented: %s", settings.augmentation().describe());
        }
        return new BatchFeeder(input, codec, assembler, batcher, session.manager(), queue, settings.idleFlush(),
                listener, new CaptionMix(settings.captionMix(), settings.seed()),
                new ImageAugmentation(settings.augmentation(), settings.seed()), step);
    }

    private List<ZeroShotSuite> zeroShotSuites(int imageSize) throws IOException {
        List<ZeroShotSuite> suites = new ArrayList<>();
        for (TrainerSettings.ZeroShotSpec spec : settings.zeroShotSuites()) {
            suites.add(ZeroShotSuite.load(spec.name(), spec.index(), spec.images(), spec.templates(), spec.limit(),
                    imageSize));
        }
        return suites;
    }
}
