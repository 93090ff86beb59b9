package io.clipstream.search.api;

import io.clipstream.http.ErrorAnswers;
import io.clipstream.model.serve.ModelVersionUnavailableException;
import io.clipstream.search.SearchService;
import io.vertx.core.http.HttpServerRequest;
import jakarta.ws.rs.NotSupportedException;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.Response;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

/** Search's own errors as {@code {"error": "..."}}; {@link ErrorAnswers} (shared by every service) maps the rest. */
public class ErrorMappers {

    @ServerExceptionMapper
    public Response badQuery(SearchService.BadQueryException e) {
        return ErrorAnswers.error(Response.Status.BAD_REQUEST, e.getMessage());
    }

    @ServerExceptionMapper
    public Response noSuchVersion(SearchService.NoSuchVersionException e) {
        return ErrorAnswers.error(Response.Status.NOT_FOUND, e.getMessage());
    }

    /** The model version cannot embed the query now (not in the store, not servable, no tokenizer). */
    @ServerExceptionMapper
    public Response versionUnavailable(ModelVersionUnavailableException e) {
        return ErrorAnswers.error(Response.Status.SERVICE_UNAVAILABLE, e.getMessage());
    }

    @ServerExceptionMapper
    public Response unsupportedMediaType(NotSupportedException e, HttpServerRequest request) {
        return ErrorAnswers.error(Response.Status.UNSUPPORTED_MEDIA_TYPE, "unsupported Content-Type \""
                + request.getHeader(HttpHeaders.CONTENT_TYPE) + "\": send the query image as the body with an image/* "
                + "type, or as multipart/form-data with one \"image\" part");
    }
}
