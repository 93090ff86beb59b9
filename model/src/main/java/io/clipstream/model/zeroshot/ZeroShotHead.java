package io.clipstream.model.zeroshot;

import io.clipstream.model.ClipModel;
import io.clipstream.model.TextTokenizer;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.IntStream;

/**
 * A zero-shot classifier built from label names and prompt templates, as in the CLIP paper: every
 * label is put into every template ({@code "a photo of a {}."}), the prompts are tokenized in one
 * batch and encoded, the L2-normalised text embeddings are averaged over the templates of each
 * label and normalised again (prompt ensembling). Images are then scored for a whole batch with
 * one matrix product: probabilities = softmax(scale × cosine).
 *
 * <p>The head owns its label embeddings; close it to free them.
 */
public final class ZeroShotHead implements AutoCloseable {

    /** Prompts per text-encoder call: large label sets × templates are encoded in chunks of this. */
    public static final int DEFAULT_PROMPT_BATCH = 512;

    private final List<String> labels;
    private final NDArray labelEmbeddings; // [labels, embed], unit rows
    private final NDArray classifier; // [embed, labels]: OpenAI's zeroshot_weights, a view of the above
    private final float scale;

    private ZeroShotHead(List<String> labels, NDArray labelEmbeddings, float scale) {
        this.labels = List.copyOf(labels);
        this.labelEmbeddings = labelEmbeddings;
        this.classifier = labelEmbeddings.transpose();
        this.scale = scale;
    }

    /** Builds the head with the model's own logit scale (exp(logit_scale), ≤ 100). */
    public static ZeroShotHead build(ClipModel model, TextTokenizer tokenizer, List<String> labels,
            List<String> templates, NDManager manager) {
        return build(model, tokenizer, labels, templates, model.logitScale(), DEFAULT_PROMPT_BATCH, manager);
    }

    /**
     * Builds the head.
     *
     * @param templates prompt templates, each with one {@code {}} for the label
     * @param scale the softmax temperature's inverse (CLIP: 100)
     * @param promptBatch the most prompts per text-encoder call
     * @param manager owns the label embeddings
     */
    public static ZeroShotHead build(ClipModel model, TextTokenizer tokenizer, List<String> labels,
            List<String> templates, float scale, int promptBatch, NDManager manager) {
        if (labels.isEmpty() || templates.isEmpty()) {
            throw new IllegalArgumentException("Zero-shot needs at least one label and one template");
        }
        for (String template : templates) {
            if (!template.contains("{}")) {
                throw new IllegalArgumentException("Template '" + template + "' has no {} for the label");
            }
        }
        List<List<String>> prompts = new ArrayList<>(labels.size());
        for (String label : labels) {
            prompts.add(templates.stream().map(template -> template.replace("{}", label)).toList());
        }
        int dimension = model.config().embedDim();
        float[] rows = PromptEnsemble.unitLabelRows(prompts, dimension, promptBatch, manager, (scope, batch) -> {
            long[][] ids = tokenizer.tokenizeBatch(batch);
            if (ids.length != batch.size()) {
                throw new IllegalStateException("The tokenizer returned " + ids.length + " rows for "
                        + batch.size() + " prompts");
            }
            return model.encodeTextNormalized(scope.create(ids)).toFloatArray();
        });
        return new ZeroShotHead(labels, manager.create(rows, new Shape(labels.size(), dimension)), scale);
    }

    public List<String> labels() {
        return labels;
    }

    /** The unit label embeddings [labels, embed] (owned by the head). */
    public NDArray labelEmbeddings() {
        return labelEmbeddings;
    }

    public float scale() {
        return scale;
    }

    /** Class probabilities [N, labels] for image features [N, embed] (normalised or not). */
    public NDArray probabilities(NDArray imageFeatures) {
        try (NDManager scope = imageFeatures.getManager().newSubManager(imageFeatures.getDevice())) {
            scope.tempAttachAll(imageFeatures);
            NDArray cosine = ClipModel.l2Normalize(imageFeatures).matMul(classifier);
            return scope.ret(cosine.mul(scale).softmax(-1));
        }
    }

    /** The {@code k} most probable labels of each image, best first. */
    public List<List<Prediction>> topK(NDArray imageFeatures, int k) {
        float[] probabilities;
        try (NDArray p = probabilities(imageFeatures)) {
            probabilities = p.toFloatArray();
        }
        int classes = labels.size();
        int images = (int) (probabilities.length / classes);
        int keep = Math.min(k, classes);
        List<List<Prediction>> result = new ArrayList<>(images);
        for (int image = 0; image < images; image++) {
            int row = image * classes;
            result.add(IntStream.range(0, classes)
                    .boxed()
                    .sorted(Comparator.comparingDouble((Integer c) -> -probabilities[row + c]))
                    .limit(keep)
                    .map(c -> new Prediction(c, labels.get(c), probabilities[row + c]))
                    .toList());
        }
        return result;
    }

    /** One ranked label. */
    public record Prediction(int index, String label, float probability) {
    }

    @Override
    public void close() {
        classifier.close();
        labelEmbeddings.close();
    }
}
