package io.clipstream.model.checkpoint;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.clipstream.model.ClipConfig;
import io.clipstream.model.ClipModel;
import io.clipstream.model.engine.Engines;

import ai.djl.ndarray.NDManager;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/** The manifest's training state: written, hashed, verified, and absent from older manifests. */
class ClipCheckpointTrainingStateTest {

    private static final ClipConfig CONFIG = ClipConfig.preset("tiny").withVocabSize(520);

    private static NDManager manager;
    private static ClipModel model;

    @TempDir
    Path dir;

    @BeforeAll
    static void createModel() {
        manager = Engines.newManager();
        model = new ClipModel(CONFIG).initialize(manager);
    }

    @AfterAll
    static void close() {
        manager.close();
    }

    @Test
    void aManifestFromBeforeTrainingStateStillReadsAndLoads() throws IOException {
        CheckpointManifest written = Checkpoints.save(dir, model, CheckpointManifest.of("v1", null, CONFIG, Map.of()));
        // Exactly the fields the manifest had before: no "training".
        String old = "{\n  \"version\" : \"v1\",\n  \"created\" : \"" + written.created() + "\",\n  \"config\" : "
                + CONFIG.toJson() + ",\n  \"metrics\" : { \"recall_at_5\" : 0.5 },\n  \"weights_file\" : \""
                + Checkpoints.WEIGHTS_FILE + "\",\n  \"weights_sha256\" : \"" + written.weightsSha256() + "\"\n}\n";
        Files.writeString(dir.resolve(Checkpoints.MANIFEST_FILE), old);
        try (Checkpoints.Loaded loaded = Checkpoints.load(dir, manager)) {
            assertNull(loaded.manifest().training());
            assertTrue(loaded.optimizerStateFile().isEmpty());
            assertEquals(0.5, loaded.manifest().metrics().get("recall_at_5"));
        }
    }

    @Test
    void trainingStateIsWrittenWithTheOptimiserHashAndReadBack() throws IOException {
        Files.write(dir.resolve("optimizer.safetensors"), new byte[] {1, 2, 3});
        CheckpointManifest written = Checkpoints.save(dir, model, CheckpointManifest.of("v3", "v2", CONFIG, Map.of())
                .withTraining(TrainingState.of(4_000, 256_000, "optimizer.safetensors")));
        assertEquals(Checkpoints.sha256(dir.resolve("optimizer.safetensors")), written.training().optimizerSha256());

        JsonNode training = new ObjectMapper().readTree(dir.resolve(Checkpoints.MANIFEST_FILE).toFile()).get("training");
        assertEquals(4_000, training.get("step").asLong());
        assertEquals(256_000, training.get("samples_seen").asLong());
        assertEquals("optimizer.safetensors", training.get("optimizer_file").asText());
        assertEquals(written, Checkpoints.verify(dir));
        try (Checkpoints.Loaded loaded = Checkpoints.load(dir, manager)) {
            assertEquals(dir.resolve("optimizer.safetensors"), loaded.optimizerStateFile().orElseThrow());
        }
    }

    @Test
    void aChangedOptimiserStateIsRejected() throws IOException {
        Files.write(dir.resolve("optimizer.safetensors"), new byte[] {1, 2, 3});
        Checkpoints.save(dir, model, CheckpointManifest.of("v1", null, CONFIG, Map.of())
                .withTraining(TrainingState.of(1, 8, "optimizer.safetensors")));
        Files.write(dir.resolve("optimizer.safetensors"), new byte[] {1, 2, 4});
        CheckpointIntegrityException e = assertThrows(CheckpointIntegrityException.class, () -> Checkpoints.verify(dir));
        assertTrue(e.getMessage().contains("optimizer.safetensors: SHA-256 mismatch"), e.getMessage());
    }

    @Test
    void aNamedOptimiserStateMustBeThereToSave() {
        IOException e = assertThrows(IOException.class, () -> Checkpoints.save(dir, model,
                CheckpointManifest.of("v1", null, CONFIG, Map.of()).withTraining(TrainingState.of(1, 8, "adam.st"))));
        assertTrue(e.getMessage().contains("adam.st"), e.getMessage());
    }
}
