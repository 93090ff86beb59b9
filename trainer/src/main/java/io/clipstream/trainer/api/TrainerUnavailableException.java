package io.clipstream.trainer.api;

/** The trainer cannot do what was asked now (starting, stopped, failed, or the work failed). */
public final class TrainerUnavailableException extends RuntimeException {

    public TrainerUnavailableException(String message, Throwable cause) {
        super(message, cause);
    }
}
