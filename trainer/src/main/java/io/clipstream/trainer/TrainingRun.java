package io.clipstream.trainer;

import io.clipstream.model.ClipConfig;
import io.clipstream.model.ModelFlops;
import io.clipstream.model.store.ArtifactStore;
import io.clipstream.model.train.NonFiniteLossException;
import io.clipstream.model.train.PairBatch;
import io.clipstream.model.train.StepResult;
import io.clipstream.trainer.checkpoint.CheckpointAnnouncer;
import io.clipstream.trainer.checkpoint.Checkpointer;
import io.clipstream.trainer.checkpoint.StoredCheckpoint;
import io.clipstream.trainer.data.Batch;
import io.clipstream.trainer.data.PairCodec;
import io.clipstream.trainer.data.PairSource;
import io.clipstream.trainer.data.StreamPair;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Function;
import java.util.function.Supplier;
import org.jboss.logging.Logger;

/**
 * One continual training run: a training thread that owns the model (open the session, step, checkpoint) and a
 * feeder thread that prepares the next batches meanwhile. Operators pause, resume and ask for checkpoints from any
 * thread; everything that touches the model runs on the training thread, between two steps.
 *
 * <p>Exactness: every checkpoint saves the data state of the last batch trained on (read positions, pending pairs,
 * replay reservoir, evaluation pool), so a run that resumes from it trains every later pair of the topic exactly
 * once, and nothing before it again. Batches prepared but not yet trained are simply read again.
 */
public final class TrainingRun {

    private static final Logger LOG = Logger.getLogger(TrainingRun.class);
    /**
     * At DEBUG, one line per step applied: its number and the ids of its fresh pairs (quarkus.log.category.
     * "io.clipstream.trainer.steps".level=DEBUG). The fault suite accounts for every pair trained from it.
     */
    private static final Logger STEPS = Logger.getLogger("io.clipstream.trainer.steps");
    /** Batches in a row whose loss is not finite before the run gives up: a diverged model, not a bad batch. */
    private static final int MAX_NON_FINITE_IN_A_ROW = 10;
    private static final Duration POLL = Duration.ofMillis(100);

    private final TrainerSettings settings;
    private final ArtifactStore store;
    private final Supplier<PairSource> sources;
    private final TrainingListener listener;
    private final RunParts parts;
    private final RunProgress progress;
    private final BlockingQueue<Command<?>> commands = new LinkedBlockingQueue<>();
    private final Thread thread;

    private volatile boolean paused;
    private volatile boolean stopRequested;
    private volatile boolean checkpointOnStop;
    private volatile BatchFeeder feeder;
    private volatile PairSource input;
    /** Set while a requested checkpoint waits or runs: at most one is pending. */
    private final AtomicReference<Instant> checkpointRequested = new AtomicReference<>();

    // Training thread only.
    private TrainingSession session;
    private Checkpointer checkpointer;
    private long checkpointedStep;
    private long checkpointedAt;
    /** When a failed periodic checkpoint may be tried again (System.nanoTime), or null. */
    private Long retryAt;

    /**
     * @param sources opens a fresh, unpositioned reader of the pairs topic (one for the run, one more to sample
     *     captions when a vocabulary has to be trained)
     * @param startPaused wait for {@link #resume} before the first step
     */
    public TrainingRun(TrainerSettings settings, ArtifactStore store, Supplier<PairSource> sources,
            CheckpointAnnouncer announcer, TrainingListener listener, boolean startPaused) {
        this.settings = settings;
        this.store = store;
        this.sources = sources;
        this.listener = listener;
        this.parts = new RunParts(settings, store, announcer, listener);
        this.progress = new RunProgress(settings.training().precision().label());
        this.paused = startPaused;
        this.thread = Thread.ofPlatform().name("trainer").unstarted(this::run);
    }

    public void start() {
        thread.start();
    }

    public void pause() {
        paused = true;
    }

    public void resume() {
        paused = false;
    }

    /**
     * Evaluates, stores and announces a checkpoint now (even with no step since the last: a request is honoured).
     *
     * @throws CheckpointPendingException while an earlier request is still waiting or running: requests do not queue
     */
    public CompletableFuture<StoredCheckpoint> checkpoint() {
        Instant now = Instant.now();
        if (!checkpointRequested.compareAndSet(null, now)) {
            throw new CheckpointPendingException(checkpointRequested.get());
        }
        CompletableFuture<StoredCheckpoint> result = onTrainingThread(s -> {
            progress.state(RunState.CHECKPOINTING);
            try {
                return checkpointNow();
            } catch (IOException e) {
                checkpointFailed(e);
                throw new UncheckedIOException(e);
            }
        });
        result.whenComplete((stored, error) -> checkpointRequested.compareAndSet(now, null));
        return result;
    }

