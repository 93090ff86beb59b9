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
 */
public record TrainerStatus(RunState state, String failure, String origin, String device, long step,
        long samplesSeen, long replayedSamples, Double loss, Double logitScale, Double learningRate,
        Double gradientNorm, double samplesPerSecond, double stepSeconds, double inputWaitSeconds,
        Double modelFlopsUtilization, Double peakFlops, long consumerLag, int pendingPairs, int replayPairs,
        int evaluationPairs, long undecodableRecords, long skippedSteps, LastCheckpoint lastCheckpoint) {

    /** The newest checkpoint: its version, verdict, step and metrics. */
    public record LastCheckpoint(String version, CheckpointStatus status, String reason, long step, Instant created,
            Map<String, Double> metrics) {
    }
}
