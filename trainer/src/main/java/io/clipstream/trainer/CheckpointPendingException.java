package io.clipstream.trainer;

import java.time.Instant;

/** A checkpoint was requested while an earlier request is still waiting or running: requests do not queue. */
public final class CheckpointPendingException extends RuntimeException {

    private final Instant pendingSince;

    public CheckpointPendingException(Instant pendingSince) {
        super("A checkpoint requested at " + pendingSince + " is still pending; ask again once it is done"
                + " (GET /trainer/status shows the last checkpoint)");
        this.pendingSince = pendingSince;
    }

    public Instant pendingSince() {
        return pendingSince;
    }
}
