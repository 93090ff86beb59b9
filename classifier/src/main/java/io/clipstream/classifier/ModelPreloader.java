package io.clipstream.classifier;

import io.clipstream.classifier.scoring.LeasedLru;
import io.clipstream.classifier.scoring.ModelVersionUnavailableException;
import io.clipstream.classifier.scoring.ModelVersions;
import io.clipstream.model.serve.ServedModel;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import org.jboss.logging.Logger;

/**
 * Loads the rolled-out model version ({@code clipstream.model.checkpoint}, set by the rollout manifest) at start-up
 * on a thread of its own, so the first embeddings of that version do not wait for the checkpoint to be read and
 * verified. Other versions still load on first sight.
 */
@ApplicationScoped
public class ModelPreloader {

    private static final Logger LOG = Logger.getLogger(ModelPreloader.class);

    void preload(@Observes StartupEvent started, ModelConfig model, ModelVersions versions) {
        model.checkpoint().filter(version -> !version.isBlank()).ifPresent(version ->
                Thread.ofPlatform().daemon().name("clipstream-model-preload").start(() -> {
                    try (LeasedLru.Lease<ServedModel> loaded = versions.acquire(version)) {
                        LOG.infof("model version %s preloaded", version);
                    } catch (ModelVersionUnavailableException e) {
                        LOG.warnf("the rolled-out model version cannot be preloaded: %s", e.getMessage());
                    }
                }));
    }
}
