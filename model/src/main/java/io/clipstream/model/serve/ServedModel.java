package io.clipstream.model.serve;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import io.clipstream.model.ClipConfig;
import io.clipstream.model.ClipModel;
import io.clipstream.model.checkpoint.CheckpointManifest;
import io.clipstream.model.checkpoint.Checkpoints;
import io.clipstream.model.engine.CastParameterStore;
import io.clipstream.model.engine.PixelTensors;
import io.clipstream.model.engine.Precision;
import io.clipstream.model.image.ClipImageTransform;
import io.clipstream.model.image.ImageDecoder;
import io.clipstream.model.image.ImageLimits;
import io.clipstream.model.image.RgbImage;
import io.clipstream.model.text.ClipTokenizer;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * A model version ready to serve: verified weights, its tokenizer (when it has one), the image transform at its
 * image size, warmed up, computing in its {@link Precision} (weights kept in float32; bf16 and fp16 run on cast copies
 * made once at the warm-up; embeddings are float32 either way). Services hold one per version and close it when
 * they let the version go.
 */
public final class ServedModel implements AutoCloseable {

    private final String version;
    private final CheckpointManifest manifest;
    private final ClipModel model;
    private final ClipTokenizer tokenizer;
    private final ClipImageTransform transform;
    private final AutoCloseable weights;
    private final Precision precision;
    /** The cast copies of the weights; null in fp32. */
    private final NDManager castManager;
    private final CastParameterStore castWeights;

    ServedModel(String version, CheckpointManifest manifest, ClipModel model, ClipTokenizer tokenizer,
            ImageLimits limits, AutoCloseable weights) {
        this(version, manifest, model, tokenizer, limits, weights, Precision.FP32);
    }

    ServedModel(String version, CheckpointManifest manifest, ClipModel model, ClipTokenizer tokenizer,
            ImageLimits limits, AutoCloseable weights, Precision precision) {
        this.precision = precision.requireSupportedOn(model.device());
        this.castManager = precision == Precision.FP32 ? null : NDManager.newBaseManager(model.device());
        this.castWeights = castManager == null ? null : new CastParameterStore(castManager, precision);
        this.version = version;
        this.manifest = manifest;
        this.model = model;
        this.tokenizer = tokenizer;
        this.transform = ClipImageTransform.openAi(model.config().imageSize()).withDecoder(new ImageDecoder(limits));
        this.weights = weights;
    }

    /**
     * Loads a Clipstream checkpoint directory, verifying every SHA-256 first. The tokenizer is the checkpoint's own;
     * without one, {@code fallbackVocabulary} (OpenAI's merges) when given, else none (images only).
     */
    public static ServedModel load(Path directory, Optional<Path> fallbackVocabulary, ImageLimits limits)
            throws IOException {
        return load(directory, fallbackVocabulary, limits, Precision.FP32);
    }

    /** {@link #load(Path, Optional, ImageLimits)}, computing in {@code precision}. */
    public static ServedModel load(Path directory, Optional<Path> fallbackVocabulary, ImageLimits limits,
            Precision precision) throws IOException {
        Checkpoints.Loaded checkpoint = Checkpoints.load(directory);
        try {
            ClipConfig config = checkpoint.manifest().config();
            Optional<Path> vocabulary = checkpoint.tokenizerFile().or(() -> fallbackVocabulary);
            ClipTokenizer tokenizer = vocabulary.isPresent()
                    ? ClipTokenizer.load(vocabulary.get(), config.vocabSize()) : null;
            ServedModel served = new ServedModel(checkpoint.manifest().version(), checkpoint.manifest(),
                    checkpoint.model(), tokenizer, limits, checkpoint, precision);
            try {
                served.warmUp();
            } catch (RuntimeException e) {
                served.closeCastWeights();
                throw e;
            }
            return served;
        } catch (IOException | RuntimeException e) {
            checkpoint.close();
            throw e;
        }
    }

    public String version() {
        return version;
    }

    public CheckpointManifest manifest() {
        return manifest;
    }

    public ClipModel model() {
        return model;
    }

    public ClipConfig config() {
        return model.config();
    }

    /** What the towers compute in. */
    public Precision precision() {
        return precision;
    }

    public ClipImageTransform transform() {
        return transform;
    }

    public Optional<ClipTokenizer> tokenizer() {
        return Optional.ofNullable(tokenizer);
    }

    /** The tokenizer, or a clear error for a version that cannot encode text. */
    public ClipTokenizer requireTokenizer() {
        if (tokenizer == null) {
            throw new IllegalStateException("Model version " + version + " has no tokenizer: its checkpoint holds "
                    + "none and no vocabulary (clipstream.model.vocabulary) is configured");
        }
        return tokenizer;
    }

    /** L2-normalised image embeddings [N, E] for preprocessed images, in {@code manager}. */
    public NDArray embedImages(NDManager manager, List<RgbImage> images) {
        try (NDManager scope = manager.newSubManager()) {
            NDArray pixels = PixelTensors.of(scope, transform, images);
            NDArray embeddings = castWeights == null ? model.encodeImageNormalized(pixels)
                    : normalized(model.encodeImage(pixels, castWeights));
            embeddings.attach(manager);
            return embeddings;
        }
    }

    /** L2-normalised text embeddings [N, E], in {@code manager}. */
    public NDArray embedTexts(NDManager manager, List<String> texts) {
        try (NDManager scope = manager.newSubManager()) {
            NDArray ids = scope.create(requireTokenizer().tokenizeBatch(texts));
            NDArray embeddings = castWeights == null ? model.encodeTextNormalized(ids)
                    : normalized(model.encodeText(ids, castWeights));
            embeddings.attach(manager);
            return embeddings;
        }
    }

    private static NDArray normalized(NDArray features) {
        try (features) {
            return ClipModel.l2Normalize(features);
        }
    }

    /** One pass through both towers, so the first real request does not pay for lazy initialisation. */
    private void warmUp() {
        try (NDManager scope = NDManager.newBaseManager()) {
            int size = config().imageSize();
            embedImages(scope, List.of(new RgbImage(size, size, new byte[size * size * 3])));
            if (tokenizer != null) {
                embedTexts(scope, List.of("a photo of a warm-up."));
            }
        }
    }

    private void closeCastWeights() {
        if (castManager != null) {
            castManager.close();
        }
    }

    @Override
    public void close() {
        closeCastWeights();
        try {
            weights.close();
        } catch (Exception e) {
            throw new IllegalStateException("Cannot release model version " + version, e);
        }
    }
}
