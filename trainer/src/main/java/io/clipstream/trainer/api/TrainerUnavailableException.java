package io.clipstream.trainer.api;

import io.clipstream.http.HttpError;
import jakarta.ws.rs.core.Response;

/** The trainer cannot do what was asked now (starting, stopped, failed, or the work failed): answered with 409. */
public final class TrainerUnavailableException extends HttpError {
    public TrainerUnavailableException(String message, Throwable cause) {
        super(Response.Status.CONFLICT, message, cause);
    }
}
