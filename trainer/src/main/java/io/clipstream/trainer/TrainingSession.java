package io.clipstream.trainer;

import ai.djl.ndarray.NDManager;
import io.clipstream.model.ClipConfig;
import io.clipstream.model.ClipModel;
import io.clipstream.model.checkpoint.Checkpoints;
import io.clipstream.model.checkpoint.WeightImport;
import io.clipstream.model.engine.Engines;
import io.clipstream.model.store.ArtifactStore;
import io.clipstream.model.text.BpeTrainer;
import io.clipstream.model.text.ClipTokenizer;
import io.clipstream.model.text.Merge;
import io.clipstream.model.text.MergesFile;
import io.clipstream.model.train.ClipTrainer;
import io.clipstream.model.train.TrainingCheckpoints;
import io.clipstream.trainer.checkpoint.ResumePoint;
import io.clipstream.trainer.data.CaptionMix;
import io.clipstream.trainer.data.CaptionSampler;
import io.clipstream.trainer.data.DataState;
import io.clipstream.trainer.data.PairCodec;
import io.clipstream.trainer.data.PairSource;
import io.clipstream.trainer.data.SourcePositions;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;
import org.jboss.logging.Logger;

/**
 * The model side of a run: weights and optimiser state on the device, the tokenizer and its merges file, and the
 * data state to continue from. {@link #open} decides where training starts: the newest checkpoint of this trainer in
 * the store (an exact resume), else published weights, else a fresh model of the configured preset.
 */
public final class TrainingSession implements AutoCloseable {

    private static final Logger LOG = Logger.getLogger(TrainingSession.class);

    /** How the session started. */
    public enum Origin {
        RESUMED, IMPORTED, SCRATCH
    }

    private final Origin origin;
    private final NDManager manager;
    private final ClipModel model;
    private final ClipTrainer trainer;
    private final ClipTokenizer tokenizer;
    private final Path tokenizerMerges;
    private final Optional<ResumePoint> resumedFrom;
    private final DataState data;
    private final long samplesSeen;
    private final long replayedSamples;
    private final Long freshness;
    private final Map<String, String> skippedVersions;

    private TrainingSession(Origin origin, NDManager manager, ClipModel model, ClipTrainer trainer,
            ClipTokenizer tokenizer, Path tokenizerMerges, Optional<ResumePoint> resumedFrom, DataState data,
            Map<String, String> skippedVersions) {
        this.skippedVersions = Collections.unmodifiableMap(new LinkedHashMap<>(skippedVersions));
        this.origin = origin;
        this.manager = manager;
        this.model = model;
        this.trainer = trainer;
        this.tokenizer = tokenizer;
        this.tokenizerMerges = tokenizerMerges;
        this.resumedFrom = resumedFrom;
        this.data = data;
        this.samplesSeen = resumedFrom.map(r -> r.state().samplesSeen()).orElse(0L);
        this.replayedSamples = resumedFrom.map(r -> r.state().replayedSamples()).orElse(0L);
        this.freshness = resumedFrom.map(r -> r.state().freshness()).orElse(null);
    }

    /**
     * Opens the session on {@link Engines#defaultDevice()}.
     *
     * @param captions opens a source positioned at the start of the topic, for training a vocabulary
     * @param stopped whether to give up waiting for captions
     */
    public static TrainingSession open(TrainerSettings settings, ArtifactStore store, Supplier<PairSource> captions,
            BooleanSupplier stopped) throws IOException {
        // The trainer is the store's one writer (a StatefulSet of one): what staging holds now, a crash left behind.
        int leftovers = store.clearStaging();
        if (leftovers > 0) {
            LOG.infof("Deleted %d unfinished checkpoint(s) that an earlier run left in staging", leftovers);
        }
        List<String> versions = ResumePoint.trainerVersions(store);
        Map<String, String> skipped = new LinkedHashMap<>();
        for (String version : versions) {
            NDManager manager = Engines.newManager();
            try {
                Optional<ResumePoint> point = ResumePoint.of(store, version);
                if (point.isEmpty()) {
                    throw new IOException("it is gone from the store");
                }
                TrainingSession session = resume(settings, point.get(), manager, skipped);
                if (!skipped.isEmpty()) {
                    LOG.warnf("Resumed version %s, skipping newer version(s) that do not verify: %s", version,
                            describe(skipped));
                }
                return session;
            } catch (IOException e) {
                // Truncated or corrupt (a power loss before its files reached the disk): an older version will do.
                manager.close();
                skipped.put(version, e.getMessage() == null ? e.toString() : e.getMessage());
                LOG.warnf("Version %s cannot be resumed, trying the one before: %s", version, skipped.get(version));
            } catch (RuntimeException e) {
                manager.close();
                throw e;
            }
        }
        if (!skipped.isEmpty()) {
            // Starting over would bury the run's history under new versions: an operator decides.
            throw new IOException("No version of the store verifies, so the trainer does not start over: "
                    + describe(skipped));
        }
        NDManager manager = Engines.newManager();
        try {
            if (settings.initWeights().isPresent()) {
                return importWeights(settings, manager);
            }
            return scratch(settings, manager, captions, stopped);
        } catch (IOException | RuntimeException e) {
            manager.close();
            throw e;
        }
    }

    private static String describe(Map<String, String> skipped) {
        StringBuilder text = new StringBuilder();
        skipped.forEach((version, why) -> text.append(text.isEmpty() ? "" : "; ").append("version ").append(version)
                .append(": ").append(why));
        return text.toString();
    }

