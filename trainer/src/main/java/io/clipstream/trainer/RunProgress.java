package io.clipstream.trainer;

import io.clipstream.model.checkpoint.CheckpointManifest;
import io.clipstream.model.train.StepResult;
import io.clipstream.trainer.checkpoint.Checkpointer;
import io.clipstream.trainer.checkpoint.StoredCheckpoint;
import io.clipstream.trainer.checkpoint.TrainerState;
import io.clipstream.trainer.data.Batch;
import io.clipstream.trainer.data.DataState;
import io.clipstream.trainer.data.PairSource;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;

/**
 * What a run has done so far: its state, counters, last step, throughput and checkpoints. Written by the training
 * thread only, read anywhere as a {@link TrainerStatus} snapshot.
 */
final class RunProgress {

    private final String precision;
    private final ThroughputMeter meter = new ThroughputMeter();

    private volatile RunState state = RunState.STARTING;
    private volatile String failure;
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
    private volatile TrainerStatus.CheckpointFailures checkpointFailures = TrainerStatus.CheckpointFailures.NONE;
    private volatile Map<String, String> skippedVersions = Map.of();

    // Training thread only.
    private Long freshness;
    /** When the wait for the next step began (System.nanoTime): the end of the last step, pause or checkpoint. */
    private long cycleStart;

    RunProgress(String precision) {
        this.precision = precision;
    }

    RunState state() {
        return state;
    }

    void state(RunState now) {
        state = now;
    }

    String failure() {
        return failure;
    }

    void failed(Throwable e) {
        failure = e.toString();
        state = RunState.FAILED;
    }

    long steps() {
        return steps;
    }

    /** Where the session starts from: its counters, data state and the checkpoint it resumed. */
    void opened(TrainingSession session) {
        origin = session.origin().name();
        skippedVersions = session.skippedVersions();
        device = session.model().device().toString();
        session.resumedFrom().ifPresent(point -> lastCheckpoint = describe(point.version(), point.state(),
                point.manifest()));
        steps = session.trainer().steps();
        samplesSeen = session.samplesSeen();
        replayedSamples = session.replayedSamples();
        freshness = session.freshness();
        lastData = session.data();
    }

    /** The device's peak FLOP/s, which the utilisation is measured against. */
    void peakFlops(double peak) {
        peakFlops = peak;
    }

    /** A pause or checkpoint ended at {@code now}: the time since is not input wait. */
    void waitFrom(long now) {
        cycleStart = now;
    }

    /**
     * A step applied: received its batch at {@code received}, done at {@code done} (System.nanoTime).
     *
     * @return how long it waited for its batch
     */
    Duration stepped(Batch batch, StepResult result, double flops, long received, long done) {
        lastStep = result;
        steps = result.step();
        samplesSeen += batch.fresh().size();
        replayedSamples += batch.replayed().size();
        long newest = batch.newestFreshEventTime();
        if (!batch.fresh().isEmpty() && (freshness == null || newest > freshness)) {
            freshness = newest;
        }
        lastData = batch.after();
        Duration inputWait = Duration.ofNanos(received - cycleStart);
        meter.record(batch.size(), flops, (done - cycleStart) / 1e9, (done - received) / 1e9,
                inputWait.toNanos() / 1e9);
        cycleStart = done;
        return inputWait;
    }

    /** A batch not applied: its pairs are consumed either way, so later checkpoints must not re-read them. */
    void skipped(Batch batch) {
        skippedSteps++;
        lastData = batch.after();
    }

    /** What a checkpoint now would hold. */
    Checkpointer.Progress forCheckpoint() {
        StepResult step = lastStep;
        return new Checkpointer.Progress(samplesSeen, replayedSamples, freshness, lastData,
                step == null ? null : step.loss());
    }

    void checkpointed(StoredCheckpoint stored) {
        TrainerStatus.CheckpointFailures failures = checkpointFailures;
        if (failures.consecutive() > 0) {
            checkpointFailures = new TrainerStatus.CheckpointFailures(0, failures.total(), failures.lastError(),
                    failures.lastFailed(), null, false);
        }
        lastCheckpoint = describe(stored.version(), stored.state(), stored.manifest());
    }

    /** @return the failures in a row, this one included */
    int checkpointFailed(String error, Instant at, Instant nextAttempt, int unhealthyAfter) {
        TrainerStatus.CheckpointFailures before = checkpointFailures;
        int inARow = before.consecutive() + 1;
        checkpointFailures = new TrainerStatus.CheckpointFailures(inARow, before.total() + 1, error, at, nextAttempt,
                inARow >= unhealthyAfter);
        return inARow;
    }

    int checkpointFailuresInARow() {
        return checkpointFailures.consecutive();
    }

    /**
     * @param input the reader of the pairs topic, or null before it is open
     * @param feeder the batch feeder, or null before it runs
     */
    TrainerStatus snapshot(PairSource input, BatchFeeder feeder) {
        StepResult step = lastStep;
        DataState data = lastData;
        double peak = peakFlops;
        return new TrainerStatus(
                new TrainerStatus.Run(state, failure, origin, device, precision),
                new TrainerStatus.Progress(steps, samplesSeen, replayedSamples),
                step == null ? TrainerStatus.LastStep.NONE : new TrainerStatus.LastStep((double) step.loss(),
                        (double) step.logitScale(), step.learningRate(), step.gradientNorm()),
                new TrainerStatus.Throughput(meter.samplesPerSecond(), meter.stepSeconds(), meter.inputWaitSeconds(),
                        step == null || !(peak > 0) ? null : meter.flopsPerSecond() / peak, peak > 0 ? peak : null),
                new TrainerStatus.Data(input == null ? -1 : input.lag().orElse(-1),
                        data == null ? 0 : data.pending().size(), data == null ? 0 : data.replay().size(),
                        data == null ? 0 : data.evaluationPool().size(), feeder == null ? 0 : feeder.undecodable(),
                        skippedSteps),
                new TrainerStatus.Checkpoints(lastCheckpoint, checkpointFailures, skippedVersions));
    }

    private static TrainerStatus.LastCheckpoint describe(String version, TrainerState state,
            CheckpointManifest manifest) {
        return new TrainerStatus.LastCheckpoint(version, state.status(), state.statusReason(), state.step(),
                manifest.created(), manifest.metrics());
    }
}
