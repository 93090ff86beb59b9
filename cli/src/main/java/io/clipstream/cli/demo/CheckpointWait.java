package io.clipstream.cli.demo;

import io.clipstream.schemas.Checkpoint;
import io.clipstream.schemas.CheckpointMetrics;
import io.clipstream.schemas.CheckpointStatus;
import java.util.Optional;

/**
 * Picks the checkpoint to roll out from the trainer's announcements: the first one at or past the training budget.
 * One the trainer's own evaluation REJECTED is not rolled out; the demo stops and says why rather than serve it.
 */
final class CheckpointWait {

    private final long budgetSteps;

    CheckpointWait(long budgetSteps) {
        this.budgetSteps = budgetSteps;
    }

    /** The checkpoint to roll out, if {@code announced} is it. */
    Optional<Checkpoint> offer(Checkpoint announced) {
        if (announced.getStep() < budgetSteps) {
            return Optional.empty();
        }
        if (announced.getStatus() == CheckpointStatus.REJECTED) {
            throw new DemoFailure("The trainer rejected checkpoint " + announced.getVersion() + " (step "
                    + announced.getStep() + "): " + (announced.getStatusReason() == null ? "no reason given"
                            : announced.getStatusReason()) + ". Not rolling it out; try more --steps.");
        }
        return Optional.of(announced);
    }

    /** The training loss recorded with a checkpoint, if any. */
    static Double loss(Checkpoint checkpoint) {
        Double loss = checkpoint.getMetrics().get(CheckpointMetrics.TRAIN_LOSS);
        return loss != null && Double.isFinite(loss) ? loss : null;
    }
}
