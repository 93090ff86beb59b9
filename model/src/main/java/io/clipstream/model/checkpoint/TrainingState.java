package io.clipstream.model.checkpoint;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;

/**
 * Where training stood when a checkpoint was written, so that it can continue exactly: the
 * optimiser steps and pairs seen so far, and the optimiser's state file (AdamW moments and step
 * count, safetensors) in the checkpoint directory with its SHA-256.
 *
 * @param step optimiser steps taken since the first training run of this lineage
 * @param samplesSeen image–text pairs trained on since then
 * @param optimizerFile file name of the optimiser state inside the directory, or null
 * @param optimizerSha256 lower-case hex SHA-256 of that file, filled in by {@link Checkpoints#save}
 */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonPropertyOrder({"step", "samples_seen", "optimizer_file", "optimizer_sha256"})
public record TrainingState(long step, long samplesSeen, String optimizerFile, String optimizerSha256) {

    public TrainingState {
        if (step < 0 || samplesSeen < 0) {
            throw new IllegalArgumentException("step and samples seen cannot be negative: " + step + ", "
                    + samplesSeen);
        }
    }

    /** A state to save: the hash is filled in by {@link Checkpoints#save}. */
    public static TrainingState of(long step, long samplesSeen, String optimizerFile) {
        return new TrainingState(step, samplesSeen, optimizerFile, null);
    }

    TrainingState withOptimizerSha256(String sha256) {
        return new TrainingState(step, samplesSeen, optimizerFile, sha256);
    }
}
