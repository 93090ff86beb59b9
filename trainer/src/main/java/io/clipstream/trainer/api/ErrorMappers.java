package io.clipstream.trainer.api;

import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.util.Map;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

/** Every HTTP error says what was wrong, as {@code {"error": "..."}}. */
public class ErrorMappers {

    @ServerExceptionMapper
    public Response unavailable(TrainerUnavailableException e) {
        return Response.status(Response.Status.CONFLICT).type(MediaType.APPLICATION_JSON)
                .entity(Map.of("error", e.getMessage() == null ? e.toString() : e.getMessage())).build();
    }
}
