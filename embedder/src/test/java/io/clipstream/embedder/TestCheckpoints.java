package io.clipstream.embedder;

import io.clipstream.model.checkpoint.Checkpoints;
import io.clipstream.model.store.ArtifactStore;
import io.clipstream.model.store.StoredCheckpoints;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;

/** Random-weight checkpoints in an artifact store, as the trainer would publish them. */
public final class TestCheckpoints {

    private TestCheckpoints() {
    }

    /** Publishes a checkpoint of {@code preset} with fresh random weights and OpenAI's tokenizer. */
    public static Path publish(ArtifactStore store, String version, String preset) throws IOException {
        return StoredCheckpoints.publishRandom(store, version, preset);
    }

    /** Publishes a checkpoint whose weights no longer match the SHA-256 in its manifest. */
    public static Path publishCorrupt(ArtifactStore store, String version, String preset) throws IOException {
        Path dir = publish(store, version, preset);
        Files.write(dir.resolve(Checkpoints.WEIGHTS_FILE), new byte[] {1}, StandardOpenOption.APPEND);
        return dir;
    }

    /** Writes the rollout file as the Kubernetes ConfigMap holds it; an empty version names none. */
    public static void writeRollout(Path file, String version) throws IOException {
        Path temp = Files.createTempFile(file.getParent(), ".rollout", ".tmp");
        Files.writeString(temp, "# the served checkpoint\nCLIPSTREAM_MODEL_CHECKPOINT=" + version + "\n",
                StandardCharsets.UTF_8);
        // Replaced in one step, as the kubelet swaps a mounted ConfigMap: a reader never sees half a file.
        Files.move(temp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }
}
