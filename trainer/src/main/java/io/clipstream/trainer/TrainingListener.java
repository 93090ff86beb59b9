package io.clipstream.trainer;

import io.clipstream.model.train.StepResult;
import io.clipstream.trainer.checkpoint.StoredCheckpoint;
import io.clipstream.trainer.data.Batch;
import io.clipstream.trainer.data.BatchAssembler;
import java.time.Duration;

/** What a training run reports as it goes: metrics and tests listen. Called on the run's own threads. */
public interface TrainingListener {

    /** One record of the pairs topic was read (feeder thread). */
    default void pairRead(BatchAssembler.Outcome outcome) {
    }

    /** A step was applied (training thread). */
    default void stepped(Batch batch, StepResult result, Duration stepTime, Duration inputWait) {
    }

    /** A batch was not applied: its loss or gradient was not finite (training thread). */
    default void stepSkipped(Batch batch, String reason) {
    }

    /** A checkpoint could not be stored; nothing of it was published (training thread). */
    default void checkpointFailed(String error) {
    }

    /** A checkpoint was stored and announced (training thread). */
    default void checkpointed(StoredCheckpoint checkpoint, Duration evaluationTime, Duration totalTime) {
    }
}
