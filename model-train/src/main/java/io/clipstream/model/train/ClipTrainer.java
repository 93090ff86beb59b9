package io.clipstream.model.train;

import io.clipstream.model.ClipModel;
import io.clipstream.model.engine.GradMode;
import io.clipstream.model.engine.Precision;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.pytorch.engine.PtNDArray;
import ai.djl.pytorch.jni.JniUtils;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Trains a {@link ClipModel} in place, one batch of image–text pairs per {@link #step}: the
 * contrastive loss ({@link ClipLoss}) and its gradient ({@link ContrastiveBackward}, in
 * micro-batches when asked), global-norm clipping ({@link GradientClipping}), an AdamW update at
 * the scheduled learning rate ({@link AdamW}, {@link LearningRateSchedule}), and the logit scale
 * clamped to [0, ln 100] as OpenCLIP does after every step.
 *
 * <p>Every array a step makes lives in a per-step sub-manager and is closed with it; the only
 * arrays that persist are the parameters and the optimiser's moments. Gradients are PyTorch's
 * own buffers inside the parameters, zeroed after each update.
 *
 * <p>Precision ({@link TrainingConfig#precision()}): the parameters, their gradients and AdamW's moments are float32
 * whatever it is; in bf16 (or fp16, GPU only) the heavy operations of the forward and backward compute in it, as
 * OpenCLIP's {@code --precision amp_bf16} does (see {@code MixedPrecisionStore}). No loss scaling: bf16 has
 * float32's range.
 *
 * <p>Single device: the model's. PyTorch's autograd state is per thread, so each step must run
 * on one thread (any), and DJL allows one gradient collector at a time in a JVM: one trainer
 * steps at a time. Not thread-safe.
 */
public final class ClipTrainer implements AutoCloseable {

    private final ClipModel model;
    private final TrainingConfig config;
    private final Map<String, Parameter> parameters;
    private final Parameter logitScale;
    private final NDManager manager;
    private final AdamW optimizer;
    private final ContrastiveBackward backward;
    private long samplesSeen;

    private ClipTrainer(ClipModel model, TrainingConfig config) {
        if (!model.isInitialized()) {
            throw new IllegalStateException("Initialise or load the model's weights before training it");
        }
        config.precision().requireSupportedOn(model.device());
        this.model = model;
        this.config = config;
        this.parameters = model.namedParameters();
        this.logitScale = parameters.get("logit_scale");
        // Beside the weights, on their device: closing the model's manager frees the trainer too.
        this.manager = logitScale.getArray().getManager().newSubManager(model.device());
        this.optimizer = new AdamW(ParameterGroups.of(parameters), config.optimizer(), manager);
        this.backward = new ContrastiveBackward(model, config.microBatchSize(), config.precision());
    }

    /** A trainer with fresh optimiser state (step 0) for the model's current weights. */
    public static ClipTrainer create(ClipModel model, TrainingConfig config) {
        return new ClipTrainer(model, config);
    }

    /**
     * A trainer that continues a run: the model holds the saved weights, {@code optimizerState} the
     * saved AdamW state (its step count is the trainer's), {@code samplesSeen} the pairs seen.
     */
    public static ClipTrainer resume(ClipModel model, TrainingConfig config, Path optimizerState, long samplesSeen)
            throws IOException {
        ClipTrainer trainer = new ClipTrainer(model, config);
        try {
            trainer.optimizer.load(optimizerState);
        } catch (IOException | RuntimeException e) {
            trainer.close();
            throw e;
        }
        trainer.samplesSeen = samplesSeen;
        return trainer;
    }

    /**
     * One optimiser step on a batch of pairs: row {@code i} of the pixels goes with row {@code i}
     * of the token ids.
     *
     * @param pixels [N, 3, size, size] float32, normalised as {@code ClipImageTransform} does
     * @param tokenIds [N, L ≤ context] INT32/INT64, as {@code ClipTokenizer.tokenizeBatch} gives them
     */
    public StepResult step(NDArray pixels, NDArray tokenIds) {
        Shape shape = pixels.getShape();
        long rows = shape.get(0);
        if (!shape.equals(model.imageInputShape(rows)) || tokenIds.getShape().dimension() != 2
                || tokenIds.getShape().get(0) != rows) {
            throw new IllegalArgumentException("Expected pixels " + model.imageInputShape(rows) + " and token ids ["
                    + rows + ", L], got " + shape + " and " + tokenIds.getShape());
        }
        if (pixels.getDataType() != DataType.FLOAT32) {
            throw new IllegalArgumentException("Pixels must be float32, got " + pixels.getDataType());
        }
        long completed = optimizer.steps();
        double learningRate = config.schedule().at(completed);
        try (NDManager scope = manager.newSubManager()) {
            // While the inputs sit in the scope, everything computed from them lands there too.
            scope.tempAttachAll(pixels, tokenIds);
            zeroGradients();
            float loss = backward.run(pixels.toDevice(model.device(), false),
                    tokenIds.toDevice(model.device(), false), scope);
            Map<String, NDArray> gradients = gradients(scope);
            double norm = GradientClipping.globalNorm(gradients.values());
            if (!Double.isFinite(norm) || !Float.isFinite(loss)) {
                List<String> culprits = nonFinite(gradients);
                zeroGradients();
                throw new NonFiniteLossException(completed + 1, loss, norm, culprits);
            }
            optimizer.step(gradients, learningRate, GradientClipping.coefficient(norm, config.maxGradientNorm()));
            zeroGradients();
            clampLogitScale();
            samplesSeen += rows;
            return new StepResult(optimizer.steps(), loss, model.logitScale(), norm, learningRate);
        }
    }

    /** What the heavy operations compute in. */
    public Precision precision() {
        return config.precision();
    }

    /** Optimiser steps taken, including those before a resume. */
    public long steps() {
        return optimizer.steps();
    }

    /** Pairs trained on, including those before a resume. */
    public long samplesSeen() {
        return samplesSeen;
    }

    public ClipModel model() {
        return model;
    }

    public TrainingConfig config() {
        return config;
    }

    public AdamW optimizer() {
        return optimizer;
    }

    /** Writes the optimiser's state ({@code m.*}, {@code v.*}, step count) for a later {@link #resume}. */
    public void saveOptimizerState(Path file) throws IOException {
        optimizer.save(file);
    }

    /** Each parameter's accumulated gradient, as handles owned by {@code scope}. */
    private Map<String, NDArray> gradients(NDManager scope) {
        Map<String, NDArray> gradients = new LinkedHashMap<>();
        parameters.forEach((name, parameter) -> {
            NDArray gradient = parameter.getArray().getGradient();
            gradient.attach(scope); // a new handle on PyTorch's .grad, else kept by the weights' manager
            gradients.put(name, gradient);
        });
        return gradients;
    }

    /** The parameters whose gradient holds a NaN or an infinity. */
    private static List<String> nonFinite(Map<String, NDArray> gradients) {
        List<String> names = new ArrayList<>();
        gradients.forEach((name, gradient) -> {
            try (NDArray sum = gradient.sum()) {
                if (!Float.isFinite(sum.getFloat())) {
                    names.add(name);
                }
            }
        });
        return names;
    }

    private void zeroGradients() {
        for (Parameter parameter : parameters.values()) {
            JniUtils.zeroGrad((PtNDArray) parameter.getArray());
        }
    }

    /** OpenCLIP: {@code logit_scale.clamp_(0, math.log(100))} after each step. */
    private void clampLogitScale() {
        NDArray value = logitScale.getArray();
        float raw = value.getFloat();
        float clamped = Math.max(0f, Math.min(raw, ClipModel.MAX_LOGIT_SCALE));
        if (clamped != raw) {
            try (GradMode off = GradMode.disabled()) {
                value.muli(0).addi(clamped); // in place: the parameter keeps its tensor and gradient
            }
        }
    }

    /** Frees the optimiser's state; the model stays. */
    @Override
    public void close() {
        optimizer.close();
        manager.close();
    }
}
