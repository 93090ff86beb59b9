package io.clipstream.search.runtime;

import io.clipstream.search.stream.EmbeddingIndexer;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.HealthCheckResponseBuilder;
import org.eclipse.microprofile.health.Liveness;

/** Alive while the indexer thread runs (it restarts its consumer by itself after an error). */
@Liveness
@ApplicationScoped
public class IndexerLivenessCheck implements HealthCheck {

    private final EmbeddingIndexer indexer;

    public IndexerLivenessCheck(EmbeddingIndexer indexer) {
        this.indexer = indexer;
    }

    @Override
    public HealthCheckResponse call() {
        EmbeddingIndexer.Status status = indexer.status();
        HealthCheckResponseBuilder response = HealthCheckResponse.named("Embedding indexer").status(status.alive())
                .withData("state", status.state())
                .withData("assignedPartitions", status.assignment().size())
                .withData("indexed", status.indexed())
                .withData("rejected", status.rejected());
        if (status.lastError() != null) {
            response.withData("lastError", status.lastError());
        }
        return response.build();
    }
}