    /**
     * Runs {@code work} with the session on the training thread between two steps (while paused too), e.g. to look
     * at the weights at a known step.
     */
    public <T> CompletableFuture<T> onTrainingThread(Function<TrainingSession, T> work) {
        Command<T> command = new Command<>(work);
        RunState now = progress.state();
        if (now == RunState.STARTING || now == RunState.STOPPED || now == RunState.FAILED || stopRequested) {
            String failure = progress.failure();
            command.fail(new IllegalStateException("The trainer is " + (stopRequested ? "stopping" : now)
                    + (failure == null ? "" : " (" + failure + ")") + ": nothing to do that on"));
            return command.result;
        }
        commands.add(command);
        if (!thread.isAlive()) {
            failPendingCommands(); // it ended between the check and the add
        }
        return command.result;
    }

    /** Work for the training thread and the future of its result. */
    private record Command<T>(Function<TrainingSession, T> work, CompletableFuture<T> result) {
        Command(Function<TrainingSession, T> work) {
            this(work, new CompletableFuture<>());
        }

        void run(TrainingSession session) {
            try {
                result.complete(work.apply(session));
            } catch (RuntimeException e) {
                result.completeExceptionally(e);
            }
        }

        void fail(Throwable why) {
            result.completeExceptionally(why);
        }
    }

    /**
     * Stops the run and waits for it: the step in progress finishes, then (when {@code checkpoint} and something was
     * trained since the last) a last checkpoint is written. Without it, the run is abandoned as a crash would leave
     * it: the next start resumes from the last checkpoint and trains again what came after.
     */
    public void stop(boolean checkpoint, Duration timeout) throws InterruptedException {
        checkpointOnStop = checkpoint;
        stopRequested = true;
        BatchFeeder running = feeder;
        if (running != null) {
            running.stop();
        }
        if (thread.isAlive() && !thread.join(timeout)) {
            LOG.warnf("The trainer did not stop within %s", timeout);
        }
    }

    public RunState state() {
        return progress.state();
    }

    public TrainerStatus status() {
        return progress.snapshot(input, feeder);
    }

    private void run() {
        BlockingQueue<PreparedBatch> queue = new ArrayBlockingQueue<>(settings.prefetch());
        Thread feederThread = null;
        try {
            session = TrainingSession.open(settings, store, sources, () -> stopRequested);
            if (stopRequested) {
                progress.state(RunState.STOPPED);
                return;
            }
            progress.opened(session);
            progress.peakFlops(parts.peakFlops(session));
            PairCodec codec = new PairCodec(session.model().config().imageSize());
            checkpointer = parts.checkpointer(session, codec);
            session.resumedFrom().ifPresent(checkpointer::reannounce);
            checkpointedStep = progress.steps();
            input = sources.get();
            input.seek(session.data().positions());
            feeder = parts.feeder(session, input, codec, queue, progress.steps());
            feederThread = Thread.ofPlatform().name("trainer-feeder").daemon().start(feeder);
            if (stopRequested) {
                feeder.stop();
            }
            loop(queue);
            progress.state(RunState.STOPPED);
        } catch (Throwable e) {
            progress.failed(e);
            LOG.error("Training stopped by an error", e);
        } finally {
            shutDown(feederThread, queue);
        }
    }

    private void loop(BlockingQueue<PreparedBatch> queue) throws IOException, InterruptedException {
        checkpointedAt = System.nanoTime();
        progress.waitFrom(System.nanoTime());
        int nonFiniteInARow = 0;
        while (!stopRequested) {
            runCommands();
            if (feeder.failure() != null) {
                throw new IllegalStateException("The batch feeder failed: " + feeder.failure(), feeder.failure());
            }
            if (paused) {
                progress.state(RunState.PAUSED);
                Command<?> command = commands.poll(POLL.toMillis(), TimeUnit.MILLISECONDS);
                if (command != null) {
                    command.run(session);
                }
                progress.waitFrom(System.nanoTime()); // a pause is not input wait
                continue;
            }
            PreparedBatch next = queue.poll(POLL.toMillis(), TimeUnit.MILLISECONDS);
            if (next == null) {
                progress.state(RunState.WAITING_FOR_PAIRS);
                checkpointIfDue();
                continue;
            }
            progress.state(RunState.TRAINING);
            long received = System.nanoTime();
            Batch batch = next.batch();
            StepResult result;
            try (next) {
                PairBatch tensors = next.tensors();
                result = session.trainer().step(tensors.pixels(), tensors.tokenIds());
                nonFiniteInARow = 0;
                long done = System.nanoTime();
                record(batch, result, tensors.tokenIds().getShape().get(1), received, done);
            } catch (NonFiniteLossException e) {
                progress.skipped(batch);
                listener.stepSkipped(batch, e.getMessage());
                LOG.warnf("Batch %d skipped: %s", batch.sequence(), e.getMessage());
                if (++nonFiniteInARow >= MAX_NON_FINITE_IN_A_ROW) {
                    throw new IllegalStateException(MAX_NON_FINITE_IN_A_ROW + " batches in a row had no finite loss:"
                            + " the model diverged; resume from the last checkpoint with a lower learning rate", e);
                }
                continue;
            }
            checkpointIfDue();
        }
        runCommands();
        if (checkpointOnStop && progress.steps() > checkpointedStep) {
            progress.state(RunState.CHECKPOINTING);
            checkpointNow();
        }
    }

