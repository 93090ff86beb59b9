package io.clipstream.model.serve;

import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The model versions a service encodes with because records or requests name them (the classifier's label prompts,
 * search's queries): each loaded on first sight from the artifact store (SHA-256 verified by the loader), the few
 * most recently used kept. A version that cannot be loaded is
 * remembered as unavailable for a while, so its embeddings are rejected without re-reading the store each time.
 */
public final class ModelVersions implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(ModelVersions.class);
    private static final int REMEMBERED_FAILURES = 256;

    /** Loads one version ({@code CheckpointResolver::loadVersion}). */
    @FunctionalInterface
    public interface Loader {
        ServedModel load(String version) throws IOException;
    }

    private record Failure(String message, Instant retryAt) {
    }

    private final Loader loader;
    private final LeasedLru<String, ServedModel> loaded;
    private final Duration retryAfter;
    private final Clock clock;
    private final Map<String, Failure> failures = new LinkedHashMap<>() {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, Failure> eldest) {
            return size() > REMEMBERED_FAILURES;
        }
    };

    public ModelVersions(Loader loader, int capacity, Duration retryAfter, Clock clock) {
        this.loader = loader;
        this.loaded = new LeasedLru<>("model versions", capacity);
        this.retryAfter = retryAfter;
        this.clock = clock;
    }

    /**
     * The served model of {@code version}, loaded if needed.
     *
     * @throws ModelVersionUnavailableException when it cannot be loaded (now or within the retry period)
     */
    public LeasedLru.Lease<ServedModel> acquire(String version) {
        synchronized (failures) {
            Failure failure = failures.get(version);
            if (failure != null && clock.instant().isBefore(failure.retryAt())) {
                throw new ModelVersionUnavailableException(version, failure.message(), null);
            }
        }
        try {
            return loaded.acquire(version, model -> true, this::load);
        } catch (ModelVersionUnavailableException e) {
            synchronized (failures) {
                failures.put(version, new Failure(e.getMessage(), clock.instant().plus(retryAfter)));
            }
            throw e;
        }
    }

    /** Versions loaded now, least recently used first. */
    public List<String> loadedVersions() {
        return loaded.keys();
    }

    private ServedModel load(String version) {
        long start = System.nanoTime();
        ServedModel model;
        try {
            model = loader.load(version);
        } catch (IOException | RuntimeException e) {
            LOG.warn("model version {} cannot be loaded: {}", version, e.toString());
            throw new ModelVersionUnavailableException(version, "model version " + version + " cannot be loaded: "
                    + (e.getMessage() == null ? e.toString() : e.getMessage()), e);
        }
        try {
            if (!version.equals(model.version())) {
                throw new IllegalStateException("the store's checkpoint for model version " + version
                        + " says it is version " + model.version());
            }
            model.requireTokenizer();
        } catch (RuntimeException e) {
            model.close();
            throw new ModelVersionUnavailableException(version, e.getMessage(), e);
        }
        if (LOG.isInfoEnabled()) {
            LOG.info(String.format("loaded the text encoder of model version %s (embeddings of %d dimensions, logit scale"
                    + " %.2f) in %d ms", version, model.config().embedDim(), model.model().logitScale(),
                    (System.nanoTime() - start) / 1_000_000));
        }
        return model;
    }

    @Override
    public void close() {
        loaded.close();
    }
}