    private static TrainingSession resume(TrainerSettings settings, ResumePoint point, NDManager manager,
            Map<String, String> skipped) throws IOException {
        Path merges = point.tokenizerMerges();
        ClipConfig config = point.manifest().config();
        ClipTokenizer tokenizer = ClipTokenizer.load(merges, config.vocabSize());
        DataState data = point.data(new PairCodec(config.imageSize()));
        if (!data.positions().topic().equals(settings.topic())) {
            throw new IllegalStateException("Version " + point.version() + " was trained on "
                    + data.positions().topic() + ", not on " + settings.topic() + ": its offsets mean nothing here");
        }
        // Every file verified against its SHA-256 before a byte is parsed; the weights stay in our manager.
        Checkpoints.Loaded checkpoint = Checkpoints.load(point.directory(), manager);
        ClipModel model = checkpoint.model();
        ClipTrainer trainer = TrainingCheckpoints.resume(checkpoint, settings.training());
        if (trainer.steps() != point.state().step()) {
            trainer.close();
            throw new IOException("Version " + point.version() + ": the trainer state says step "
                    + point.state().step() + ", the manifest " + trainer.steps());
        }
        LOG.infof("Resuming version %s at step %d (%d samples seen), reading on from %s", point.version(),
                trainer.steps(), point.state().samplesSeen(), data.positions().next());
        return new TrainingSession(Origin.RESUMED, manager, model, trainer, tokenizer, merges, Optional.of(point),
                data, skipped);
    }

    private static TrainingSession importWeights(TrainerSettings settings, NDManager manager) throws IOException {
        Path weights = settings.initWeights().orElseThrow();
        Path vocabulary = settings.vocabulary().orElseThrow(() -> new IllegalStateException(
                "Published weights (" + weights + ") come with OpenAI's vocabulary: set clipstream.model.vocabulary"));
        ClipModel model = WeightImport.load(weights, manager);
        ClipTokenizer tokenizer = ClipTokenizer.load(vocabulary, model.config().vocabSize());
        LOG.infof("Starting from published weights %s (%,d parameters)", weights, model.parameterCount());
        return new TrainingSession(Origin.IMPORTED, manager, model, ClipTrainer.create(model, settings.training()),
                tokenizer, vocabulary, Optional.empty(), DataState.empty(settings.topic()), Map.of());
    }

    private static TrainingSession scratch(TrainerSettings settings, NDManager manager, Supplier<PairSource> captions,
            BooleanSupplier stopped) throws IOException {
        ClipTokenizer tokenizer;
        Path merges;
        if (settings.vocabulary().isPresent()) {
            merges = settings.vocabulary().get();
            tokenizer = ClipTokenizer.load(merges);
        } else {
            List<Merge> rules = bootstrapVocabulary(settings, captions, stopped);
            tokenizer = ClipTokenizer.fromMergeRules(rules);
            merges = Files.createTempFile("clipstream-trainer-", "-merges.txt.gz");
            merges.toFile().deleteOnExit();
            MergesFile.write(merges, rules); // copied into every checkpoint, which then carries its tokenizer
        }
        ClipConfig config = ClipConfig.preset(settings.preset()).withVocabSize(tokenizer.vocabSize());
        ClipModel model = new ClipModel(config).initialize(manager);
        LOG.infof("Starting preset %s from scratch (%,d parameters, vocabulary of %d)", settings.preset(),
                model.parameterCount(), tokenizer.vocabSize());
        return new TrainingSession(Origin.SCRATCH, manager, model, ClipTrainer.create(model, settings.training()),
                tokenizer, merges, Optional.empty(), DataState.empty(settings.topic()), Map.of());
    }

    /** A byte-level BPE trained on the first captions of the topic. */
    private static List<Merge> bootstrapVocabulary(TrainerSettings settings, Supplier<PairSource> captions,
            BooleanSupplier stopped) throws IOException {
        List<String> sample;
        try (PairSource source = captions.get()) {
            source.seek(SourcePositions.none(settings.topic()));
            LOG.infof("No vocabulary configured: reading up to %d captions to train one", settings.bootstrapCaptions());
            sample = new CaptionSampler(new CaptionMix(settings.captionMix(), settings.seed()))
                    .sample(source, settings.bootstrapCaptions(), settings.bootstrapQuiet(), stopped);
        }
        if (sample.isEmpty()) {
            throw new IllegalStateException("Stopped before any caption arrived to train a vocabulary on");
        }
        List<Merge> rules = new BpeTrainer(settings.vocabSize()).train(sample);
        LOG.infof("Trained a vocabulary of %d tokens on %d captions%s", rules.size() + ClipTokenizer.RESERVED_TOKENS,
                sample.size(), settings.captionMix().enabled() ? " (each pair's with its caption-mix phrasings)" : "");
        return rules;
    }

    public Origin origin() {
        return origin;
    }

    public ClipModel model() {
        return model;
    }

    public ClipTrainer trainer() {
        return trainer;
    }

    public ClipTokenizer tokenizer() {
        return tokenizer;
    }

    public Path tokenizerMerges() {
        return tokenizerMerges;
    }

    public NDManager manager() {
        return manager;
    }

    /** The checkpoint the session resumed, if it did. */
    public Optional<ResumePoint> resumedFrom() {
        return resumedFrom;
    }

    /** Newer versions than the one resumed that did not verify, newest first, with why. */
    public Map<String, String> skippedVersions() {
        return skippedVersions;
    }

    /** The data state to continue from. */
    public DataState data() {
        return data;
    }

    public long samplesSeen() {
        return samplesSeen;
    }

    public long replayedSamples() {
        return replayedSamples;
    }

    /** Newest event time trained on before this session, or null. */
    public Long freshness() {
        return freshness;
    }

    @Override
    public void close() {
        trainer.close();
        manager.close();
    }
}
