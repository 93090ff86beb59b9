package io.clipstream.search;

import io.clipstream.model.store.ArtifactStore;
import io.clipstream.model.store.StoredCheckpoints;
import io.clipstream.model.train.TinyClipTraining;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/**
 * Quarkus test resource: an artifact store holding the tiny CLIP trained on cats and dogs
 * ({@link TinyClipTraining#VERSION}), rolled out as the serving version.
 */
public class TrainedStoreTestResource implements QuarkusTestResourceLifecycleManager {

    @Override
    public Map<String, String> start() {
        try {
            Path root = Files.createTempDirectory("clipstream-search-store-");
            StoredCheckpoints.publishCopy(ArtifactStore.open(root.toString()), TinyClipTraining.checkpoint());
            return Map.of("clipstream.model.store", root.toUri().toString(),
                    "clipstream.model.checkpoint", TinyClipTraining.VERSION);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void stop() {
        // Temporary files: the JVM's temp folder is cleaned with the build.
    }
}
