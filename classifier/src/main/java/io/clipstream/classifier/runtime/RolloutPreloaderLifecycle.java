package io.clipstream.classifier.runtime;

import io.clipstream.classifier.ClassifierConfig;
import io.clipstream.classifier.ModelConfig;
import io.clipstream.classifier.RolloutPreloader;
import io.clipstream.classifier.labelset.LabelSetLimits;
import io.clipstream.classifier.scoring.LabelEmbeddingCache;
import io.clipstream.classifier.stream.LabelSetStore;
import io.clipstream.model.serve.CheckpointSource;
import io.clipstream.model.serve.ModelVersions;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

/**
 * Starts the {@link RolloutPreloader} with the application and stops it first on shutdown. Start-up does not wait
 * for any preload, and readiness does not depend on it: every version still loads on first sight.
 */
@ApplicationScoped
public class RolloutPreloaderLifecycle {

    private RolloutPreloader preloader;

    void start(@Observes StartupEvent started, ModelConfig model, ClassifierConfig classifier,
            ModelVersions versions, LabelEmbeddingCache labelEmbeddings, LabelSetStore labelSets) {
        LabelSetLimits limits = ClassifierConfig.labelSetLimits(classifier);
        // Only the sets the stream uses: one over a cap would cost the preloader as much as it would the stream.
        preloader = new RolloutPreloader(new CheckpointSource(model.checkpoint(), model.checkpointFile(), model.checkpointSha256()), versions,
                labelEmbeddings, () -> limits.admit(labelSets.all()).admitted(),
                ClassifierConfig.labelEmbeddingEntries(classifier) / Math.max(1, classifier.loadedVersions()));
        preloader.start(model.watchInterval());
    }

    void stop(@Observes ShutdownEvent stopping) throws InterruptedException {
        if (preloader != null) {
            preloader.close();
        }
    }
}
