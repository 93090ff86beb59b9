package io.clipstream.embedder.runtime;

import io.clipstream.embedder.stream.EmbeddingPipeline;
import io.clipstream.schemas.GroupJoined;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;

/** Ready once the consumer group has handed this replica its partitions (or none) since start: see GroupJoined. */
@Readiness
@ApplicationScoped
public class GroupReadinessCheck implements HealthCheck {

    private final EmbeddingPipeline pipeline;

    public GroupReadinessCheck(EmbeddingPipeline pipeline) {
        this.pipeline = pipeline;
    }

    @Override
    public HealthCheckResponse call() {
        EmbeddingPipeline.Status status = pipeline.status();
        return HealthCheckResponse.named(GroupJoined.CHECK_NAME).status(status.joined())
                .withData("state", status.state()).withData("assignedPartitions", status.assignment().size()).build();
    }
}
