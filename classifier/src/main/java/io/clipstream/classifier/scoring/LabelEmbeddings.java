package io.clipstream.classifier.scoring;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import io.clipstream.classifier.labelset.LabelSets;
import io.clipstream.model.engine.Engines;
import io.clipstream.model.serve.ServedModel;
import io.clipstream.model.zeroshot.PromptEnsemble;
import io.clipstream.schemas.LabelSet;
import java.util.List;

/**
 * The unit label embeddings of one label set revision under one model version, with that version's logit scale:
 * everything the scoring function needs besides the images. They hold native memory: close them (the cache does).
 */
public final class LabelEmbeddings implements AutoCloseable {

    /** Prompts per text-encoder call: a 1,000-label set with many templates is encoded in chunks. */
    static final int PROMPT_BATCH = 256;

    private final String labelSetId;
    private final long revision;
    private final String modelVersion;
    private final LabelSet source;
    private final List<String> names;
    private final float scale;
    private final NDManager manager;
    private final NDArray unitRows; // [labels, dim]
    private final NDArray classifier; // [dim, labels]: the transposed view the matrix product multiplies by

    private LabelEmbeddings(LabelSet source, String modelVersion, float scale, NDManager manager, float[] rows,
            int dimension) {
        this.labelSetId = source.getId();
        this.revision = source.getRevision();
        this.modelVersion = modelVersion;
        this.source = source;
        this.names = LabelSets.names(source);
        this.scale = scale;
        this.manager = manager;
        this.unitRows = manager.create(rows, new Shape(names.size(), dimension));
        this.classifier = unitRows.transpose();
    }

    /**
     * Encodes every prompt of every label with {@code model}'s text encoder and ensembles them as the CLIP paper
     * does ({@link PromptEnsemble}, as the model's zero-shot head), a label's own prompts in place of the set's
     * templates where it brings them.
     */
    public static LabelEmbeddings build(LabelSet set, ServedModel model) {
        int dimension = model.config().embedDim();
        NDManager manager = Engines.pytorch().newBaseManager(model.model().device());
        try {
            float[] rows = PromptEnsemble.unitLabelRows(LabelSets.prompts(set), dimension, PROMPT_BATCH, manager,
                    (scope, batch) -> model.embedTexts(scope, batch).toFloatArray());
            return new LabelEmbeddings(set, model.version(), model.model().logitScale(), manager, rows, dimension);
        } catch (RuntimeException e) {
            manager.close();
            throw e;
        }
    }

    /**
     * Label embeddings computed elsewhere (unit rows [labels, dimension], row-major), e.g. to measure the scoring
     * function without a text encoder of that width. The rows are used as given.
     */
    public static LabelEmbeddings of(LabelSet set, String modelVersion, float scale, float[] unitRows, int dimension) {
        if (unitRows.length != set.getLabels().size() * dimension) {
            throw new IllegalArgumentException(set.getLabels().size() + " labels of " + dimension + " dimensions need "
                    + set.getLabels().size() * dimension + " values, got " + unitRows.length);
        }
        return new LabelEmbeddings(set, modelVersion, scale, Engines.newManager(), unitRows, dimension);
    }

    /** Whether these embeddings were built from this set's labels and prompts (a re-created set may reuse a revision). */
    boolean builtFrom(LabelSet set) {
        return source.getLabels().equals(set.getLabels()) && source.getTemplates().equals(set.getTemplates());
    }

    public String labelSetId() {
        return labelSetId;
    }

    public long revision() {
        return revision;
    }

    public String modelVersion() {
        return modelVersion;
    }

    public List<String> names() {
        return names;
    }

    public int size() {
        return names.size();
    }

    public int dimension() {
        return (int) unitRows.getShape().get(1);
    }

    /** exp(logit_scale) of the model version, clamped to 100 as CLIP does. */
    public float scale() {
        return scale;
    }

    NDManager manager() {
        return manager;
    }

    /** [dim, labels]. */
    NDArray classifier() {
        return classifier;
    }

    /** The unit rows [labels, dim], copied out (for tests and diagnostics). */
    public float[] rows() {
        return unitRows.toFloatArray();
    }

    @Override
    public void close() {
        manager.close();
    }
}
