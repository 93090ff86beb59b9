package io.clipstream.trainer.data;

/** A record on the pairs topic the trainer cannot use; it is counted, logged and skipped, never fatal. */
public final class UndecodablePairException extends Exception {

    public UndecodablePairException(String message, Throwable cause) {
        super(message, cause);
    }
}
