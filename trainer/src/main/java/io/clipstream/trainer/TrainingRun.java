package io.clipstream.trainer;

import io.clipstream.model.ClipConfig;
import io.clipstream.model.ModelFlops;
import io.clipstream.model.image.ClipImageTransform;
import io.clipstream.model.store.ArtifactStore;
import io.clipstream.model.train.NonFiniteLossException;
import io.clipstream.model.train.PairBatch;
import io.clipstream.model.train.PairBatcher;
import io.clipstream.model.train.StepResult;
import io.clipstream.trainer.checkpoint.CheckpointAnnouncer;
import io.clipstream.trainer.checkpoint.CheckpointRetention;
import io.clipstream.trainer.checkpoint.CheckpointWriter;
import io.clipstream.trainer.checkpoint.Checkpointer;
import io.clipstream.trainer.checkpoint.ResumePoint;
import io.clipstream.trainer.checkpoint.StoredCheckpoint;
import io.clipstream.trainer.data.Batch;
import io.clipstream.trainer.data.BatchAssembler;
import io.clipstream.trainer.data.CaptionMix;
import io.clipstream.trainer.data.DataState;
import io.clipstream.trainer.data.HeldOutSplit;
import io.clipstream.trainer.data.PairCodec;
import io.clipstream.trainer.data.PairSource;
import io.clipstream.trainer.data.StreamPair;
import io.clipstream.trainer.eval.Evaluator;
import io.clipstream.trainer.eval.Guardrail;
import io.clipstream.trainer.eval.ZeroShotSuite;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
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
    private final CheckpointAnnouncer announcer;
    private final TrainingListener listener;
    private final BlockingQueue<Command<?>> commands = new LinkedBlockingQueue<>();
    private final ThroughputMeter meter = new ThroughputMeter();
    private final Thread thread;

    private volatile RunState state = RunState.STARTING;
    private volatile String failure;
    private volatile boolean paused;
    private volatile boolean stopRequested;
    private volatile boolean checkpointOnStop;
    private volatile String origin;
    private volatile String device;
    private volatile double peakFlops = Double.NaN;
    private volatile StepResult lastStep;
    private volatile long steps;
    private volatile long samplesSeen;
    private volatile long replayedSamples;
    private volatile long skippedSteps;
    private volatile DataState lastData;
    private volatile TrainerStatus.LastCheckpoint lastCheckpoint;
    private volatile BatchFeeder feeder;
    private volatile PairSource input;
    private volatile TrainerStatus.CheckpointFailures checkpointFailures = TrainerStatus.CheckpointFailures.NONE;
    private volatile Map<String, String> skippedVersions = Map.of();
    /** Set while a requested checkpoint waits or runs: at most one is pending. */
    private final AtomicReference<Instant> checkpointRequested = new AtomicReference<>();

    // Training thread only.
    private TrainingSession session;
    private Checkpointer checkpointer;
    private Long freshness;
    private long checkpointedStep;
    private long checkpointedAt;
    private long cycleStart;
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
        this.announcer = announcer;
        this.listener = listener;
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
            state = RunState.CHECKPOINTING;
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
        RunState now = state;
        if (now == RunState.STARTING || now == RunState.STOPPED || now == RunState.FAILED || stopRequested) {
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
        return state;
    }

    public TrainerStatus status() {
        StepResult step = lastStep;
        DataState data = lastData;
        BatchFeeder f = feeder;
        PairSource source = input;
        double peak = peakFlops;
        return new TrainerStatus(state, failure, origin, device, settings.training().precision().label(), steps, samplesSeen, replayedSamples,
                step == null ? null : (double) step.loss(), step == null ? null : (double) step.logitScale(),
                step == null ? null : step.learningRate(), step == null ? null : step.gradientNorm(),
                meter.samplesPerSecond(), meter.stepSeconds(), meter.inputWaitSeconds(),
                step == null || !(peak > 0) ? null : meter.flopsPerSecond() / peak, peak > 0 ? peak : null,
                source == null ? -1 : source.lag().orElse(-1), data == null ? 0 : data.pending().size(),
                data == null ? 0 : data.replay().size(), data == null ? 0 : data.evaluationPool().size(),
                f == null ? 0 : f.undecodable(), skippedSteps, lastCheckpoint, checkpointFailures, skippedVersions);
    }

    private void run() {
        BlockingQueue<PreparedBatch> queue = new ArrayBlockingQueue<>(settings.prefetch());
        Thread feederThread = null;
        try {
            session = TrainingSession.open(settings, store, sources, () -> stopRequested);
            if (stopRequested) {
                state = RunState.STOPPED;
                return;
            }
            ClipConfig config = session.model().config();
            origin = session.origin().name();
            skippedVersions = session.skippedVersions();
            device = session.model().device().toString();
            peakFlops = settings.peakFlops().orElseGet(() -> MatmulCeiling.measure(session.manager(), 1_000_000_000L,
                    settings.training().precision()));
            PairCodec codec = new PairCodec(config.imageSize());
            Evaluator evaluator = new Evaluator(settings.batch().batchSize(), settings.evaluationBatch(),
                    zeroShotSuites(config.imageSize()));
            checkpointer = new Checkpointer(store, new CheckpointWriter(store, codec), announcer, evaluator,
                    new Guardrail(settings.guardrail()), listener,
                    new CheckpointRetention(settings.checkpoints().retention()), session.resumedFrom());
            session.resumedFrom().ifPresent(point -> {
                checkpointer.reannounce(point);
                lastCheckpoint = describe(point);
            });
            steps = session.trainer().steps();
            checkpointedStep = steps;
            samplesSeen = session.samplesSeen();
            replayedSamples = session.replayedSamples();
            freshness = session.freshness();
            lastData = session.data();

            // Mixed with the step, so that a resumed run does not replay the draws of the run before.
            SplittableRandom random = new SplittableRandom(settings.seed() ^ (steps * 0x9E3779B97F4A7C15L));
            BatchAssembler assembler = new BatchAssembler(settings.batch(), new HeldOutSplit(settings.heldOutFraction()),
                    session.data(), random);
            input = sources.get();
            input.seek(session.data().positions());
            PairBatcher batcher = new PairBatcher(ClipImageTransform.openAi(config.imageSize()),
                    session.tokenizer()::tokenizeBatch).trimmingPadding();
            feeder = new BatchFeeder(input, codec, assembler, batcher, session.manager(), queue, settings.idleFlush(),
                    listener, new CaptionMix(settings.captionMix(), settings.seed()), steps);
            feederThread = Thread.ofPlatform().name("trainer-feeder").daemon().start(feeder);
            if (stopRequested) {
                feeder.stop();
            }
            loop(queue);
            state = RunState.STOPPED;
        } catch (Throwable e) {
            failure = e.toString();
            state = RunState.FAILED;
            LOG.error("Training stopped by an error", e);
        } finally {
            shutDown(feederThread, queue);
        }
    }

    private void loop(BlockingQueue<PreparedBatch> queue) throws IOException, InterruptedException {
        checkpointedAt = System.nanoTime();
        cycleStart = System.nanoTime();
        int nonFiniteInARow = 0;
        while (!stopRequested) {
            runCommands();
            if (feeder.failure() != null) {
                throw new IllegalStateException("The batch feeder failed: " + feeder.failure(), feeder.failure());
            }
            if (paused) {
                state = RunState.PAUSED;
                Command<?> command = commands.poll(POLL.toMillis(), TimeUnit.MILLISECONDS);
                if (command != null) {
                    command.run(session);
                }
                cycleStart = System.nanoTime(); // a pause is not input wait
                continue;
            }
            PreparedBatch next = queue.poll(POLL.toMillis(), TimeUnit.MILLISECONDS);
            if (next == null) {
                state = RunState.WAITING_FOR_PAIRS;
                checkpointIfDue();
                continue;
            }
            state = RunState.TRAINING;
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
                skippedSteps++;
                lastData = batch.after(); // its pairs are consumed either way; later checkpoints must not re-read them
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
        if (checkpointOnStop && steps > checkpointedStep) {
            state = RunState.CHECKPOINTING;
            checkpointNow();
        }
    }

    private void record(Batch batch, StepResult result, long textLength, long received, long done) {
        lastStep = result;
        steps = result.step();
        samplesSeen += batch.fresh().size();
        replayedSamples += batch.replayed().size();
        long newest = batch.newestFreshEventTime();
        if (!batch.fresh().isEmpty() && (freshness == null || newest > freshness)) {
            freshness = newest;
        }
        lastData = batch.after();
        double flops = stepFlops(session.model().config(), batch.size(), textLength);
        Duration stepTime = Duration.ofNanos(done - received);
        Duration inputWait = Duration.ofNanos(received - cycleStart);
        meter.record(batch.size(), flops, (done - cycleStart) / 1e9, stepTime.toNanos() / 1e9,
                inputWait.toNanos() / 1e9);
        cycleStart = done;
        if (STEPS.isDebugEnabled()) {
            String fresh = String.join(",", batch.fresh().stream().map(StreamPair::pairId).toList());
            STEPS.debugf("step=%d fresh=%s replayed=%d", (Object) result.step(), fresh, (Object) batch.replayed().size());
        }
        listener.stepped(batch, result, stepTime, inputWait);
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
        if (settings.checkpoints().due(steps - checkpointedStep, since) && (retryAt == null || now - retryAt >= 0)) {
            state = RunState.CHECKPOINTING;
            try {
                checkpointNow();
            } catch (IOException | UncheckedIOException e) {
                checkpointFailed(e);
            }
        }
    }

    private void checkpointFailed(Exception e) {
        TrainerSettings.Retry retry = settings.checkpoints().retry();
        TrainerStatus.CheckpointFailures before = checkpointFailures;
        int inARow = before.consecutive() + 1;
        Duration backoff = retry.backoff(inARow);
        retryAt = System.nanoTime() + backoff.toNanos();
        Instant now = Instant.now();
        Throwable cause = e instanceof UncheckedIOException && e.getCause() != null ? e.getCause() : e;
        String error = cause.getMessage() == null ? cause.toString()
                : cause.getClass().getSimpleName() + ": " + cause.getMessage();
        checkpointFailures = new TrainerStatus.CheckpointFailures(inARow, before.total() + 1, error, now,
                now.plus(backoff), inARow >= retry.unhealthyAfter());
        LOG.errorf(e, "Checkpoint failed (%d in a row; tried again in %s%s): nothing was published", inARow, backoff,
                inARow >= retry.unhealthyAfter() ? "; the trainer now reports itself not live" : "");
        listener.checkpointFailed(error);
    }

    private StoredCheckpoint checkpointNow() throws IOException {
        StepResult step = lastStep;
        StoredCheckpoint stored = checkpointer.checkpoint(session, new Checkpointer.Progress(samplesSeen, replayedSamples,
                freshness, lastData, step == null ? null : step.loss()));
        checkpointedStep = steps;
        checkpointedAt = System.nanoTime();
        retryAt = null;
        TrainerStatus.CheckpointFailures failures = checkpointFailures;
        if (failures.consecutive() > 0) {
            checkpointFailures = new TrainerStatus.CheckpointFailures(0, failures.total(), failures.lastError(),
                    failures.lastFailed(), null, false);
        }
        cycleStart = checkpointedAt; // checkpoint time is neither input wait nor training
        lastCheckpoint = new TrainerStatus.LastCheckpoint(stored.version(), stored.state().status(),
                stored.state().statusReason(), stored.state().step(), stored.manifest().created(),
                stored.manifest().metrics());
        return stored;
    }

    private void runCommands() {
        for (Command<?> command = commands.poll(); command != null; command = commands.poll()) {
            RunState before = state;
            command.run(session);
            state = before;
        }
    }

    private List<ZeroShotSuite> zeroShotSuites(int imageSize) throws IOException {
        List<ZeroShotSuite> suites = new ArrayList<>();
        for (TrainerSettings.ZeroShotSpec spec : settings.zeroShotSuites()) {
            suites.add(ZeroShotSuite.load(spec.name(), spec.index(), spec.images(), spec.templates(), spec.limit(),
                    imageSize));
        }
        return suites;
    }

    private static TrainerStatus.LastCheckpoint describe(ResumePoint point) {
        return new TrainerStatus.LastCheckpoint(point.version(), point.state().status(), point.state().statusReason(),
                point.state().step(), point.manifest().created(), point.manifest().metrics());
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
            command.fail(new IllegalStateException("The trainer stopped (" + state + ") before it got to this"));
        }
    }
}
