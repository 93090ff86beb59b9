package io.clipstream.trainer;

import com.fasterxml.jackson.annotation.JsonUnwrapped;
import io.clipstream.schemas.CheckpointStatus;
import java.time.Instant;
import java.util.Map;

/**
 * A training run at one moment, for {@code GET /trainer/status} and the gauges: its groups are unwrapped, so that
 * the JSON is one flat object, in the order of the groups and their fields.
 *
 * @param run where the run is and what it runs on
 * @param progress what it has trained
 * @param lastStep the last step's values
 * @param throughput how fast it trains
 * @param data the pairs around it: unread, pending, kept, skipped
 * @param checkpoints its newest checkpoint and the ones that failed or did not verify
 */
public record TrainerStatus(@JsonUnwrapped Run run, @JsonUnwrapped Progress progress, @JsonUnwrapped LastStep lastStep,
        @JsonUnwrapped Throughput throughput, @JsonUnwrapped Data data, @JsonUnwrapped Checkpoints checkpoints) {

    /**
     * @param state where the run is
     * @param failure why it failed, or null
     * @param origin how the session started (resumed, imported, scratch), or null while starting
     * @param device where the model trains
     * @param precision what it computes in ({@code clipstream.trainer.precision}): {@code fp32}, or {@code bf16} /
     *     {@code fp16} mixed precision (float32 master weights)
     */
    public record Run(RunState state, String failure, String origin, String device, String precision) {
    }

    /**
     * @param step optimiser steps taken
     * @param samplesSeen fresh pairs trained on
     * @param replayedSamples replayed pairs trained on
     */
    public record Progress(long step, long samplesSeen, long replayedSamples) {
    }

    /**
     * The last step's values, all null before the first step.
     *
     * @param loss its loss
     * @param logitScale its exp(logit_scale)
     * @param learningRate its learning rate
     * @param gradientNorm its gradient norm before clipping
     */
    public record LastStep(Double loss, Double logitScale, Double learningRate, Double gradientNorm) {
        public static final LastStep NONE = new LastStep(null, null, null, null);
    }

    /**
     * @param samplesPerSecond pairs per second over the last steps (fresh and replayed)
     * @param stepSeconds device time of a step over the last steps
     * @param inputWaitSeconds time a step waited for its batch over the last steps (0 when input keeps up)
     * @param modelFlopsUtilization model FLOP/s over the device's peak (null before the first step)
     * @param peakFlops the device's peak FLOP/s the utilisation is measured against (null until measured)
     */
    public record Throughput(double samplesPerSecond, double stepSeconds, double inputWaitSeconds,
            Double modelFlopsUtilization, Double peakFlops) {
    }

    /**
     * @param consumerLag pairs on the topic not yet read, or -1 when unknown
     * @param pendingPairs pairs read but not yet trained on (shuffle buffer), as of the last batch
     * @param replayPairs pairs in the replay reservoir, as of the last batch
     * @param evaluationPairs pairs in the evaluation pool, as of the last batch
     * @param undecodableRecords records skipped as unreadable since start
     * @param skippedSteps batches not applied because their loss was not finite, since start
     */
    public record Data(long consumerLag, int pendingPairs, int replayPairs, int evaluationPairs,
            long undecodableRecords, long skippedSteps) {
    }

    /**
     * @param lastCheckpoint the newest checkpoint of this run or the one it resumed, or null
     * @param checkpointFailures checkpoints that could not be stored: how many in a row, the last error, the next try
     * @param skippedVersions newer versions than the one resumed that did not verify at start-up, with why
     */
    public record Checkpoints(LastCheckpoint lastCheckpoint, CheckpointFailures checkpointFailures,
            Map<String, String> skippedVersions) {
    }

    /**
     * Checkpoints that could not be stored (disk full, store unreachable); nothing half-written is ever published.
     *
     * @param consecutive failures since the last checkpoint that was stored
     * @param total failures since start
     * @param lastError the last failure's message, or null
     * @param lastFailed when it happened, or null
     * @param nextAttempt when a periodic checkpoint is tried again, or null when none is failing
     * @param persistent whether the failures in a row reached the bound where the trainer reports itself not live
     */
    public record CheckpointFailures(int consecutive, long total, String lastError, Instant lastFailed,
            Instant nextAttempt, boolean persistent) {
        public static final CheckpointFailures NONE = new CheckpointFailures(0, 0, null, null, null, false);
    }

    /** The newest checkpoint: its version, verdict, step and metrics. */
    public record LastCheckpoint(String version, CheckpointStatus status, String reason, long step, Instant created,
            Map<String, Double> metrics) {
    }
}
