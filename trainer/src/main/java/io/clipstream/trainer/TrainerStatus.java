package io.clipstream.trainer;

import io.clipstream.schemas.CheckpointStatus;
import java.time.Instant;
import java.util.Map;

/**
 * A training run at one moment, for {@code GET /trainer/status} and the gauges.
 *
 * @param state where the run is
 * @param failure why it failed, or null
 * @param origin how the session started (resumed, imported, scratch), or null while starting
 * @param device where the model trains
 * @param precision what it computes in ({@code clipstream.trainer.precision}): {@code fp32}, or {@code bf16} /
 *     {@code fp16} mixed precision (float32 master weights)
 * @param step optimiser steps taken
 * @param samplesSeen fresh pairs trained on
 * @param replayedSamples replayed pairs trained on
 * @param loss the last step's loss (null, like the other per-step values, before the first step)
 * @param logitScale the last step's exp(logit_scale)
 * @param learningRate the last step's learning rate
 * @param gradientNorm the last step's gradient norm before clipping
 * @param samplesPerSecond pairs per second over the last steps (fresh and replayed)
 * @param stepSeconds device time of a step over the last steps
 * @param inputWaitSeconds time a step waited for its batch over the last steps (0 when input keeps up)
 * @param modelFlopsUtilization model FLOP/s over the device's peak (null before the first step)
 * @param peakFlops the device's peak FLOP/s the utilisation is measured against (null until measured)
 * @param consumerLag pairs on the topic not yet read, or -1 when unknown
 * @param pendingPairs pairs read but not yet trained on (shuffle buffer), as of the last batch
 * @param replayPairs pairs in the replay reservoir, as of the last batch
 * @param evaluationPairs pairs in the evaluation pool, as of the last batch
 * @param undecodableRecords records skipped as unreadable since start
 * @param skippedSteps batches not applied because their loss was not finite, since start
 * @param lastCheckpoint the newest checkpoint of this run or the one it resumed, or null
 * @param checkpointFailures checkpoints that could not be stored: how many in a row, the last error, the next try
 * @param skippedVersions newer versions than the one resumed that did not verify at start-up, with why
 */
public record TrainerStatus(RunState state, String failure, String origin, String device, String precision, long step,
        long samplesSeen, long replayedSamples, Double loss, Double logitScale, Double learningRate,
        Double gradientNorm, double samplesPerSecond, double stepSeconds, double inputWaitSeconds,
        Double modelFlopsUtilization, Double peakFlops, long consumerLag, int pendingPairs, int replayPairs,
        int evaluationPairs, long undecodableRecords, long skippedSteps, LastCheckpoint lastCheckpoint,
        CheckpointFailures checkpointFailures, Map<String, String> skippedVersions) {

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
