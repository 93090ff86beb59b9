package io.clipstream.classifier.api;

import io.clipstream.http.HttpError;
import jakarta.ws.rs.core.Response;

/** A request the API answers with {@code status} and this message as {@code {"error": ...}}. */
public final class ApiException extends HttpError {

    public ApiException(Response.Status status, String message) {
        super(status, message);
    }

    public ApiException(Response.Status status, String message, Throwable cause) {
        super(status, message, cause);
    }

    @Override
    public Response.Status status() {
        return (Response.Status) super.status();
    }
}
