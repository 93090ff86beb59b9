package io.clipstream.classifier.api;

import io.clipstream.classifier.labelset.InvalidLabelSetException;
import io.clipstream.http.ErrorAnswers;
import jakarta.ws.rs.core.Response;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

/**
 * The classifier's domain errors as HTTP answers; {@link ErrorAnswers} (shared by every service) maps the rest,
 * {@link ApiException} included.
 */
public class ErrorMappers {

    @ServerExceptionMapper
    public Response invalidLabelSet(InvalidLabelSetException e) {
        return ErrorAnswers.error(Response.Status.BAD_REQUEST, e.getMessage());
    }
}
