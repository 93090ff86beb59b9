package io.clipstream.trainer.api;

import io.clipstream.http.auth.Roles;
import io.clipstream.http.HttpError;
import io.clipstream.model.store.ArtifactStore;
import io.clipstream.trainer.ModelConfig;
import io.clipstream.trainer.TrainerStatus;
import io.clipstream.trainer.TrainingRun;
import io.clipstream.trainer.checkpoint.CheckpointHistory;
import io.clipstream.trainer.checkpoint.StoredCheckpoint;
import io.clipstream.trainer.runtime.TrainerRunner;
import io.smallrye.common.annotation.Blocking;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.jboss.resteasy.reactive.RestQuery;

/** Operating the trainer: its status (clients), a checkpoint on request, pause and resume (operators). */
@Path("/trainer")
@Produces(MediaType.APPLICATION_JSON)
public class TrainerResource {

    /** Evaluating and storing a large model takes a while; the request waits for it. */
    private static final Duration CHECKPOINT_TIMEOUT = Duration.ofMinutes(10);

    /** Checkpoints listed at most, whatever {@code limit} asks. */
    static final int MAX_LISTED = 1000;

    private final TrainingRun run;
    private final ArtifactStore store;

    public TrainerResource(TrainerRunner runner, ModelConfig model) {
        this.run = runner.run();
        this.store = ArtifactStore.open(model.store());
    }

    @GET
    @Path("/status")
    @RolesAllowed(Roles.CLIENT)
    public TrainerStatus status() {
        return run.status();
    }

    /**
     * The checkpoints this trainer wrote that the store still holds, newest first (at most {@code limit}, default
     * 100): verdict and why, step, pairs seen, metrics. Read from their manifests, nothing is loaded.
     */
    @GET
    @Path("/checkpoints")
    @RolesAllowed(Roles.CLIENT)
    @Blocking
    public List<CheckpointHistory.Entry> checkpoints(@RestQuery String limit) throws IOException {
        int most = 100;
        if (limit != null && !limit.isBlank()) {
            try {
                most = Integer.parseInt(limit.strip());
            } catch (NumberFormatException e) {
                most = -1;
            }
            if (most < 1 || most > MAX_LISTED) {
                throw new HttpError(Response.Status.BAD_REQUEST, "limit must be a whole number from 1 to "
                        + MAX_LISTED + ", was '" + limit + "'");
            }
        }
        return CheckpointHistory.newest(store, most);
    }

    /**
     * Evaluates, stores and announces a checkpoint between two steps; answers with its announcement. While an earlier
     * request is pending, answers 429 at once (requests do not queue).
     */
    @POST
    @Path("/checkpoint")
    @RolesAllowed(Roles.OPERATOR)
    public CheckpointAnnouncement checkpoint() throws InterruptedException {
        try {
            StoredCheckpoint stored = run.checkpoint().get(CHECKPOINT_TIMEOUT.toSeconds(), TimeUnit.SECONDS);
            return CheckpointAnnouncement.of(stored);
        } catch (ExecutionException e) {
            throw new TrainerUnavailableException(e.getCause().getMessage(), e.getCause());
        } catch (TimeoutException e) {
            throw new TrainerUnavailableException("The checkpoint did not finish within " + CHECKPOINT_TIMEOUT
                    + "; it may still be written", e);
        }
    }

    /** Stops stepping after the current step; reading continues until the prefetch queue is full. */
    @POST
    @Path("/pause")
    @RolesAllowed(Roles.OPERATOR)
    public TrainerStatus pause() {
        run.pause();
        return run.status();
    }

    @POST
    @Path("/resume")
    @RolesAllowed(Roles.OPERATOR)
    public TrainerStatus resume() {
        run.resume();
        return run.status();
    }
}