    private void record(Batch batch, StepResult result, long textLength, long received, long done) {
        double flops = stepFlops(session.model().config(), batch.size(), textLength);
        Duration inputWait = progress.stepped(batch, result, flops, received, done);
        if (STEPS.isDebugEnabled()) {
            String fresh = String.join(",", batch.fresh().stream().map(StreamPair::pairId).toList());
            STEPS.debugf("step=%d fresh=%s replayed=%d", (Object) result.step(), fresh, (Object) batch.replayed().size());
        }
        listener.stepped(batch, result, Duration.ofNanos(done - received), inputWait);
    }

    /**
     * Model FLOPs of a training step, as for MFU (PaLM, appendix B): three times the forward matrix products of both
     * towers (backward costs two forwards), text rows as long as the batch's tensor; recomputation does not count.
     */
    static double stepFlops(ClipConfig config, long rows, long tokens) {
        return 3.0 * rows * (ModelFlops.image(config) + ModelFlops.text(config, (int) tokens));
    }

    /**
     * A periodic checkpoint when one is due. One that cannot be stored (disk full) is tried again after a backoff while
     * training goes on: the next checkpoint that is stored holds everything trained meanwhile.
     */
    private void checkpointIfDue() {
        long now = System.nanoTime();
        Duration since = Duration.ofNanos(now - checkpointedAt);
        if (settings.checkpoints().due(progress.steps() - checkpointedStep, since)
                && (retryAt == null || now - retryAt >= 0)) {
            progress.state(RunState.CHECKPOINTING);
            try {
                checkpointNow();
            } catch (IOException | UncheckedIOException e) {
                checkpointFailed(e);
            }
        }
    }

    private void checkpointFailed(Exception e) {
        TrainerSettings.Retry retry = settings.checkpoints().retry();
        Duration backoff = retry.backoff(progress.checkpointFailuresInARow() + 1);
        retryAt = System.nanoTime() + backoff.toNanos();
        Instant now = Instant.now();
        Throwable cause = e instanceof UncheckedIOException && e.getCause() != null ? e.getCause() : e;
        String error = cause.getMessage() == null ? cause.toString()
                : cause.getClass().getSimpleName() + ": " + cause.getMessage();
        int inARow = progress.checkpointFailed(error, now, now.plus(backoff), retry.unhealthyAfter());
        LOG.errorf(e, "Checkpoint failed (%d in a row; tried again in %s%s): nothing was published", inARow, backoff,
                inARow >= retry.unhealthyAfter() ? "; the trainer now reports itself not live" : "");
        listener.checkpointFailed(error);
    }

    private StoredCheckpoint checkpointNow() throws IOException {
        Checkpointer.Checkpointed checkpointed = checkpointer.checkpoint(session, progress.forCheckpoint());
        StoredCheckpoint stored = checkpointed.stored();
        checkpointedStep = progress.steps();
        checkpointedAt = System.nanoTime();
        retryAt = null;
        progress.checkpointed(stored);
        progress.waitFrom(checkpointedAt); // checkpoint time is neither input wait nor training
        listener.checkpointed(stored, checkpointed.evaluation(), checkpointed.total());
        return stored;
    }

    private void runCommands() {
        for (Command<?> command = commands.poll(); command != null; command = commands.poll()) {
            RunState before = progress.state();
            command.run(session);
            progress.state(before);
        }
    }

    private void shutDown(Thread feederThread, BlockingQueue<PreparedBatch> queue) {
        if (feeder != null) {
            feeder.stop();
        }
        try {
            if (feederThread != null) {
                feederThread.join(Duration.ofSeconds(30));
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        for (PreparedBatch left = queue.poll(); left != null; left = queue.poll()) {
            left.close(); // read again after a restart, from the checkpoint's positions
        }
        failPendingCommands();
        if (input != null) {
            input.close();
        }
        if (session != null) {
            session.close();
        }
    }

    /** Requests that came too late for the training thread get an answer rather than a future that never ends. */
    private void failPendingCommands() {
        List<Command<?>> left = new ArrayList<>();
        commands.drainTo(left);
        for (Command<?> command : left) {
            command.fail(new IllegalStateException("The trainer stopped (" + progress.state()
                    + ") before it got to this"));
        }
    }
}
