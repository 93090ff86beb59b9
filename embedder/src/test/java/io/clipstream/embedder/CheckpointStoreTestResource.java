package io.clipstream.embedder;

import io.clipstream.model.store.ArtifactStore;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.Map;
import java.util.stream.Stream;

/**
 * An artifact store in a temp folder, made before the application starts: random {@code tiny} checkpoints "1" and
 * "2", and "3" whose weights do not match their SHA-256. The watched rollout file names the version given as init
 * argument {@code initial} ("" for none).
 */
public class CheckpointStoreTestResource implements QuarkusTestResourceLifecycleManager {

    public static final String INITIAL = "initial";

    private String initial = "1";
    private Path root;

    @Override
    public void init(Map<String, String> initArgs) {
        initial = initArgs.getOrDefault(INITIAL, initial);
    }

    @Override
    public Map<String, String> start() {
        try {
            root = Files.createTempDirectory("clipstream-embedder-test-");
            ArtifactStore store = ArtifactStore.open(root.resolve("store").toString());
            TestCheckpoints.publish(store, "1", "tiny");
            TestCheckpoints.publish(store, "2", "tiny");
            TestCheckpoints.publishCorrupt(store, "3", "tiny");
            Path rollout = root.resolve("rollout.env");
            TestCheckpoints.writeRollout(rollout, initial);
            return Map.of(
                    "clipstream.model.store", root.resolve("store").toUri().toString(),
                    "clipstream.model.checkpoint-file", rollout.toString());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void stop() {
        if (root == null) {
            return;
        }
        try (Stream<Path> paths = Files.walk(root)) {
            for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(path);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
