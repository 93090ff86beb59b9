package io.clipstream.classifier.scoring;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import io.clipstream.model.engine.GradMode;
import io.clipstream.model.zeroshot.UnitRows;

/**
 * The bare scoring function: a batch of image embeddings against a label set's embeddings in ONE matrix product,
 * cosine = normalise(images) · labelsᵀ, then probabilities = softmax(logit_scale × cosine) per image.
 */
public final class ZeroShotScorer {

    private ZeroShotScorer() {
    }

    /**
     * @param images row-major [count, dimension] image embeddings; their rows are L2-normalised IN PLACE (again: a
     *               producer's rounding must not change the softmax temperature)
     */
    public static Scores score(float[] images, int count, LabelEmbeddings labels) {
        int dimension = labels.dimension();
        if (images.length != count * dimension) {
            throw new IllegalArgumentException(count + " images of " + dimension + " dimensions need "
                    + count * dimension + " values, got " + images.length);
        }
        UnitRows.normalize(images, count, dimension);
        // Autograd is per thread in PyTorch; nothing here needs it, so make sure the stream thread records nothing.
        try (GradMode off = GradMode.disabled(); NDManager scope = labels.manager().newSubManager()) {
            NDArray cosine = scope.create(images, new Shape(count, dimension)).matMul(labels.classifier());
            NDArray probabilities = cosine.mul(labels.scale()).softmax(-1);
            return new Scores(count, labels.size(), cosine.toFloatArray(), probabilities.toFloatArray());
        }
    }
}
