package io.clipstream.trainer;

import static io.clipstream.schemas.CheckpointStatus.PASSED;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.clipstream.model.checkpoint.Checkpoints;
import io.clipstream.model.store.ArtifactStore;
import io.clipstream.trainer.checkpoint.TinyVersions;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A power loss can leave the newest version of the store truncated (its files not yet on the disk when the rename
 * was): the trainer starts from the newest version that verifies, naming the versions it skipped, instead of refusing
 * to start; with no version that verifies, it refuses rather than start over from scratch.
 */
class TrainStartFallbackTest {

    private static final String TOPIC = TinyVersions.TOPIC;

    @Test
    void resumesFromTheNewestVersionThatVerifiesAndNamesTheSkippedOnes(@TempDir Path root) throws Exception {
        ArtifactStore store = ArtifactStore.open(root.resolve("store").toString());
        TinyVersions.write(store, root, List.of(PASSED, PASSED, PASSED));
        TinyVersions.truncate(store.locate("3").orElseThrow().resolve(Checkpoints.MANIFEST_FILE));
        TinyVersions.truncate(store.locate("2").orElseThrow().resolve(Checkpoints.WEIGHTS_FILE));

        try (TrainingSession session = TrainingSession.open(new TestSettings(TOPIC).build(), store, () -> {
            throw new AssertionError("a resume reads no captions");
        }, () -> false)) {
            assertEquals(TrainingSession.Origin.RESUMED, session.origin());
            assertEquals("1", session.resumedFrom().orElseThrow().version());
            assertEquals(List.of("3", "2"), List.copyOf(session.skippedVersions().keySet()));
            assertTrue(session.skippedVersions().get("2").contains("SHA-256"), session.skippedVersions().toString());
        }
    }

    @Test
    void deletesWhatACrashLeftInStaging(@TempDir Path root) throws Exception {
        ArtifactStore store = ArtifactStore.open(root.resolve("store").toString());
        TinyVersions.write(store, root, List.of(PASSED));
        Path unfinished = store.newStagingDirectory();
        Files.write(unfinished.resolve(Checkpoints.WEIGHTS_FILE), new byte[1 << 20]); // killed while writing

        try (TrainingSession session = TrainingSession.open(new TestSettings(TOPIC).build(), store, () -> {
            throw new AssertionError("a resume reads no captions");
        }, () -> false)) {
            assertEquals("1", session.resumedFrom().orElseThrow().version());
        }
        assertFalse(Files.exists(unfinished), "the unfinished checkpoint is gone");
        assertEquals(List.of("1"), store.versions());
    }

    @Test
    void refusesToStartOverWhenNoVersionVerifies(@TempDir Path root) throws Exception {
        ArtifactStore store = ArtifactStore.open(root.resolve("store").toString());
        TinyVersions.write(store, root, List.of(PASSED, PASSED));
        TinyVersions.truncate(store.locate("1").orElseThrow().resolve(Checkpoints.WEIGHTS_FILE));
        TinyVersions.truncate(store.locate("2").orElseThrow().resolve(Checkpoints.MANIFEST_FILE));

        IOException e = assertThrows(IOException.class, () -> TrainingSession.open(new TestSettings(TOPIC).build(),
                store, () -> {
                    throw new AssertionError("never from scratch over a store of checkpoints");
                }, () -> false).close());
        assertTrue(e.getMessage().contains("version 2") && e.getMessage().contains("version 1"), e.getMessage());
    }
}
