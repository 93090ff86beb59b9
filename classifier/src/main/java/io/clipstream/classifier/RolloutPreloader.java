package io.clipstream.classifier;

import io.clipstream.classifier.scoring.LabelEmbeddingCache;
import io.clipstream.classifier.scoring.LabelEmbeddings;
import io.clipstream.model.serve.CheckpointSource;
import io.clipstream.model.serve.LeasedLru;
import io.clipstream.model.serve.ModelVersionUnavailableException;
import io.clipstream.model.serve.ModelVersions;
import io.clipstream.model.serve.PeriodicTask;
import io.clipstream.model.serve.ServedModel;
import io.clipstream.schemas.LabelSet;
import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Supplier;
import org.jboss.logging.Logger;

/**
 * Follows the rollout as the embedder does ({@link CheckpointSource}: the rollout file, else the configuration) and
 * loads every newly requested model version into {@link ModelVersions} ahead of its embeddings, with the label
 * embeddings of the current label sets, so the stream thread finds them ready instead of spending seconds on the
 * first batch of that version. Only a head start: a version that fails here is still tried lazily by the stream
 * thread, and nothing (readiness included) waits for it.
 */
public final class RolloutPreloader implements AutoCloseable {

    private static final Logger LOG = Logger.getLogger(RolloutPreloader.class);

    private final CheckpointSource source;
    private final ModelVersions versions;
    private final LabelEmbeddingCache labelEmbeddings;
    private final Supplier<List<LabelSet>> labelSets;
    private final int maxLabelSets;
    /** One check at a time (tests call {@link #check()} directly); not the monitor {@link #close()} holds. */
    private final Object checking = new Object();
    /** The version whose model and label embeddings are preloaded: not touched again until another is requested. */
    private String preloaded;
    /** The version whose model is loaded, for one log line per version. */
    private String modelLoaded;
    /** The version (with its error) last reported as failed, for one log line per version. */
    private String failed;
    private String lastReadError;
    private PeriodicTask ticks;

    /**
     * @param labelSets    the current label sets; may throw while the label-set store is not ready (tried next tick)
     * @param maxLabelSets at most this many label sets get embeddings ahead: more would evict the ones built first
     *                     (the label embedding cache's size)
     */
    public RolloutPreloader(CheckpointSource source, ModelVersions versions, LabelEmbeddingCache labelEmbeddings,
            Supplier<List<LabelSet>> labelSets, int maxLabelSets) {
        this.source = source;
        this.versions = versions;
        this.labelEmbeddings = labelEmbeddings;
        this.labelSets = labelSets;
        this.maxLabelSets = maxLabelSets;
    }

    /** Checks now, then every {@code interval}, on a daemon thread of its own. */
    public synchronized void start(Duration interval) {
        if (ticks != null) {
            throw new IllegalStateException("already started");
        }
        ticks = PeriodicTask.start("clipstream-rollout-preloader", interval, this::check);
    }

    /** Preloads the requested version unless done already; a failed one is tried again on the next call. */
    void check() {
        synchronized (checking) {
            checkNow();
        }
    }

    private void checkNow() {
        Optional<CheckpointSource.Requested> requested;
        try {
            requested = source.requested();
            lastReadError = null;
        } catch (IOException e) {
            String error = "cannot read the rollout file: " + e;
            if (!error.equals(lastReadError)) {
                LOG.warn(error);
                lastReadError = error;
            }
            return;
        }
        if (requested.isEmpty() || requested.get().reference().equals(preloaded)) {
            return;
        }
        preload(requested.get().reference(), requested.get().origin());
    }

    private void preload(String version, String origin) {
        try (LeasedLru.Lease<ServedModel> model = versions.acquire(version)) {
            if (!version.equals(modelLoaded)) {
                LOG.infof("model version %s (%s) preloaded", version, origin);
                modelLoaded = version;
                failed = null;
            }
            if (preloadLabelEmbeddings(model.value())) {
                preloaded = version;
            }
        } catch (RuntimeException | LinkageError e) {
            // ModelVersionUnavailableException included: ModelVersions logged the cause and retries after its
            // unavailable-version period; a linkage error (the engine cannot start) is tried again next tick.
            String error = version + ": " + e;
            if (!error.equals(failed)) {
                LOG.warnf("model version %s (%s) cannot be preloaded, tried again later (and by the stream on its "
                        + "first embedding): %s", version, origin,
                        e instanceof ModelVersionUnavailableException ? e.getMessage() : e.toString());
                failed = error;
            }
        }
    }

    /** Builds the label embeddings of the current label sets under {@code model}; false if the sets cannot be read yet. */
    private boolean preloadLabelEmbeddings(ServedModel model) {
        List<LabelSet> sets;
        try {
            sets = labelSets.get();
        } catch (RuntimeException e) {
            // The label-set store opens once Kafka Streams runs: at start-up this tick is early.
            LOG.debugf("label sets not readable yet: %s", e.getMessage());
            return false;
        }
        List<LabelSet> withLabels = sets.stream().filter(Objects::nonNull).filter(set -> !set.getLabels().isEmpty())
                .limit(maxLabelSets).toList();
        for (LabelSet set : withLabels) {
            try (LeasedLru.Lease<LabelEmbeddings> built = labelEmbeddings.acquire(set, model)) {
                LOG.debugf("label embeddings of %s (revision %d) under model version %s preloaded", set.getId(),
                        set.getRevision(), model.version());
            } catch (RuntimeException e) {
                // Not retried here: the stream builds them on first use and reports what fails there.
                LOG.warnf("label embeddings of %s under model version %s cannot be preloaded: %s", set.getId(),
                        model.version(), e);
            }
        }
        if (!withLabels.isEmpty()) {
            LOG.infof("label embeddings of %d label sets under model version %s preloaded", withLabels.size(),
                    model.version());
        }
        return true;
    }

    @Override
    public synchronized void close() throws InterruptedException {
        if (ticks != null) {
            ticks.close();
        }
    }
}
