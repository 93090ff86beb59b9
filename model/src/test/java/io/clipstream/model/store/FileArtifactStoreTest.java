package io.clipstream.model.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FileArtifactStoreTest {

    @TempDir
    Path root;

    private void publish(ArtifactStore store, String version) throws Exception {
        Path staged = store.newStagingDirectory();
        Files.writeString(staged.resolve("manifest.json"), "{\"version\": \"" + version + "\"}");
        store.publish(version, staged);
    }

    @Test
    void publishesVersionsAtomicallyAndListsThemInNumericOrder() throws Exception {
        ArtifactStore store = ArtifactStore.open(root.toUri().toString());
        for (String v : List.of("2", "10", "1", "openai-vit-b-32")) {
            publish(store, v);
        }
        assertEquals(List.of("1", "2", "10", "openai-vit-b-32"), store.versions());
        assertEquals(Optional.of("openai-vit-b-32"), store.latest());
        Path ten = store.locate("10").orElseThrow();
        assertTrue(Files.readString(ten.resolve("manifest.json")).contains("\"10\""));
        assertEquals(ten.toUri(), store.uri("10"));
        assertFalse(store.locate("11").isPresent());
    }

    @Test
    void versionsAreImmutableAndNamesAreChecked() throws Exception {
        ArtifactStore store = ArtifactStore.open(root.toString());
        publish(store, "1");
        assertThrows(FileAlreadyExistsException.class, () -> publish(store, "1"));
        assertThrows(IllegalArgumentException.class, () -> store.locate("../etc"));
        assertThrows(IllegalArgumentException.class, () -> ArtifactStore.open("s3://bucket/x"));
    }
}
