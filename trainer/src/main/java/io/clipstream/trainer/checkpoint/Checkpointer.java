package io.clipstream.trainer.checkpoint;

import io.clipstream.model.checkpoint.Checkpoints;
import io.clipstream.model.store.ArtifactStore;
import io.clipstream.model.text.ClipTokenizer;
import io.clipstream.trainer.TrainingSession;
import io.clipstream.trainer.data.DataState;
import io.clipstream.trainer.data.EvaluationPool;
import io.clipstream.trainer.eval.Evaluator;
import io.clipstream.trainer.eval.Guardrail;
import io.clipstream.trainer.eval.HeldOutResults;
import io.clipstream.schemas.CheckpointMetrics;
import java.io.IOException;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import org.jboss.logging.Logger;

/**
 * Makes checkpoints on the training thread, between two steps: evaluates the candidate on the held-out pool, judges
 * it against its baseline (the nearest ancestor that passed, evaluated on the same pool), stores it with everything
 * a resume needs, publishes it atomically and announces it. Remembers the lineage: the parent of the next checkpoint
 * is the last one, whatever its verdict (the weights descend from it); the baseline is the last that passed.
 */
public final class Checkpointer {

    private static final Logger LOG = Logger.getLogger(Checkpointer.class);

    private final ArtifactStore store;
    private final CheckpointWriter writer;
    private final CheckpointAnnouncer announcer;
    private final Evaluator evaluator;
    private final Guardrail guardrail;
    private final CheckpointRetention retention;
    private String parent;
    private Optional<ResumePoint> baseline;
    private Optional<PoolResults> baselineResults = Optional.empty();

    /** A version's held-out results on the pool with this fingerprint. */
    private record PoolResults(String version, String pool, HeldOutResults results) {
    }

    /**
     * A checkpoint stored and announced, with the time its evaluation took and the time in all. The run tells its
     * listeners once its status holds the checkpoint, so that a listener reading the status sees it.
     */
    public record Checkpointed(StoredCheckpoint stored, Duration evaluation, Duration total) {
    }

    /** What the run has done up to the checkpoint. */
    public record Progress(long samplesSeen, long replayedSamples, Long freshness, DataState data, Float trainLoss) {
    }

    public Checkpointer(ArtifactStore store, CheckpointWriter writer, CheckpointAnnouncer announcer, Evaluator evaluator,
            Guardrail guardrail, CheckpointRetention retention,
            Optional<ResumePoint> resumedFrom) throws IOException {
        this.retention = retention;
        this.store = store;
        this.writer = writer;
        this.announcer = announcer;
        this.evaluator = evaluator;
        this.guardrail = guardrail;
        this.parent = resumedFrom.map(ResumePoint::version).orElse(null);
        this.baseline = parent == null ? Optional.empty() : ResumePoint.nearestPassed(store, parent);
    }

    /**
     * Announces the checkpoint a run resumes from again: if the run before died between storing and announcing it,
     * the platform learns of it now (the topic is compacted by version, so a repeat is harmless).
     */
    public void reannounce(ResumePoint point) {
        announce(new StoredCheckpoint(store.uri(point.version()), point.directory(), point.manifest(), point.state()));
    }

    public Checkpointed checkpoint(TrainingSession session, Progress progress) throws IOException {
        long start = System.nanoTime();
        HeldOutResults evaluated = evaluate(session, progress.data());
        Map<String, Double> metrics = new LinkedHashMap<>(evaluated.metrics());
        if (progress.trainLoss() != null) {
            metrics.put(CheckpointMetrics.TRAIN_LOSS, progress.trainLoss().doubleValue());
        }
        metrics.put(CheckpointMetrics.LOGIT_SCALE, (double) session.model().logitScale());
        Duration evaluationTime = Duration.ofNanos(System.nanoTime() - start);
        Optional<Guardrail.Baseline> compared = baselineOn(progress.data(), session);
        Guardrail.Verdict verdict = guardrail.judge(new HeldOutResults(metrics, evaluated.hits()), compared);
        metrics.putAll(verdict.metrics()); // the checkpoint states the comparisons its verdict rests on

        String version = CheckpointWriter.nextVersion(store);
        StoredCheckpoint stored = writer.write(new CheckpointDraft(version, parent, session.trainer(),
                session.tokenizerMerges(), progress.data(), progress.samplesSeen(), progress.replayedSamples(),
                progress.freshness(), metrics, verdict, compared.map(Guardrail.Baseline::version).orElse(null)));
        parent = version;
        if (verdict.passed()) {
            baseline = ResumePoint.of(store, version);
            baselineResults = Optional.of(new PoolResults(version, EvaluationPool.fingerprint(
                    progress.data().evaluationPool()), evaluated));
        }
        announce(stored);
        try {
            retention.apply(store, version);
        } catch (IOException | RuntimeException e) {
            // The checkpoint is stored; old versions wait for the next one.
            LOG.warnf(e, "Old checkpoints were not deleted after version %s", version);
        }
        Duration total = Duration.ofNanos(System.nanoTime() - start);
        LOG.infof("Version %s at step %d: %s%s (%s), evaluated in %d ms, stored in %d ms", version,
                stored.state().step(),
                verdict.status(), verdict.reason() == null ? "" : " — " + verdict.reason(), metrics,
                evaluationTime.toMillis(), total.minus(evaluationTime).toMillis());
        return new Checkpointed(stored, evaluationTime, total);
    }

    private HeldOutResults evaluate(TrainingSession session, DataState data) {
        return evaluator.evaluate(session.model(), session.tokenizer()::tokenizeBatch, data.evaluationPool(),
                session.manager());
    }

    /**
     * The baseline's results on the candidate's pool, per item: kept from when it was the candidate while the pool
     * is the same, else measured now (after a start, whose checkpoint stores no per-item hits; or as the pool grows
     * until it is full — recall over 50 candidates does not compare with recall over 500).
     */
    private Optional<Guardrail.Baseline> baselineOn(DataState data, TrainingSession session) throws IOException {
        if (baseline.isEmpty()) {
            return Optional.empty();
        }
        ResumePoint point = baseline.get();
        String pool = EvaluationPool.fingerprint(data.evaluationPool());
        Optional<PoolResults> kept = baselineResults.filter(r -> r.version().equals(point.version())
                && r.pool().equals(pool));
        if (kept.isPresent()) {
            return Optional.of(new Guardrail.Baseline(point.version(), kept.get().results()));
        }
        try (Checkpoints.Loaded loaded = Checkpoints.load(point.directory(), session.manager())) {
            ClipTokenizer tokenizer = ClipTokenizer.load(point.tokenizerMerges(), loaded.manifest().config().vocabSize());
            HeldOutResults results = evaluator.evaluate(loaded.model(), tokenizer::tokenizeBatch,
                    data.evaluationPool(), session.manager());
            baselineResults = Optional.of(new PoolResults(point.version(), pool, results));
            return Optional.of(new Guardrail.Baseline(point.version(), results));
        }
    }

    private void announce(StoredCheckpoint stored) {
        try {
            announcer.announce(stored.toRecord());
        } catch (CheckpointAnnouncer.AnnouncementException e) {
            // Stored all the same; the next start re-announces the checkpoint it resumes from.
            LOG.errorf(e, "Version %s is stored but not announced", stored.version());
        }
    }

    /** The version the next checkpoint continues, or null before the first. */
    String parent() {
        return parent;
    }
}
