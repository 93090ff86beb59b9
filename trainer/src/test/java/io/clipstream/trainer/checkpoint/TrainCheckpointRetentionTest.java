package io.clipstream.trainer.checkpoint;

import static io.clipstream.schemas.CheckpointStatus.PASSED;
import static io.clipstream.schemas.CheckpointStatus.REJECTED;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.clipstream.model.checkpoint.Checkpoints;
import io.clipstream.model.store.ArtifactStore;
import io.clipstream.trainer.TrainerSettings;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Old checkpoints go; what a restart, the guardrail or a rollout still needs stays. */
class TrainCheckpointRetentionTest {

    @Test
    void keepsTheNewestThePassedTheResumeLineageAndTheRolledOutVersion(@TempDir Path root) throws Exception {
        ArtifactStore store = ArtifactStore.open(root.resolve("store").toString());
        // 1 P, 2 R, 3 P, 4 R, 5 P, 6 R, 7 R, 8 R: the guardrail's baseline for 8 is 5, through 7 and 6.
        TinyVersions.write(store, root, List.of(PASSED, REJECTED, PASSED, REJECTED, PASSED, REJECTED, REJECTED,
                REJECTED));
        Path imported = store.newStagingDirectory();
        Files.writeString(imported.resolve(Checkpoints.MANIFEST_FILE), "{}");
        store.publish("openai-vit-b-32", imported); // not the trainer's: never deleted
        Path rollout = Files.writeString(root.resolve("rollout.env"), "# served\nCLIPSTREAM_MODEL_CHECKPOINT=1\n");

        List<String> deleted = new CheckpointRetention(new TrainerSettings.Retention(true, 2, 1, List.of(rollout)))
                .apply(store, "8");

        assertEquals(List.of("2", "3", "4"), deleted);
        assertEquals(List.of("1", "5", "6", "7", "8", "openai-vit-b-32"), store.versions());
        assertEquals("5", ResumePoint.nearestPassed(store, "8").orElseThrow().version(),
                "the guardrail still finds its baseline");
        for (String version : List.of("1", "5", "8")) {
            Checkpoints.verify(store.locate(version).orElseThrow());
        }
        assertEquals(List.of(), Files.list(root.resolve("store/.staging")).toList(), "deleted versions leave nothing");
    }

    @Test
    void keepsEverythingWhenDisabled(@TempDir Path root) throws Exception {
        ArtifactStore store = ArtifactStore.open(root.resolve("store").toString());
        TinyVersions.write(store, root, List.of(PASSED, REJECTED, REJECTED));
        assertEquals(List.of(), new CheckpointRetention(new TrainerSettings.Retention(false, 1, 1, List.of()))
                .apply(store, "3"));
        assertEquals(List.of("1", "2", "3"), store.versions());
    }
}
