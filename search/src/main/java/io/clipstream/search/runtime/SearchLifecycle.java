package io.clipstream.search.runtime;

import io.clipstream.search.stream.EmbeddingIndexer;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

/** Starts the indexer; on shutdown stops it first, so that what it read is committed before the index closes. */
@ApplicationScoped
public class SearchLifecycle {

    private final EmbeddingIndexer indexer;

    public SearchLifecycle(EmbeddingIndexer indexer) {
        this.indexer = indexer;
    }

    void start(@Observes StartupEvent event) {
        indexer.start();
    }

    void stop(@Observes ShutdownEvent event) throws InterruptedException {
        indexer.close();
    }
}
