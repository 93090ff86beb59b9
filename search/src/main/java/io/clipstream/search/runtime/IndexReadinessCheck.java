package io.clipstream.search.runtime;

import io.clipstream.search.index.VectorStore;
import io.clipstream.search.stream.EmbeddingIndexer;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;

/** Ready once the index is open and the indexer reads the stream; the data says how much is searchable. */
@Readiness
@ApplicationScoped
public class IndexReadinessCheck implements HealthCheck {

    private final VectorStore index;
    private final EmbeddingIndexer indexer;

    public IndexReadinessCheck(VectorStore index, EmbeddingIndexer indexer) {
        this.index = index;
        this.indexer = indexer;
    }

    @Override
    public HealthCheckResponse call() {
        EmbeddingIndexer.Status status = indexer.status();
        return HealthCheckResponse.named("Search index").status(status.alive() && !status.state().equals("STARTING"))
                .withData("documents", index.documents())
                .withData("indexer", status.state())
                .build();
    }
}
