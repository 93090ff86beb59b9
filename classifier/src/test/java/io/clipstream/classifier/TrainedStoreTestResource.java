package io.clipstream.classifier;

import io.clipstream.model.store.ArtifactStore;
import io.clipstream.model.train.TinyClipTraining;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/**
 * Quarkus test resource: an artifact store holding the tiny CLIP trained on cats and dogs
 * ({@link TinyClipTraining#VERSION}), configured as the service's {@code clipstream.model.store}.
 */
public class TrainedStoreTestResource implements QuarkusTestResourceLifecycleManager {

    @Override
    public Map<String, String> start() {
        try {
            Path root = Files.createTempDirectory("clipstream-classifier-store-");
            TinyCheckpoints.publishCopy(ArtifactStore.open(root.toString()), TinyClipTraining.checkpoint());
            return Map.of("clipstream.model.store", root.toUri().toString());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void stop() {
        // Temporary files: the JVM's temp folder is cleaned with the build.
    }
}
