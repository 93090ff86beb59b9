package io.clipstream.embedder.runtime;

import io.clipstream.embedder.stream.EmbeddingPipeline;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.HealthCheckResponseBuilder;
import org.eclipse.microprofile.health.Liveness;

/**
 * Alive while the stream threads run: if one ends unexpectedly nothing more is embedded, and a restart is the cure.
 * A consumer recovering from a broker error is alive (it retries by itself).
 */
@Liveness
@ApplicationScoped
public class StreamLivenessCheck implements HealthCheck {

    private final EmbeddingPipeline pipeline;

    public StreamLivenessCheck(EmbeddingPipeline pipeline) {
        this.pipeline = pipeline;
    }

    @Override
    public HealthCheckResponse call() {
        EmbeddingPipeline.Status status = pipeline.status();
        HealthCheckResponseBuilder response = HealthCheckResponse.named("Image stream").status(status.alive())
                .withData("state", status.state())
                .withData("assignedPartitions", status.assignment().size())
                .withData("queued", status.queued())
                .withData("inFlight", status.inFlight());
        if (status.lastError() != null) {
            response.withData("lastError", status.lastError());
        }
        return response.build();
    }
}
