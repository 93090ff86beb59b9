package io.clipstream.trainer.checkpoint;

import io.clipstream.schemas.Checkpoint;

/** Tells the platform about a stored checkpoint (the checkpoints topic, key = model version). */
@FunctionalInterface
public interface CheckpointAnnouncer {

    /** Returns once the announcement is durable; throws when it could not be made. */
    void announce(Checkpoint checkpoint) throws AnnouncementException;

    /** The announcement did not reach the topic; the checkpoint itself is stored and is announced again on restart. */
    final class AnnouncementException extends Exception {
        public AnnouncementException(String message, Throwable cause) {
            super(message, cause);
        }
    }
}
