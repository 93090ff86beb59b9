package io.clipstream.model.serve;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDManager;
import io.clipstream.model.ClipConfig;
import io.clipstream.model.ClipModel;
import io.clipstream.model.checkpoint.CheckpointIntegrityException;
import io.clipstream.model.checkpoint.Checkpoints;
import io.clipstream.model.engine.Engines;
import io.clipstream.model.image.ImageLimits;
import io.clipstream.model.store.ArtifactStore;
import io.clipstream.model.store.StoredCheckpoints;
import io.clipstream.schemas.CheckpointStatus;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What a record may make a service load: PASSED versions and the rolled-out one (as pinned), nothing else. */
class ServableVersionsTest {

    @TempDir
    static Path storeRoot;
    @TempDir
    Path root;

    private static ArtifactStore store;

    @BeforeAll
    static void store() throws Exception {
        store = ArtifactStore.open(storeRoot.toString());
        try (NDManager manager = Engines.newManager()) {
            ClipModel model = new ClipModel(ClipConfig.preset("tiny")).initialize(manager);
            StoredCheckpoints.publish(store, "passed", model, CheckpointStatus.PASSED);
            StoredCheckpoints.publish(store, "rejected", model, CheckpointStatus.REJECTED);
            StoredCheckpoints.publish(store, "imported", model, null);
        }
    }

    @Test
    void passedVersionsAndTheRolledOutOneAreServableOthersAreRefusedSayingWhy() throws Exception {
        Path rollout = root.resolve("rollout.env");
        Files.writeString(rollout, "CLIPSTREAM_MODEL_CHECKPOINT=imported\n");
        ServableVersions servable = new ServableVersions(store, new CheckpointSource(Optional.empty(),
                Optional.of(rollout)));
        assertDoesNotThrow(() -> servable.require("passed"));
        assertDoesNotThrow(() -> servable.require("imported"), "rolled out, though without a verdict");
        var rejected = assertThrows(ServableVersions.VersionNotServableException.class,
                () -> servable.require("rejected"));
        assertTrue(rejected.getMessage().contains("was REJECTED by the trainer's guardrail"), rejected.getMessage());
        assertTrue(rejected.getMessage().contains("imported, file " + rollout), rejected.getMessage());
        var missing = assertThrows(ServableVersions.VersionNotServableException.class, () -> servable.require("9"));
        assertTrue(missing.getMessage().contains("not in the artifact store"), missing.getMessage());

        Files.writeString(rollout, "CLIPSTREAM_MODEL_CHECKPOINT=passed\n");
        var unjudged = assertThrows(ServableVersions.VersionNotServableException.class,
                () -> servable.require("imported"));
        assertTrue(unjudged.getMessage().contains("has no verdict"), unjudged.getMessage());
    }

    @Test
    void theRolledOutVersionMustHaveTheManifestTheRolloutPins() throws Exception {
        String pin = Checkpoints.sha256(store.locate("imported").orElseThrow().resolve(Checkpoints.MANIFEST_FILE));
        Path rollout = root.resolve("rollout.env");
        Files.writeString(rollout, "CLIPSTREAM_MODEL_CHECKPOINT=imported\nCLIPSTREAM_MODEL_CHECKPOINT_SHA256=" + pin
                + "\n");
        CheckpointSource source = new CheckpointSource(Optional.empty(), Optional.of(rollout));
        assertEquals(Optional.of(pin), source.requested().orElseThrow().manifestSha256());
        ServableVersions servable = new ServableVersions(store, source);
        assertDoesNotThrow(() -> servable.require("imported"));

        String other = "0".repeat(64);
        Files.writeString(rollout, "CLIPSTREAM_MODEL_CHECKPOINT=imported\nCLIPSTREAM_MODEL_CHECKPOINT_SHA256=" + other
                + "\n");
        var refused = assertThrows(CheckpointIntegrityException.class, () -> servable.require("imported"));
        assertTrue(refused.getMessage().contains("is not the one rolled out"), refused.getMessage());
        assertTrue(refused.getMessage().contains(pin) && refused.getMessage().contains(other), refused.getMessage());
        var resolver = new CheckpointResolver(store, Optional.empty(), ImageLimits.DEFAULT);
        assertThrows(CheckpointIntegrityException.class, () -> resolver.load(source.requested().orElseThrow()),
                "the loader refuses it too, before reading any weights");

        CheckpointSource configured = new CheckpointSource(Optional.of("imported"), Optional.empty(),
                Optional.of(" " + pin.toUpperCase() + " "));
        try (ServedModel model = resolver.load(configured.requested().orElseThrow())) {
            assertEquals("imported", model.version(), "the configured pin, as the rollout ConfigMap sets it");
        }
    }
}
