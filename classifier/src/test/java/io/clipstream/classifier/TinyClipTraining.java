package io.clipstream.classifier;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.nn.Parameter;
import ai.djl.training.GradientCollector;
import ai.djl.training.ParameterStore;
import io.clipstream.model.ClipConfig;
import io.clipstream.model.ClipModel;
import io.clipstream.model.Fixtures;
import io.clipstream.model.checkpoint.CheckpointManifest;
import io.clipstream.model.checkpoint.Checkpoints;
import io.clipstream.model.engine.Engines;
import io.clipstream.model.engine.GradMode;
import io.clipstream.model.image.ClipImageTransform;
import io.clipstream.model.image.RgbImage;
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
 * "dog" pictures (cool blue stripes), captioned "a photo of a cat." and "a photo of a dog.". The checkpoint is made
 * once per test JVM.
 *
 * <p>The training loop is confined to this test helper because the project's training code (package
 * {@code io.clipstream.model.train}, branch wip/training) was not on main yet: the image-to-caption half of CLIP's
 * contrastive loss (softmax over the captions in the batch, here the two class captions) on
 * {@code ClipModel.forward(parameters, NDList(pixels, ids), true)}, gradients from DJL's {@link GradientCollector},
 * and a plain Adam update.
 */
public final class TinyClipTraining {

    public static final String VERSION = "cat-dog-1";
    public static final List<String> CLASSES = List.of("cat", "dog");
    public static final String TEMPLATE = "a photo of a {}.";

    private static final int STEPS = 20;
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
        Path vocabulary = Fixtures.resolve(TinyCheckpoints.VOCABULARY);
        ClipTokenizer tokenizer = ClipTokenizer.load(vocabulary, config.vocabSize());
        ClipImageTransform transform = ClipImageTransform.openAi(config.imageSize());
        long[][] captions = tokenizer.tokenizeBatch(CLASSES.stream().map(c -> TEMPLATE.replace("{}", c)).toList());
        Random random = new Random(7);
        try (NDManager manager = Engines.newManager()) {
            Engines.pytorch().setRandomSeed(7);
            ClipModel model = new ClipModel(config).initialize(manager);
            List<Parameter> parameters = new ArrayList<>(model.getParameters().values());
            Adam adam = new Adam(parameters, manager);
            for (Parameter parameter : parameters) {
                parameter.getArray().setRequiresGradient(true);
            }
            float loss = Float.NaN;
            long start = System.nanoTime();
            for (int step = 0; step < STEPS; step++) {
                try (NDManager scope = manager.newSubManager()) {
                    List<RgbImage> images = new ArrayList<>();
                    float[] targets = new float[2 * IMAGES_PER_CLASS * CLASSES.size()];
                    for (int i = 0; i < 2 * IMAGES_PER_CLASS; i++) {
                        int cls = i % 2;
                        images.add(picture(CLASSES.get(cls), random));
                        targets[i * 2 + cls] = 1f;
                    }
                    NDArray pixels = transform.toTensor(scope, images);
                    NDArray ids = scope.create(captions);
                    NDArray oneHot = scope.create(targets).reshape(images.size(), CLASSES.size());
                    try (GradientCollector collector = Engine.getInstance().newGradientCollector()) {
                        NDList out = model.forward(new ParameterStore(scope, false), new NDList(pixels, ids), true);
                        NDArray logits = out.get(0).matMul(out.get(1).transpose()).mul(out.get(2));
                        NDArray crossEntropy = logits.logSoftmax(1).mul(oneHot).sum(new int[] {1}).neg().mean();
                        collector.backward(crossEntropy);
                        loss = crossEntropy.getFloat();
                        if (step % 10 == 0) {
                            System.out.printf("TinyClipTraining: step %d loss %.4f%n", step, loss);
                        }
                    }
                    adam.step();
                }
            }
            System.out.printf("TinyClipTraining: %d steps in %.1f s, final loss %.4f%n", STEPS,
                    (System.nanoTime() - start) / 1e9, loss);
            if (!(loss < 0.1f)) {
                throw new IllegalStateException("the tiny CLIP did not learn cat vs dog: loss " + loss + " after "
                        + STEPS + " steps");
            }
            Files.copy(vocabulary, directory.resolve(TinyCheckpoints.TOKENIZER_FILE));
            Checkpoints.save(directory, model, CheckpointManifest.of(VERSION, null, config,
                    Map.of("train_loss", (double) loss)).withTokenizer(TinyCheckpoints.TOKENIZER_FILE));
            return directory;
        }
    }

    /** Adam (Kingma & Ba) on plain arrays; gradients are read and zeroed here after every step. */
    private static final class Adam {
        private static final float BETA1 = 0.9f;
        private static final float BETA2 = 0.999f;
        private static final float EPSILON = 1e-8f;

        private final List<Parameter> parameters;
        private final List<NDArray> firstMoments = new ArrayList<>();
        private final List<NDArray> secondMoments = new ArrayList<>();
        private final NDManager manager;
        private int steps;

        Adam(List<Parameter> parameters, NDManager manager) {
            this.parameters = parameters;
            this.manager = manager;
            for (Parameter parameter : parameters) {
                firstMoments.add(manager.zeros(parameter.getArray().getShape()));
                secondMoments.add(manager.zeros(parameter.getArray().getShape()));
            }
        }

        void step() {
            steps++;
            float correction1 = 1 - (float) Math.pow(BETA1, steps);
            float correction2 = 1 - (float) Math.pow(BETA2, steps);
            try (GradMode off = GradMode.disabled()) {
                for (int i = 0; i < parameters.size(); i++) {
                    NDArray weight = parameters.get(i).getArray();
                    NDArray m = firstMoments.get(i);
                    NDArray v = secondMoments.get(i);
                    try (NDArray gradient = weight.getGradient(); NDManager scope = manager.newSubManager()) {
                        // Every intermediate result joins the scope and is freed with it.
                        scope.tempAttachAll(gradient, weight, m, v);
                        m.muli(BETA1).addi(gradient.mul(1 - BETA1));
                        v.muli(BETA2).addi(gradient.square().mul(1 - BETA2));
                        weight.subi(m.div(correction1).div(v.div(correction2).sqrt().add(EPSILON)).mul(LEARNING_RATE));
                        gradient.subi(gradient); // PyTorch accumulates gradients: start the next step from zero
                    }
                }
            }
        }
    }
}
