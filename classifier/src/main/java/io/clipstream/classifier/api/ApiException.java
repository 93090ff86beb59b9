package io.clipstream.classifier.api;

import jakarta.ws.rs.core.Response;

/** A request the API answers with {@code status} and this message as {@code {"error": ...}}. */
public final class ApiException extends RuntimeException {

    private final Response.Status status;

    public ApiException(Response.Status status, String message) {
        super(message);
        this.status = status;
    }

    public ApiException(Response.Status status, String message, Throwable cause) {
        super(message, cause);
        this.status = status;
    }

    public Response.Status status() {
        return status;
    }
}
