package io.clipstream.model.checkpoint;

import java.io.IOException;

/** A checkpoint file whose content is not what its manifest says (hash mismatch, missing file). */
public final class CheckpointIntegrityException extends IOException {

    public CheckpointIntegrityException(String message) {
        super(message);
    }
}
