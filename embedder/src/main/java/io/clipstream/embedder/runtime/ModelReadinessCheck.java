package io.clipstream.embedder.runtime;

import io.clipstream.embedder.CheckpointWatcher;
import io.clipstream.embedder.ModelStatus;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.HealthCheckResponseBuilder;
import org.eclipse.microprofile.health.Readiness;

/**
 * Ready once a model serves. Without a checkpoint configured the embedder is not ready rather than serving random
 * weights. A failed switch keeps the old model and readiness UP, with the error beside the active version.
 */
@Readiness
@ApplicationScoped
public class ModelReadinessCheck implements HealthCheck {

    static final String NAME = "Embedding model";

    private final CheckpointWatcher watcher;

    public ModelReadinessCheck(CheckpointWatcher watcher) {
        this.watcher = watcher;
    }

    @Override
    public HealthCheckResponse call() {
        ModelStatus status = watcher.status();
        HealthCheckResponseBuilder response = HealthCheckResponse.named(NAME).status(status.serving())
                .withData("status", status.summary());
        with(response, "activeVersion", status.activeVersion());
        with(response, "activeCheckpoint", status.activeCheckpoint());
        with(response, "precision", status.precision());
        with(response, "requestedCheckpoint", status.requestedCheckpoint());
        with(response, "requestedBy", status.requestedBy());
        with(response, "loading", status.loading());
        with(response, "lastLoadError", status.lastLoadError());
        with(response, "lastLoadErrorTime", status.lastLoadErrorTime() == null ? null
                : status.lastLoadErrorTime().toString());
        return response.build();
    }

    private static void with(HealthCheckResponseBuilder response, String name, String value) {
        if (value != null) {
            response.withData(name, value);
        }
    }
}
