package io.clipstream.model.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
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
    void aStagedVersionIsInvisibleUntilPublishedAndAFailedOneNeverAppears() throws Exception {
        ArtifactStore store = ArtifactStore.open(root.toString());
        Path staged = store.newStagingDirectory();
        Files.writeString(staged.resolve("weights.safetensors"), "half");
        assertEquals(List.of(), store.versions(), "staging is never a version");
        assertFalse(store.locate("1").isPresent());
        // A write that fails midway (ENOSPC from /dev/full, also for root) leaves the version unpublished.
        Files.createSymbolicLink(staged.resolve("manifest.json"), Path.of("/dev/full"));
        assertThrows(IOException.class, () -> Files.writeString(staged.resolve("manifest.json"), "{}"));
        assertEquals(List.of(), store.versions());
        Files.delete(staged.resolve("manifest.json"));
        Files.writeString(staged.resolve("manifest.json"), "{}");
        store.publish("1", staged);
        assertEquals(List.of("1"), store.versions());
        assertEquals("half", Files.readString(store.locate("1").orElseThrow().resolve("weights.safetensors")));
    }

    @Test
    void deleteRemovesAVersionAsAWholeAndLeavesTheOthers() throws Exception {
        ArtifactStore store = ArtifactStore.open(root.toString());
        publish(store, "1");
        publish(store, "2");
        assertTrue(store.delete("1"));
        assertFalse(store.delete("1"), "gone");
        assertEquals(List.of("2"), store.versions());
        try (var left = Files.list(root.resolve(".staging"))) {
            assertEquals(List.of(), left.toList(), "nothing of version 1 is left behind");
        }
        assertThrows(IllegalArgumentException.class, () -> store.delete("../2"));
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
