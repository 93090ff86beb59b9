package io.clipstream.model.train;

import io.clipstream.model.ClipModel;
import io.clipstream.model.zeroshot.ZeroShotHead;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.DataType;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.function.Function;

/**
 * Held-out measures of a CLIP model: cross-modal retrieval recall@k over a pool of pairs, and
 * zero-shot accuracy with a {@link ZeroShotHead}. Encoding runs without autograd, in chunks of a
 * given size; every intermediate array is closed.
 *
 * <p>Ranks count the candidates scored strictly higher than the right one, so ties (only exact
 * float equality) count in the query's favour.
 */
public final class Evaluation {

    private Evaluation() {
    }

    /** Encodes pairs (row i of pixels with row i of ids) and measures retrieval among them. */
    public static RetrievalRecall retrievalRecall(ClipModel model, NDArray pixels, NDArray tokenIds, int chunk,
            int... ks) {
        try (NDManager scope = pixels.getManager().newSubManager()) {
            NDArray images = encode(pixels, chunk, model::encodeImageNormalized, scope);
            NDArray texts = encode(tokenIds, chunk, model::encodeTextNormalized, scope);
            return retrievalRecall(images, texts, ks);
        }
    }

    /**
     * Recall@k both ways for embeddings where image i and text i form a pair (normalised or not:
     * cosine similarity ranks them).
     */
    public static RetrievalRecall retrievalRecall(NDArray imageEmbeddings, NDArray textEmbeddings, int... ks) {
        long pool = imageEmbeddings.getShape().get(0);
        if (textEmbeddings.getShape().get(0) != pool || ks.length == 0) {
            throw new IllegalArgumentException("Need as many texts as images (" + imageEmbeddings.getShape() + ", "
                    + textEmbeddings.getShape() + ") and at least one k");
        }
        long[] imageRanks;
        long[] textRanks;
        try (NDManager scope = imageEmbeddings.getManager().newSubManager(imageEmbeddings.getDevice())) {
            scope.tempAttachAll(imageEmbeddings, textEmbeddings);
            NDArray similarity = ClipModel.l2Normalize(imageEmbeddings)
                    .matMul(ClipModel.l2Normalize(textEmbeddings).transpose()); // [images, texts]
            NDArray matching = similarity.diagonal();
            imageRanks = similarity.gt(matching.reshape(pool, 1)).sum(new int[] {1})
                    .toType(DataType.INT64, false).toLongArray();
            textRanks = similarity.gt(matching.reshape(1, pool)).sum(new int[] {0})
                    .toType(DataType.INT64, false).toLongArray();
        }
        return new RetrievalRecall((int) pool, recallAt(imageRanks, ks), recallAt(textRanks, ks), asInts(imageRanks),
                asInts(textRanks));
    }

    /**
     * Zero-shot accuracy of labelled images.
     *
     * @param labels each image's right label, an index into {@code head.labels()}
     */
    public static ZeroShotAccuracy zeroShotAccuracy(ClipModel model, ZeroShotHead head, NDArray pixels,
            int[] labels, int chunk) {
        try (NDManager scope = pixels.getManager().newSubManager()) {
            return zeroShotAccuracy(head, encode(pixels, chunk, model::encodeImage, scope), labels);
        }
    }

    /** Zero-shot accuracy of image features [N, E] with their right label indices. */
    public static ZeroShotAccuracy zeroShotAccuracy(ZeroShotHead head, NDArray imageFeatures, int[] labels) {
        int classes = head.labels().size();
        if (imageFeatures.getShape().get(0) != labels.length) {
            throw new IllegalArgumentException(labels.length + " labels for " + imageFeatures.getShape().get(0)
                    + " images");
        }
        float[] probabilities;
        try (NDArray p = head.probabilities(imageFeatures)) {
            probabilities = p.toFloatArray();
        }
        int top1 = 0;
        int top5 = 0;
        List<Integer> ranks = new ArrayList<>(labels.length);
        for (int image = 0; image < labels.length; image++) {
            if (labels[image] < 0 || labels[image] >= classes) {
                throw new IllegalArgumentException("Label " + labels[image] + " of image " + image
                        + " is not among the head's " + classes);
            }
            float right = probabilities[image * classes + labels[image]];
            int better = 0;
            for (int c = 0; c < classes; c++) {
                if (probabilities[image * classes + c] > right) {
                    better++;
                }
            }
            top1 += better < 1 ? 1 : 0;
            top5 += better < 5 ? 1 : 0;
            ranks.add(better);
        }
        double n = labels.length;
        return new ZeroShotAccuracy(labels.length, classes, top1 / n, top5 / n, ranks);
    }

    private static List<Integer> asInts(long[] ranks) {
        return Arrays.stream(ranks).mapToObj(Math::toIntExact).toList();
    }

    private static SortedMap<Integer, Double> recallAt(long[] ranks, int[] ks) {
        SortedMap<Integer, Double> recall = new TreeMap<>();
        for (int k : ks) {
            if (k < 1) {
                throw new IllegalArgumentException("k must be at least 1: " + k);
            }
            long hits = 0;
            for (long rank : ranks) {
                hits += rank < k ? 1 : 0;
            }
            recall.put(k, (double) hits / ranks.length);
        }
        return recall;
    }

    /** The encoder over chunks of rows, concatenated; the result is owned by {@code scope}. */
    private static NDArray encode(NDArray input, int chunk, Function<NDArray, NDArray> encoder, NDManager scope) {
        if (chunk < 1) {
            throw new IllegalArgumentException("chunk must be at least 1: " + chunk);
        }
        long rows = input.getShape().get(0);
        NDList parts = new NDList();
        for (long start = 0; start < rows; start += chunk) {
            NDArray rowsOf = input.get(new NDIndex("{}:{}", start, Math.min(rows, start + chunk)));
            rowsOf.attach(scope);
            NDArray encoded = encoder.apply(rowsOf);
            encoded.attach(scope);
            parts.add(encoded);
        }
        NDArray all = parts.size() == 1 ? parts.head() : NDArrays.concat(parts, 0);
        all.attach(scope);
        return all;
    }
}
