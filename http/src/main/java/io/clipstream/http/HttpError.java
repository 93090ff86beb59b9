package io.clipstream.http;

import jakarta.ws.rs.core.Response;

/**
 * A request a service answers with {@link #status()} and this message as {@code {"error": "..."}}; a service's own
 * exceptions for bad requests extend it, and {@link ErrorAnswers} maps them all.
 */
public class HttpError extends RuntimeException {

    private final Response.StatusType status;

    public HttpError(Response.StatusType status, String message) {
        super(message);
        this.status = status;
    }

    public HttpError(Response.StatusType status, String message, Throwable cause) {
        super(message, cause);
        this.status = status;
    }

    public Response.StatusType status() {
        return status;
    }
}
