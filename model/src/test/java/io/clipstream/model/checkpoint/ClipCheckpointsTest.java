package io.clipstream.model.checkpoint;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.clipstream.model.ClipConfig;
import io.clipstream.model.ClipModel;
import io.clipstream.model.engine.Engines;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Map;

class ClipCheckpointsTest {

    private static final ClipConfig CONFIG = ClipConfig.preset("tiny").withVocabSize(500);

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
    void saveThenLoadGivesBitIdenticalWeightsAndAFullManifest() throws IOException {
        Files.writeString(dir.resolve("tokenizer.json"), "{\"vocab\": 500}");
        CheckpointManifest written = Checkpoints.save(dir, model,
                CheckpointManifest.of("v2", "v1", CONFIG, Map.of("zero_shot_top1", 0.25))
                        .withTokenizer("tokenizer.json"));
        assertEquals(Checkpoints.WEIGHTS_FILE, written.weightsFile());
        assertEquals(Checkpoints.sha256(dir.resolve(Checkpoints.WEIGHTS_FILE)), written.weightsSha256());
        assertEquals(Checkpoints.sha256(dir.resolve("tokenizer.json")), written.tokenizerSha256());
        assertNotNull(written.created());

        JsonNode json = new ObjectMapper().readTree(dir.resolve(Checkpoints.MANIFEST_FILE).toFile());
        assertEquals("v1", json.get("parent").asText());
        assertEquals(128, json.get("config").get("vision_width").asInt());
        assertEquals(0.25, json.get("metrics").get("zero_shot_top1").asDouble());
        assertEquals(written.created(), Instant.parse(json.get("created").asText()));

        try (Checkpoints.Loaded loaded = Checkpoints.load(dir)) {
            assertEquals(written, loaded.manifest());
            assertEquals(dir.resolve("tokenizer.json"), loaded.tokenizerFile().orElseThrow());
            model.namedParameters().forEach((name, p) -> assertArrayEquals(bytes(p.getArray()),
                    bytes(loaded.model().namedParameters().get(name).getArray()), name));
            assertEquals(loaded.weights(), loaded.model().namedParameters().get("logit_scale").getArray().getManager());
        }
    }

    @Test
    void aChangedWeightsFileIsRejectedBeforeLoading() throws IOException {
        Checkpoints.save(dir, model, CheckpointManifest.of("v1", null, CONFIG, Map.of()));
        Path weights = dir.resolve(Checkpoints.WEIGHTS_FILE);
        byte[] bytes = Files.readAllBytes(weights);
        bytes[bytes.length - 1] ^= 1; // one bit in the last float
        Files.write(weights, bytes);
        CheckpointIntegrityException e = assertThrows(CheckpointIntegrityException.class,
                () -> Checkpoints.load(dir, manager));
        assertTrue(e.getMessage().contains("SHA-256 mismatch"), e.getMessage());
        assertTrue(e.getMessage().contains(weights.toString()), e.getMessage());
    }

    @Test
    void aChangedTokenizerIsRejected() throws IOException {
        Files.writeString(dir.resolve("bpe.txt"), "merges");
        Checkpoints.save(dir, model, CheckpointManifest.of("v1", null, CONFIG, Map.of()).withTokenizer("bpe.txt"));
        Files.writeString(dir.resolve("bpe.txt"), "merges!");
        CheckpointIntegrityException e = assertThrows(CheckpointIntegrityException.class, () -> Checkpoints.verify(dir));
        assertTrue(e.getMessage().contains("bpe.txt: SHA-256 mismatch"), e.getMessage());
    }

    @Test
    void aManifestMayNotPointOutsideItsDirectory() throws IOException {
        Checkpoints.save(dir, model, CheckpointManifest.of("v1", null, CONFIG, Map.of()));
        Path manifest = dir.resolve(Checkpoints.MANIFEST_FILE);
        Files.writeString(manifest, Files.readString(manifest)
                .replace("\"" + Checkpoints.WEIGHTS_FILE + "\"", "\"../elsewhere.safetensors\""));
        CheckpointIntegrityException e = assertThrows(CheckpointIntegrityException.class, () -> Checkpoints.verify(dir));
        assertTrue(e.getMessage().contains("plain names"), e.getMessage());
    }

    @Test
    void aDirectoryWithoutManifestIsNotACheckpoint() {
        CheckpointIntegrityException e = assertThrows(CheckpointIntegrityException.class,
                () -> Checkpoints.load(dir, manager));
        assertTrue(e.getMessage().contains("no manifest.json"), e.getMessage());
    }

    @Test
    void theManifestMustDescribeTheModel() {
        CheckpointManifest other = CheckpointManifest.of("v1", null, ClipConfig.preset("small"), Map.of());
        assertThrows(IllegalArgumentException.class, () -> Checkpoints.save(dir, model, other));
        CheckpointManifest missingTokenizer = CheckpointManifest.of("v1", null, CONFIG, Map.of()).withTokenizer("t.json");
        IOException e = assertThrows(IOException.class, () -> Checkpoints.save(dir, model, missingTokenizer));
        assertTrue(e.getMessage().contains("t.json"), e.getMessage());
    }

    @Test
    void savedWeightsUseOpenAiNames() throws IOException {
        Checkpoints.save(dir, model, CheckpointManifest.of("v1", null, CONFIG, Map.of()));
        Safetensors.Header header = Safetensors.readHeader(dir.resolve(Checkpoints.WEIGHTS_FILE));
        assertEquals(model.parameterShapes().keySet(), header.tensors().keySet());
        assertEquals(new Shape(500, 128), header.tensors().get("token_embedding.weight").shape());
    }

    private static byte[] bytes(NDArray array) {
        ByteBuffer buffer = array.toByteBuffer();
        byte[] out = new byte[buffer.remaining()];
        buffer.get(out);
        return out;
    }
}
