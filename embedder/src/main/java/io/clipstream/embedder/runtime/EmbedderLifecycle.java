package io.clipstream.embedder.runtime;

import io.clipstream.embedder.ActiveModel;
import io.clipstream.embedder.CheckpointWatcher;
import io.clipstream.embedder.ModelConfig;
import io.clipstream.embedder.stream.EmbeddingPipeline;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

/**
 * Starts the checkpoint watcher (the first load runs in the background: the service is up, not ready) and the
 * stream (which reads nothing until a model is active); on shutdown stops the stream first, so that what it read
 * is embedded and committed while the model is still there.
 */
@ApplicationScoped
public class EmbedderLifecycle {

    private final CheckpointWatcher watcher;
    private final EmbeddingPipeline pipeline;
    private final ActiveModel active;
    private final ModelConfig config;

    public EmbedderLifecycle(CheckpointWatcher watcher, EmbeddingPipeline pipeline, ActiveModel active,
            ModelConfig config) {
        this.watcher = watcher;
        this.pipeline = pipeline;
        this.active = active;
        this.config = config;
    }

    void start(@Observes StartupEvent event) {
        watcher.start(config.watchInterval());
        pipeline.start();
    }

    void stop(@Observes ShutdownEvent event) throws InterruptedException {
        pipeline.close();
        watcher.close();
        active.close();
    }
}
