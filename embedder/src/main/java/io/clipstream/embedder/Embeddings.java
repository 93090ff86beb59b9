package io.clipstream.embedder;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import io.clipstream.model.image.RgbImage;
import io.clipstream.model.serve.ServedModel;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;

/**
 * L2-normalised vectors, one per input in order, and the model version that made them.
 *
 * @param vectors   [inputs][embedding dimension]
 * @param modelTime time spent in the model (waiting for the inference thread not included)
 */
public record Embeddings(String modelVersion, float[][] vectors, Duration modelTime) {

    public int dimensions() {
        return vectors.length == 0 ? 0 : vectors[0].length;
    }

    /** Runs the image tower on a batch; call it on the inference thread (see {@link ActiveModel}). */
    public static Embeddings ofImages(ServedModel model, List<PreparedImage> images) {
        long start = System.nanoTime();
        List<RgbImage> pixels = images.stream().map(image -> image.pixelsFor(model.transform())).toList();
        try (NDManager manager = NDManager.newBaseManager(model.model().device())) {
            float[][] vectors = rows(model.embedImages(manager, pixels));
            return new Embeddings(model.version(), vectors, Duration.ofNanos(System.nanoTime() - start));
        }
    }

    /** Runs the text tower on a batch; call it on the inference thread (see {@link ActiveModel}). */
    public static Embeddings ofTexts(ServedModel model, List<String> texts) {
        if (model.tokenizer().isEmpty()) {
            throw new NoModelException("model version " + model.version() + " cannot embed text: its checkpoint has"
                    + " no tokenizer and no vocabulary is configured (clipstream.model.vocabulary)");
        }
        long start = System.nanoTime();
        try (NDManager manager = NDManager.newBaseManager(model.model().device())) {
            float[][] vectors = rows(model.embedTexts(manager, texts));
            return new Embeddings(model.version(), vectors, Duration.ofNanos(System.nanoTime() - start));
        }
    }

    private static float[][] rows(NDArray matrix) {
        int n = Math.toIntExact(matrix.getShape().get(0));
        int dimensions = Math.toIntExact(matrix.getShape().get(1));
        float[] flat = matrix.toFloatArray();
        float[][] rows = new float[n][];
        for (int i = 0; i < n; i++) {
            rows[i] = Arrays.copyOfRange(flat, i * dimensions, (i + 1) * dimensions);
        }
        return rows;
    }
}
