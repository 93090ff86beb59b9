package io.clipstream.model.zeroshot;

import ai.djl.ndarray.NDManager;
import java.util.ArrayList;
import java.util.List;

/**
 * Prompt ensembling as the CLIP paper does it: a label's embedding is the mean of the unit text embeddings of its
 * prompts, normalised again. Prompts are encoded in batches; a label may have any number of them. The zero-shot head
 * (one template list for all labels) and the classifier's label sets (a label may bring its own prompts) both use it.
 */
public final class PromptEnsemble {

    /** Unit text embeddings of {@code texts}, row-major {@code [texts, dimension]}, computed on {@code scope}. */
    @FunctionalInterface
    public interface TextEncoder {
        float[] unitEmbeddings(NDManager scope, List<String> texts);
    }

    private PromptEnsemble() {
    }

    /**
     * @param prompts     each label's prompts, at least one per label
     * @param promptBatch the most prompts per encoder call
     * @param manager     the parent of the scope each batch is encoded on (closed after the batch)
     * @return the unit label rows, row-major {@code [labels, dimension]}
     */
    public static float[] unitLabelRows(List<List<String>> prompts, int dimension, int promptBatch, NDManager manager,
            TextEncoder encoder) {
        if (promptBatch < 1) {
            throw new IllegalArgumentException("promptBatch must be at least 1, not " + promptBatch);
        }
        List<String> flat = new ArrayList<>();
        List<Integer> owner = new ArrayList<>();
        for (int label = 0; label < prompts.size(); label++) {
            if (prompts.get(label).isEmpty()) {
                throw new IllegalArgumentException("label " + label + " has no prompt");
            }
            for (String prompt : prompts.get(label)) {
                flat.add(prompt);
                owner.add(label);
            }
        }
        float[] sums = new float[prompts.size() * dimension];
        for (int start = 0; start < flat.size(); start += promptBatch) {
            int end = Math.min(flat.size(), start + promptBatch);
            float[] chunk;
            try (NDManager scope = manager.newSubManager()) {
                chunk = encoder.unitEmbeddings(scope, flat.subList(start, end));
            }
            if (chunk.length != (end - start) * dimension) {
                throw new IllegalStateException("The text encoder gave " + chunk.length + " values for " + (end - start)
                        + " prompts of " + dimension + " dimensions");
            }
            for (int p = start; p < end; p++) {
                int row = owner.get(p) * dimension;
                int from = (p - start) * dimension;
                for (int d = 0; d < dimension; d++) {
                    sums[row + d] += chunk[from + d];
                }
            }
        }
        UnitRows.normalize(sums, prompts.size(), dimension); // the mean's direction: the prompt count cancels
        return sums;
    }
}
