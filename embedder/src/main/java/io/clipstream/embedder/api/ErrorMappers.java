package io.clipstream.embedder.api;

import io.clipstream.embedder.NoModelException;
import io.clipstream.http.ErrorAnswers;
import io.vertx.core.http.HttpServerRequest;
import jakarta.ws.rs.NotSupportedException;
import jakarta.ws.rs.core.HttpHeaders;
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

    /** Says what the embedder takes, where the shared answer could only name the type it does not. */
    @ServerExceptionMapper
    public Response unsupportedMediaType(NotSupportedException e, HttpServerRequest request) {
        return ErrorAnswers.error(Response.Status.UNSUPPORTED_MEDIA_TYPE, "unsupported Content-Type \""
                + request.getHeader(HttpHeaders.CONTENT_TYPE) + "\": send images as "
                + "multipart/form-data with \"image\" parts or as the body with an image/* type, texts as a JSON list");
    }
}
