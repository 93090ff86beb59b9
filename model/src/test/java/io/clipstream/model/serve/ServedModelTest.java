package io.clipstream.model.serve;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import io.clipstream.model.checkpoint.CheckpointIntegrityException;
import io.clipstream.model.checkpoint.Checkpoints;
import io.clipstream.model.engine.Precision;
import io.clipstream.model.image.ImageLimits;
import io.clipstream.model.image.RgbImage;
import io.clipstream.model.store.ArtifactStore;
import io.clipstream.model.store.StoredCheckpoints;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ServedModelTest {

    @TempDir
    Path root;

    private Path publishRandomCheckpoint(ArtifactStore store, String version) throws Exception {
        return StoredCheckpoints.publishRandom(store, version, "tiny");
    }

    @Test
    void resolvesAVersionLoadsItVerifiedAndEmbedsBothTowers() throws Exception {
        ArtifactStore store = ArtifactStore.open(root.toString());
        publishRandomCheckpoint(store, "3");
        CheckpointResolver resolver = new CheckpointResolver(store, Optional.empty(), ImageLimits.DEFAULT);

        try (ServedModel served = resolver.load("3"); NDManager manager = NDManager.newBaseManager()) {
            assertEquals("3", served.version());
            int size = served.config().imageSize();
            byte[] pixels = new byte[size * size * 3];
            java.util.Arrays.fill(pixels, (byte) 90);
            NDArray images = served.embedImages(manager, List.of(new RgbImage(size, size, pixels)));
            NDArray again = served.embedImages(manager, List.of(new RgbImage(size, size, pixels)));
            assertArrayEquals(images.toFloatArray(), again.toFloatArray(), "deterministic");
            assertEquals(1.0, images.norm().getFloat(), 1e-5);
            NDArray texts = served.embedTexts(manager, List.of("a photo of a cat.", "a dog"));
            assertEquals(2, texts.getShape().get(0));
            assertEquals(served.config().embedDim(), texts.getShape().get(1));
        }
    }

    @Test
    void servesInBf16CloseToFp32AndSaysSoAndRefusesFp16OnTheCpu() throws Exception {
        ArtifactStore store = ArtifactStore.open(root.toString());
        publishRandomCheckpoint(store, "6");
        try (ServedModel fp32 = new CheckpointResolver(store, Optional.empty(), ImageLimits.DEFAULT).load("6");
                ServedModel bf16 = new CheckpointResolver(store, Optional.empty(), ImageLimits.DEFAULT, Precision.BF16)
                        .load("6");
                NDManager manager = NDManager.newBaseManager()) {
            assertEquals(Precision.FP32, fp32.precision());
            assertEquals(Precision.BF16, bf16.precision());
            int size = fp32.config().imageSize();
            byte[] pixels = new byte[size * size * 3];
            new java.util.Random(3).nextBytes(pixels);
            List<RgbImage> images = List.of(new RgbImage(size, size, pixels));
            NDArray a = fp32.embedImages(manager, images);
            NDArray b = bf16.embedImages(manager, images);
            assertEquals(DataType.FLOAT32, b.getDataType(), "embeddings are float32 whatever the compute");
            assertEquals(1.0, b.norm().getFloat(), 1e-5);
            assertTrue(a.mul(b).sum().getFloat() > 0.99, "cosine of bf16 to fp32");
            NDArray ta = fp32.embedTexts(manager, List.of("a photo of a cat."));
            NDArray tb = bf16.embedTexts(manager, List.of("a photo of a cat."));
            assertTrue(ta.mul(tb).sum().getFloat() > 0.99, "text cosine of bf16 to fp32");
        }
        CheckpointResolver fp16 = new CheckpointResolver(store, Optional.empty(), ImageLimits.DEFAULT, Precision.FP16);
        assertTrue(assertThrows(IllegalArgumentException.class, () -> fp16.load("6")).getMessage().contains("GPU"));
    }

    @Test
    void refusesACheckpointWhoseWeightsDoNotMatchTheirHash() throws Exception {
        ArtifactStore store = ArtifactStore.open(root.toString());
        Path dir = publishRandomCheckpoint(store, "4");
        Files.write(dir.resolve(Checkpoints.WEIGHTS_FILE), new byte[] {1}, StandardOpenOption.APPEND);
        CheckpointResolver resolver = new CheckpointResolver(store, Optional.empty(), ImageLimits.DEFAULT);
        assertThrows(CheckpointIntegrityException.class, () -> resolver.load("4"));
        assertThrows(NoSuchFileException.class, () -> resolver.load("5"));
        assertThrows(NoSuchFileException.class, () -> resolver.loadVersion("5"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> resolver.load(" ")).getMessage()
                .contains("clipstream.model.checkpoint"));
    }
}
