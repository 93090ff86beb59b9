package io.clipstream.embedder.api;

import io.clipstream.embedder.CheckpointWatcher;
import io.clipstream.embedder.ModelStatus;
import io.clipstream.http.auth.Roles;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.util.Map;

/** The model serving now (clients), and a reload for operators (after repairing a checkpoint's files, say). */
@Path("/model")
@Produces(MediaType.APPLICATION_JSON)
public class ModelResource {

    private final CheckpointWatcher watcher;

    public ModelResource(CheckpointWatcher watcher) {
        this.watcher = watcher;
    }

    @GET
    @RolesAllowed(Roles.CLIENT)
    public ModelStatus status() {
        return watcher.status();
    }

    /** Loads the requested checkpoint now; 200 with the status when it serves, else 503 saying why not. */
    @POST
    @Path("/reload")
    @RolesAllowed(Roles.OPERATOR)
    public Response reload() throws InterruptedException {
        ModelStatus status = watcher.reload();
        boolean serving = status.serving() && status.lastLoadError() == null
                && status.requestedCheckpoint() != null && status.requestedCheckpoint().equals(status.activeCheckpoint());
        if (serving) {
            return Response.ok(status).build();
        }
        return Response.status(Response.Status.SERVICE_UNAVAILABLE).type(MediaType.APPLICATION_JSON)
                .entity(Map.of("error", status.summary(), "status", status)).build();
    }
}
