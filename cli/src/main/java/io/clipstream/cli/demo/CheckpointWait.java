package io.clipstream.cli.demo;

import io.clipstream.schemas.Checkpoint;
import io.clipstream.schemas.CheckpointMetrics;
import io.clipstream.schemas.CheckpointStatus;
import java.util.Optional;

/**
 * Picks the checkpoint to roll out from the trainer's announcements: the first one at or past the training budget.
 * One the trainer's own evaluation REJECTED is not rolled out: the newest earlier one that PASSED is, as an operator
 * would keep serving the last good version; with none, the demo stops and says why rather than serve it.
 */
final class CheckpointWait {

    private final long budgetSteps;
    private Checkpoint newestPassed;

    CheckpointWait(long budgetSteps) {
        this.budgetSteps = budgetSteps;
    }

    /** The checkpoint to roll out, once {@code announced} reaches the budget. */
    Optional<Choice> offer(Checkpoint announced) {
        if (announced.getStep() < budgetSteps) {
            if (announced.getStatus() == CheckpointStatus.PASSED) {
                newestPassed = announced;
            }
            return Optional.empty();
        }
        if (announced.getStatus() == CheckpointStatus.REJECTED) {
            String why = "the trainer rejected checkpoint " + announced.getVersion() + " (step " + announced.getStep()
                    + "): " + (announced.getStatusReason() == null ? "no reason given" : announced.getStatusReason());
            if (newestPassed == null) {
                throw new DemoFailure("The t" + why.substring(1) + ". No earlier checkpoint passed; not rolling "
                        + "it out. Try more --steps.");
            }
            return Optional.of(new Choice(newestPassed, why + "; rolling out " + newestPassed.getVersion()
                    + " (step " + newestPassed.getStep() + "), the newest that passed"));
        }
        return Optional.of(new Choice(announced, null));
    }

    /** The checkpoint to roll out, and why it is not the one at the budget when it is not. */
    record Choice(Checkpoint checkpoint, String fallback) {
    }

    /** The training loss recorded with a checkpoint, if any. */
    static Double loss(Checkpoint checkpoint) {
        Double loss = checkpoint.getMetrics().get(CheckpointMetrics.TRAIN_LOSS);
        return loss != null && Double.isFinite(loss) ? loss : null;
    }
}
