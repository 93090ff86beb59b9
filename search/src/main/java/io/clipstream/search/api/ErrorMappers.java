package io.clipstream.search.api;

import io.clipstream.http.ErrorAnswers;
import io.clipstream.model.serve.ModelVersionUnavailableException;
import io.clipstream.search.SearchService;
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
}
