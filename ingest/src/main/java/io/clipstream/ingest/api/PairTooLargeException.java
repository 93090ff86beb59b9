package io.clipstream.ingest.api;

import io.clipstream.http.HttpError;
import jakarta.ws.rs.core.Response;

/** An upload no record of pairs.raw can hold: answered with 413 (a retry cannot succeed) and this message. */
public final class PairTooLargeException extends HttpError {
    public PairTooLargeException(String message) {
        super(Response.Status.REQUEST_ENTITY_TOO_LARGE, message);
    }
}
