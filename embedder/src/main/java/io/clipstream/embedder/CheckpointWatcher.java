package io.clipstream.embedder;

import io.clipstream.model.serve.CheckpointSource;
import io.clipstream.model.serve.PeriodicTask;
import io.clipstream.model.serve.ServedModel;
import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.locks.ReentrantLock;
import org.jboss.logging.Logger;

/**
 * Keeps the active model on the checkpoint that is asked for. At start-up and on every tick it reads the
 * {@link CheckpointSource}; when that names another checkpoint than the one serving, it loads it (the SHA-256 of
 * every file verified, warmed up) on its own thread while the old model keeps serving, then switches between two
 * batches. A failed load leaves the old model serving and is reported in {@link #status()}; that checkpoint is
 * tried again after {@code retryInterval}, or at once on {@link #reload()}.
 */
public final class CheckpointWatcher implements AutoCloseable {

    private static final Logger LOG = Logger.getLogger(CheckpointWatcher.class);

    /** Loads and verifies a checkpoint by reference (against the manifest SHA-256 the rollout pins, if any). */
    @FunctionalInterface
    public interface Loader {
        ServedModel load(CheckpointSource.Requested requested) throws IOException;
    }

    /** Told about every load, for metrics. */
    public interface Listener {
        void loaded(String version, Duration took);

        void failed(String reference, Duration took);
    }

    private final CheckpointSource source;
    private final Loader loader;
    private final ActiveModel active;
    private final Duration retryInterval;
    private final Clock clock;
    private final Listener listener;
    /** One load at a time; status readers never wait for it. */
    private final ReentrantLock loadLock = new ReentrantLock();
    private volatile ModelStatus status;
    private String failedReference;
    private PeriodicTask ticks;

    public CheckpointWatcher(CheckpointSource source, Loader loader, ActiveModel active, Duration retryInterval,
            Clock clock, Listener listener) {
        this.source = source;
        this.loader = loader;
        this.active = active;
        this.retryInterval = retryInterval;
        this.clock = clock;
        this.listener = listener;
        this.status = ModelStatus.initial(source.howToConfigure());
    }

    public ModelStatus status() {
        return status;
    }

    /** Checks now, then every {@code interval}, on a thread of its own. */
    public synchronized void start(Duration interval) {
        if (ticks != null) {
            throw new IllegalStateException("already started");
        }
        ticks = PeriodicTask.start("checkpoint-watcher", interval, this::tick);
    }

    private void tick() {
        try {
            check();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Loads the requested checkpoint if it is not the one serving (a failed one only after the retry interval). */
    public ModelStatus check() throws InterruptedException {
        return apply(false);
    }

    /** Loads the requested checkpoint now, even if it is serving already (say, after its files were repaired). */
    public ModelStatus reload() throws InterruptedException {
        return apply(true);
    }

    private ModelStatus apply(boolean force) throws InterruptedException {
        loadLock.lockInterruptibly();
        try {
            Optional<CheckpointSource.Requested> requested;
            try {
                requested = source.requested();
            } catch (IOException e) {
                String error = "cannot read the checkpoint file: " + e;
                if (!error.equals(status.lastLoadError())) {
                    LOG.error(error);
                }
                status = status.failed(error, clock.instant());
                return status;
            }
            if (requested.isEmpty()) {
                status = status.requested(null, null);
                return status;
            }
            String reference = requested.get().reference();
            status = status.requested(reference, requested.get().origin());
            if (!force && reference.equals(status.activeCheckpoint())) {
                return status;
            }
            if (!force && reference.equals(failedReference) && status.lastLoadErrorTime() != null
                    && clock.instant().isBefore(status.lastLoadErrorTime().plus(retryInterval))) {
                return status;
            }
            return load(requested.get());
        } finally {
            loadLock.unlock();
        }
    }

    private ModelStatus load(CheckpointSource.Requested requested) throws InterruptedException {
        String reference = requested.reference();
        status = status.loading(reference);
        LOG.infof("loading checkpoint %s (%s)", reference, status.requestedBy());
        Instant start = clock.instant();
        ServedModel model;
        try {
            model = loader.load(requested);
        } catch (IOException | RuntimeException | LinkageError e) {
            // A linkage error (the engine's natives or classes missing) is reported like any failed load, not lost.
            Duration took = Duration.between(start, clock.instant());
            String error = "checkpoint " + reference + " could not be loaded: " + describe(e);
            LOG.error(error + (status.serving() ? "; model version " + status.activeVersion() + " keeps serving" : ""));
            failedReference = reference;
            status = status.failed(error, clock.instant());
            listener.failed(reference, took);
            return status;
        }
        active.activate(model);
        Duration took = Duration.between(start, clock.instant());
        failedReference = null;
        status = status.loaded(model.version(), reference, model.precision().label());
        LOG.infof("serving model version %s (checkpoint %s, loaded in %d ms)", model.version(), reference,
                took.toMillis());
        listener.loaded(model.version(), took);
        return status;
    }

    private static String describe(Throwable e) {
        // File-system messages carry the path and the reason; for the others the type says what went wrong.
        return e instanceof IOException && e.getMessage() != null && e.getClass().getName().startsWith("io.clipstream")
                ? e.getMessage() : e.getClass().getSimpleName() + ": " + e.getMessage();
    }

    @Override
    public synchronized void close() throws InterruptedException {
        if (ticks != null) {
            ticks.close();
        }
    }
}
