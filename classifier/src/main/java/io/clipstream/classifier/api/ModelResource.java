package io.clipstream.classifier.api;

import io.clipstream.classifier.ModelConfig;
import io.clipstream.http.auth.Roles;
import io.clipstream.model.serve.CheckpointSource;
import io.clipstream.model.serve.ModelVersions;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import java.io.IOException;
import java.util.List;
import java.util.Optional;

/**
 * Which model versions the classifier serves: the rolled-out one it follows (and {@code POST /classify} answers
 * with), and those whose text encoders are loaded now (an embedding names its version; during a canary two are).
 */
@Path("/model")
@Produces(MediaType.APPLICATION_JSON)
@RolesAllowed(Roles.CLIENT)
public class ModelResource {

    /**
     * @param rolledOutVersion the version the rollout names, or null
     * @param origin           where it is named, or null
     * @param loadedVersions   versions loaded now, least recently used first
     * @param readError        why the rollout file cannot be read, or null
     * @param howToRollOut     where to name one
     * @param precision        what the towers compute in ({@code clipstream.model.precision}: fp32, bf16, fp16)
     */
    public record Status(String rolledOutVersion, String origin, List<String> loadedVersions, String readError,
            String howToRollOut, String precision) {
    }

    private final ModelVersions versions;
    private final CheckpointSource rollout;
    private final String precision;

    public ModelResource(ModelVersions versions, ModelConfig model) {
        this.versions = versions;
        this.rollout = new CheckpointSource(model.checkpoint(), model.checkpointFile(), model.checkpointSha256());
        this.precision = model.effectivePrecision().label();
    }

    @GET
    public Status status() {
        Optional<CheckpointSource.Requested> requested = Optional.empty();
        String error = null;
        try {
            requested = rollout.requested();
        } catch (IOException e) {
            error = "cannot read the rollout file: " + e.getMessage();
        }
        return new Status(requested.map(CheckpointSource.Requested::reference).orElse(null),
                requested.map(CheckpointSource.Requested::origin).orElse(null), versions.loadedVersions(), error,
                rollout.howToConfigure(), precision);
    }
}
