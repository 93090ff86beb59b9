package io.clipstream.ingest.api;

import io.clipstream.http.HttpError;
import jakarta.ws.rs.core.Response;

/** A malformed upload: answered with 400 and this message. */
public final class UploadException extends HttpError {
    public UploadException(String message) {
        super(Response.Status.BAD_REQUEST, message);
    }
}
