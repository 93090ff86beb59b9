package io.clipstream.model;

import io.clipstream.model.engine.CastParameterStore;
import io.clipstream.model.engine.GradMode;
import io.clipstream.model.engine.Precision;
import io.clipstream.model.engine.Scalars;
import io.clipstream.model.nn.NamedBlock;
import io.clipstream.model.nn.TextTransformer;
import io.clipstream.model.nn.VisionTransformer;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.training.ParameterStore;
import ai.djl.training.initializer.ConstantInitializer;
import ai.djl.training.initializer.Initializer;
import ai.djl.util.PairList;

import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Function;

/**
 * CLIP as OpenAI/OpenCLIP build it: a {@link VisionTransformer} and a {@link TextTransformer} from
 * one {@link ClipConfig}, and a learned temperature {@code logit_scale}.
 *
 * <p>Parameter names ({@link #namedParameters()}) are exactly OpenAI's state-dict names:
 * {@code visual.*} for the image tower, the text tower at the top level ({@code token_embedding.weight},
 * {@code transformer.resblocks.N.*}, {@code ln_final.*}, {@code text_projection}) and
 * {@code logit_scale}.
 *
 * <p>Inference ({@code encode*}, {@link #logits}) runs without autograd; results join the input's
 * manager. Training goes through DJL's {@code forward(ParameterStore, NDList(pixels, ids), true)},
 * which returns OpenCLIP's triple: L2-normalised image and text embeddings and the scale
 * {@code exp(logit_scale)} clamped to ≤ 100.
 */
public final class ClipModel extends NamedBlock {

    /** CLIP's initial temperature: {@code logit_scale = ln(1 / 0.07)}. */
    public static final float INITIAL_LOGIT_SCALE = (float) Math.log(1 / 0.07);
    /** The used scale {@code exp(logit_scale)} is clamped to 100, as in the paper. */
    public static final float MAX_LOGIT_SCALE = (float) Math.log(100);

    private static final double NORM_EPS = 1e-12; // torch.nn.functional.normalize's default

    private final ClipConfig config;
    private final VisionTransformer visual;
    private final TextTransformer text;
    private final Parameter logitScale;

    public ClipModel(ClipConfig config) {
        this.config = config;
        visual = child("visual", new VisionTransformer(config.imageSize(), config.patchSize(),
                config.visionTower(), config.embedDim()));
        // Registered under the empty name: OpenAI keeps the text tower's weights at the top level.
        text = child("", new TextTransformer(config.contextLength(), config.vocabSize(),
                config.textTower(), config.embedDim()));
        logitScale = parameter("logit_scale", Parameter.Type.OTHER, new Shape(),
                new ConstantInitializer(INITIAL_LOGIT_SCALE));
    }

    public ClipConfig config() {
        return config;
    }

    public VisionTransformer visual() {
        return visual;
    }

    public TextTransformer text() {
        return text;
    }

    /** Allocates all parameters in {@code manager} with OpenCLIP's random initialisation. */
    public ClipModel initialize(NDManager manager) {
        initialize(manager, DataType.FLOAT32, imageInputShape(1), textInputShape(1));
        return this;
    }

    /**
     * Allocates the parameters from {@code weights}, named as {@link #namedParameters()}; every
     * name and shape must match (else a {@link ParameterMismatchException} lists all differences).
     * Takes ownership of the arrays: they move to {@code manager} (converted to float32 and to its
     * device where needed).
     */
    public ClipModel loadWeights(NDManager manager, Map<String, NDArray> weights) {
        if (isInitialized()) {
            throw new IllegalStateException("Weights can only be loaded into a fresh model");
        }
        Map<String, Shape> given = new LinkedHashMap<>();
        weights.forEach((name, array) -> given.put(name, array.getShape()));
        ParameterMismatchException.check("the given map", parameterShapes(), given, name -> name);

        Map<Parameter, Initializer> random = new HashMap<>();
        namedParameters().forEach((name, parameter) -> {
            random.put(parameter, parameter.getInitializer());
            NDArray source = weights.get(name);
            parameter.setInitializer((m, shape, dataType) -> adopt(source, m, dataType));
        });
        try {
            initialize(manager, DataType.FLOAT32, imageInputShape(1), textInputShape(1));
        } finally {
            random.forEach(Parameter::setInitializer);
        }
        return this;
    }

    private static NDArray adopt(NDArray source, NDManager manager, DataType dataType) {
        NDArray array = source;
        if (array.getDataType() != dataType) {
            array = replace(array, array.toType(dataType, false));
        }
        if (!array.getDevice().equals(manager.getDevice())) {
            array = replace(array, array.toDevice(manager.getDevice(), false));
        }
        array.attach(manager);
        return array;
    }

    private static NDArray replace(NDArray old, NDArray converted) {
        if (converted != old) {
            old.close();
        }
        return converted;
    }

    /** The device holding the parameters. */
    public Device device() {
        return logitScale.getArray().getDevice();
    }

    /**
     * Image features [N, embed] (projected, before L2 normalisation) of pixels [N, 3, size, size],
     * already resized and normalised with CLIP's mean/std.
     */
    public NDArray encodeImage(NDArray pixels) {
        return infer(pixels, DataType.FLOAT32, x -> visual.apply(inferenceStore(x), x, false));
    }

    /**
     * {@link #encodeImage(NDArray)} computed in {@code store}'s precision (float32 result):
     * the pixels are cast, the weights come from the store's cast copies.
     */
    public NDArray encodeImage(NDArray pixels, CastParameterStore store) {
        return infer(pixels, DataType.FLOAT32, x -> visual.apply(store, lower(store, x), false)
                .toType(DataType.FLOAT32, false));
    }

