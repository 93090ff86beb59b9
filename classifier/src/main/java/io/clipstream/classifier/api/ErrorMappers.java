package io.clipstream.classifier.api;

import io.clipstream.classifier.labelset.InvalidLabelSetException;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.util.Map;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

/** Every HTTP error says what was wrong, as {@code {"error": "..."}}. */
public class ErrorMappers {

    @ServerExceptionMapper
    public Response invalidLabelSet(InvalidLabelSetException e) {
        return error(Response.Status.BAD_REQUEST, e.getMessage());
    }

    @ServerExceptionMapper
    public Response api(ApiException e) {
        return error(e.status(), e.getMessage());
    }

    static Response error(Response.Status status, String message) {
        return Response.status(status).type(MediaType.APPLICATION_JSON).entity(Map.of("error", message)).build();
    }
}
