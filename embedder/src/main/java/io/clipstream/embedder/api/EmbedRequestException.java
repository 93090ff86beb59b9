package io.clipstream.embedder.api;

import io.clipstream.http.HttpError;
import jakarta.ws.rs.core.Response;

/** A request the embedder cannot use: answered with 400 and this message. */
public final class EmbedRequestException extends HttpError {
    public EmbedRequestException(String message) {
        super(Response.Status.BAD_REQUEST, message);
    }
}