    /** {@link #encodeText(NDArray)} computed in {@code store}'s precision (float32 result). */
    public NDArray encodeText(NDArray ids, CastParameterStore store) {
        requireTokenIds(ids);
        return infer(ids, DataType.INT64, x -> text.apply(store, x, false).toType(DataType.FLOAT32, false));
    }

    private static NDArray lower(CastParameterStore store, NDArray pixels) {
        return store.precision() == Precision.FP32 ? pixels : store.precision().cast(pixels);
    }

    /** Text features [N, embed] (projected, before L2 normalisation) of token ids [N, ≤ context]. */
    public NDArray encodeText(NDArray ids) {
        requireTokenIds(ids);
        return infer(ids, DataType.INT64, x -> text.apply(inferenceStore(x), x, false));
    }

    /** L2-normalised image embeddings [N, embed]. */
    public NDArray encodeImageNormalized(NDArray pixels) {
        return normalizeReplacing(encodeImage(pixels));
    }

    /** L2-normalised text embeddings [N, embed]. */
    public NDArray encodeTextNormalized(NDArray ids) {
        return normalizeReplacing(encodeText(ids));
    }

    /**
     * CLIP's {@code logits_per_image} [images, texts]: scale × cosine similarity of the (not
     * necessarily normalised) features. Its transpose is {@code logits_per_text}.
     */
    public NDArray logits(NDArray imageFeatures, NDArray textFeatures) {
        try (GradMode off = GradMode.disabled(); NDManager scope = scopeFor(imageFeatures)) {
            scope.tempAttachAll(textFeatures);
            NDArray cosine = l2Normalize(imageFeatures).matMul(l2Normalize(textFeatures).transpose());
            return scope.ret(cosine.mul(logitScale()));
        }
    }

    /** {@code exp(logit_scale)} clamped to 100: the scale the logits use. */
    public float logitScale() {
        float raw = logitScale.getArray().getFloat();
        return (float) Math.exp(Math.min(raw, MAX_LOGIT_SCALE));
    }

    /** L2 normalisation over the last axis as {@code F.normalize(x, dim=-1)}; joins x's manager. */
    public static NDArray l2Normalize(NDArray x) {
        return x.normalize(2, -1, NORM_EPS);
    }

    /**
     * The training forward: inputs (pixels [N, 3, size, size], ids [N, context]) give
     * (image embeddings [N, E], text embeddings [N, E], both L2-normalised, and the scale []).
     */
    @Override
    protected NDList forwardInternal(
            ParameterStore parameters, NDList inputs, boolean training, PairList<String, Object> params) {
        if (inputs.size() != 2) {
            throw new IllegalArgumentException("ClipModel expects (pixels, token ids), got " + inputs.size()
                    + " inputs");
        }
        NDArray pixels = inputs.get(0);
        NDArray ids = inputs.get(1);
        requireTokenIds(ids);
        try (NDManager scope = scopeFor(pixels)) {
            scope.tempAttachAll(ids);
            NDArray image = l2Normalize(visual.apply(parameters, pixels, training));
            NDArray texts = l2Normalize(text.apply(parameters, ids, training));
            NDArray raw = parameters.getValue(logitScale, pixels.getDevice(), training);
            // A PyTorch-owned bound: the backward of minimum reads it (see Scalars).
            NDArray bound = Scalars.like(raw, MAX_LOGIT_SCALE);
            bound.attach(scope); // made in the parameter's manager: keep it out of there
            NDArray scale = raw.minimum(bound);
            scale.attach(scope);
            return scope.ret(new NDList(image, texts, scale.exp()));
        }
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        long images = inputShapes[0].get(0);
        long texts = inputShapes.length > 1 ? inputShapes[1].get(0) : images;
        return new Shape[] {new Shape(images, config.embedDim()), new Shape(texts, config.embedDim()),
            new Shape()};
    }

    public Shape imageInputShape(long batch) {
        return new Shape(batch, 3, config.imageSize(), config.imageSize());
    }

    public Shape textInputShape(long batch) {
        return new Shape(batch, config.contextLength());
    }

    private NDArray infer(NDArray input, DataType dataType, Function<NDArray, NDArray> tower) {
        if (!isInitialized()) {
            throw new IllegalStateException("ClipModel is not initialised: call initialize or loadWeights");
        }
        try (GradMode off = GradMode.disabled();
                NDManager scope = input.getManager().newSubManager(device())) {
            // While the input sits in the scope, its converted copies land there too.
            scope.tempAttachAll(input);
            NDArray x = input.toDevice(device(), false).toType(dataType, false);
            return scope.ret(tower.apply(x));
        }
    }

    private static ParameterStore inferenceStore(NDArray x) {
        return new ParameterStore(x.getManager(), false);
    }

    private void requireTokenIds(NDArray ids) {
        DataType type = ids.getDataType();
        if (type != DataType.INT64 && type != DataType.INT32) {
            throw new IllegalArgumentException("Token ids must be INT32 or INT64, got " + type);
        }
        long min;
        long max;
        try (NDManager scope = scopeFor(ids)) {
            min = ids.min().toType(DataType.INT64, false).getLong();
            max = ids.max().toType(DataType.INT64, false).getLong();
        }
        if (min < 0 || max >= config.vocabSize()) {
            throw new IllegalArgumentException("Token ids must lie in [0, " + config.vocabSize()
                    + "), found " + min + ".." + max + ": does the tokenizer's vocabulary match the model?");
        }
    }

    private static NDArray normalizeReplacing(NDArray features) {
        try (features) {
            return l2Normalize(features);
        }
    }
}
