package io.clipstream.cli.rollout;

import io.clipstream.cli.checkpoints.CheckpointLog;
import io.clipstream.schemas.Checkpoint;
import io.clipstream.schemas.CheckpointStatus;

/**
 * What the trainer said about a version: it must be announced and have passed the guardrail. The trainer only
 * builds on PASSED checkpoints too, so a version still UNEVALUATED is refused like a REJECTED one.
 */
final class AnnouncementCheck {

    private AnnouncementCheck() {
    }

    /** The announcement of {@code version}, if it may be served. */
    static Checkpoint passed(CheckpointLog log, String topic, String version) throws RolloutRefused {
        Checkpoint checkpoint = log.find(version).orElseThrow(() -> new RolloutRefused(version,
                "no such checkpoint on " + topic + "; announced: "
                        + log.ordered().stream().map(Checkpoint::getVersion).toList()));
        if (checkpoint.getStatus() == CheckpointStatus.REJECTED) {
            throw new RolloutRefused(version, "the trainer's guardrail REJECTED it: "
                    + (checkpoint.getStatusReason() == null ? "no reason given" : checkpoint.getStatusReason()));
        }
        if (checkpoint.getStatus() != CheckpointStatus.PASSED) {
            throw new RolloutRefused(version, "its status is " + checkpoint.getStatus()
                    + "; only checkpoints that PASSED the trainer's guardrail are served");
        }
        return checkpoint;
    }
}
