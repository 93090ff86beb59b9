package io.clipstream.trainer.api;

import io.clipstream.trainer.CheckpointPendingException;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.util.Map;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

/** The trainer's one answer beyond the shared {@code HttpError} mapping: a pending checkpoint says since when. */
public class ErrorMappers {

    /** Checkpoint requests do not queue: one at a time (429, and when it began). */
    @ServerExceptionMapper
    public Response checkpointPending(CheckpointPendingException e) {
        return Response.status(Response.Status.TOO_MANY_REQUESTS).type(MediaType.APPLICATION_JSON)
                .header("Retry-After", "10")
                .entity(Map.of("error", e.getMessage(), "pendingSince", e.pendingSince().toString())).build();
    }
}
