package io.clipstream.model.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import io.clipstream.model.ClipConfig;
import io.clipstream.model.ClipModel;
import io.clipstream.model.Fixtures;
import io.clipstream.model.checkpoint.CheckpointManifest;
import io.clipstream.model.checkpoint.Checkpoints;
import io.clipstream.model.engine.Engines;
import io.clipstream.model.engine.PixelTensors;
import io.clipstream.model.image.ClipImageTransform;
import io.clipstream.model.image.RgbImage;
import io.clipstream.model.store.StoredCheckpoints;
import io.clipstream.model.text.ClipTokenizer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * A tiny CLIP trained for a few steps to tell two synthetic classes apart: "cat" pictures (warm orange blobs) and
 * "dog" pictures (cool blue stripes), captioned "a photo of a cat." and "a photo of a dog.". Trained with the
 * project's {@link ClipTrainer} (OpenCLIP's symmetric contrastive loss, AdamW), once per test JVM. Several pictures
 * of a batch share a caption, so the loss cannot reach zero; what must hold, and is checked before the checkpoint
 * is saved, is that fresh pictures of each class lie closer to their own class's prompt. Shared by the services'
 * tests (the classifier scores with it, search finds its pictures by text).
 */
public final class TinyClipTraining {

    public static final String VERSION = "cat-dog-1";
    public static final List<String> CLASSES = List.of("cat", "dog");
    public static final String TEMPLATE = "a photo of a {}.";

    private static final int STEPS = 30;
    private static final int IMAGES_PER_CLASS = 4;
    private static final float LEARNING_RATE = 1e-3f;

    private static Path trained;

    private TinyClipTraining() {
    }

    /** The trained checkpoint's directory (manifest version {@link #VERSION}); trained on first use. */
    public static synchronized Path checkpoint() {
        if (trained == null) {
            try {
                trained = train(Files.createTempDirectory("clipstream-cat-dog-"));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return trained;
    }

    /** A fresh picture of class {@code cls} ("cat" or "dog"), never seen in training. */
    public static RgbImage picture(String cls, Random random) {
        int size = ClipConfig.preset("tiny").imageSize();
        byte[] pixels = new byte[size * size * 3];
        boolean cat = cls.equals("cat");
        int cx = 16 + random.nextInt(32);
        int cy = 16 + random.nextInt(32);
        int radius = 10 + random.nextInt(12);
        int period = 4 + random.nextInt(6);
        for (int y = 0; y < size; y++) {
            for (int x = 0; x < size; x++) {
                int r;
                int g;
                int b;
                if (cat) {
                    boolean inside = (x - cx) * (x - cx) + (y - cy) * (y - cy) < radius * radius;
                    r = inside ? 235 : 150;
                    g = inside ? 140 : 90;
                    b = inside ? 40 : 60;
                } else {
                    boolean stripe = (x / period) % 2 == 0;
                    r = stripe ? 40 : 70;
                    g = stripe ? 90 : 120;
                    b = stripe ? 220 : 160;
                }
                int at = (y * size + x) * 3;
                pixels[at] = (byte) clamp(r + random.nextInt(41) - 20);
                pixels[at + 1] = (byte) clamp(g + random.nextInt(41) - 20);
                pixels[at + 2] = (byte) clamp(b + random.nextInt(41) - 20);
            }
        }
        return new RgbImage(size, size, pixels);
    }

    private static int clamp(int v) {
        return Math.max(0, Math.min(255, v));
    }

    private static Path train(Path directory) throws IOException {
        ClipConfig config = ClipConfig.preset("tiny");
        Path vocabulary = Fixtures.resolve(StoredCheckpoints.VOCABULARY);
        ClipTokenizer tokenizer = ClipTokenizer.load(vocabulary, config.vocabSize());
        ClipImageTransform transform = ClipImageTransform.openAi(config.imageSize());
        List<String> prompts = CLASSES.stream().map(c -> TEMPLATE.replace("{}", c)).toList();
        Random random = new Random(7);
        try (NDManager manager = Engines.newManager()) {
            Engines.pytorch().setRandomSeed(7);
            ClipModel model = new ClipModel(config).initialize(manager);
            StepResult last = null;
            long start = System.nanoTime();
            try (ClipTrainer trainer = ClipTrainer.create(model,
                    TrainingConfig.of(LearningRateSchedule.warmupConstant(LEARNING_RATE, 0)))) {
                for (int step = 0; step < STEPS; step++) {
                    try (NDManager scope = manager.newSubManager()) {
                        List<RgbImage> images = new ArrayList<>();
                        List<String> captions = new ArrayList<>();
                        for (int i = 0; i < 2 * IMAGES_PER_CLASS; i++) {
                            images.add(picture(CLASSES.get(i % 2), random));
                            captions.add(prompts.get(i % 2));
                        }
                        last = trainer.step(PixelTensors.of(scope, transform, images),
                                scope.create(tokenizer.tokenizeBatch(captions)));
                    }
                }
            }
            System.out.printf("TinyClipTraining: %d steps in %.1f s, last loss %.4f%n", STEPS,
                    (System.nanoTime() - start) / 1e9, last.loss());
            requireSeparated(model, transform, tokenizer.tokenizeBatch(prompts), random, manager);
            Files.copy(vocabulary, directory.resolve(StoredCheckpoints.TOKENIZER_FILE));
            Checkpoints.save(directory, model, CheckpointManifest.of(VERSION, null, config,
                    Map.of("train_loss", (double) last.loss())).withTokenizer(StoredCheckpoints.TOKENIZER_FILE));
            return directory;
        }
    }

    /** Fresh pictures of each class must be closer to their own prompt than to the other class's. */
    private static void requireSeparated(ClipModel model, ClipImageTransform transform, long[][] prompts,
            Random random, NDManager manager) {
        try (NDManager scope = manager.newSubManager()) {
            NDArray texts = model.encodeTextNormalized(scope.create(prompts));
            for (int cls = 0; cls < CLASSES.size(); cls++) {
                List<RgbImage> fresh = new ArrayList<>();
                for (int i = 0; i < 8; i++) {
                    fresh.add(picture(CLASSES.get(cls), random));
                }
                float[] cosine = model.encodeImageNormalized(PixelTensors.of(scope, transform, fresh))
                        .matMul(texts.transpose()).toFloatArray();
                for (int i = 0; i < fresh.size(); i++) {
                    if (cosine[i * 2 + cls] <= cosine[i * 2 + 1 - cls]) {
                        throw new IllegalStateException("the tiny CLIP did not learn to tell " + CLASSES.get(cls)
                                + " pictures apart after " + STEPS + " steps");
                    }
                }
            }
        }
    }
}
