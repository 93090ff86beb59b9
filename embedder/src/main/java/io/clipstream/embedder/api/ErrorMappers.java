package io.clipstream.embedder.api;

import io.clipstream.embedder.NoModelException;
import jakarta.ws.rs.NotSupportedException;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.util.Map;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

/** Every HTTP error says what was wrong, as {@code {"error": "..."}}. */
public class ErrorMappers {

    @ServerExceptionMapper
    public Response badRequest(EmbedRequestException e) {
        return error(Response.Status.BAD_REQUEST, e.getMessage());
    }

    @ServerExceptionMapper
    public Response noModel(NoModelException e) {
        return error(Response.Status.SERVICE_UNAVAILABLE, e.getMessage());
    }

    @ServerExceptionMapper
    public Response unsupportedMediaType(NotSupportedException e) {
        return error(Response.Status.UNSUPPORTED_MEDIA_TYPE, "unsupported Content-Type: send images as "
                + "multipart/form-data with \"image\" parts or as the body with an image/* type, texts as a JSON list");
    }

    static Response error(Response.Status status, String message) {
        return Response.status(status).type(MediaType.APPLICATION_JSON).entity(Map.of("error", message)).build();
    }
}
