package io.clipstream.embedder.api;

import io.clipstream.embedder.NoModelException;
import io.clipstream.http.ErrorAnswers;
import jakarta.ws.rs.core.Response;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

/**
 * The embedder's own errors as HTTP answers; {@link ErrorAnswers} (shared by every service) maps the rest,
 * {@link EmbedRequestException} included.
 */
public class ErrorMappers {

    @ServerExceptionMapper
    public Response noModel(NoModelException e) {
        return ErrorAnswers.error(Response.Status.SERVICE_UNAVAILABLE, e.getMessage());
    }
}
