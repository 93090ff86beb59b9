package io.clipstream.model.train;

import java.util.Collections;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * Recall@k of cross-modal retrieval over a pool of pairs: the share of images whose own caption
 * is among the k texts most similar to them, and the share of captions whose own image is among
 * the k most similar images.
 *
 * @param pool the number of pairs (and of candidates each query is ranked against)
 * @param imageToText recall@k per k, image queries
 * @param textToImage recall@k per k, text queries
 */
public record RetrievalRecall(int pool, SortedMap<Integer, Double> imageToText,
        SortedMap<Integer, Double> textToImage) {

    public RetrievalRecall {
        imageToText = Collections.unmodifiableSortedMap(new TreeMap<>(imageToText));
        textToImage = Collections.unmodifiableSortedMap(new TreeMap<>(textToImage));
    }

    public double imageToText(int k) {
        return at(imageToText, k);
    }

    public double textToImage(int k) {
        return at(textToImage, k);
    }

    /** The mean of both directions at k. */
    public double mean(int k) {
        return (imageToText(k) + textToImage(k)) / 2;
    }

    /** The recall an untrained model has on average: k / pool. */
    public double chance(int k) {
        return Math.min(1.0, (double) k / pool);
    }

    private static double at(Map<Integer, Double> recall, int k) {
        Double value = recall.get(k);
        if (value == null) {
            throw new IllegalArgumentException("recall@" + k + " was not computed; have " + recall.keySet());
        }
        return value;
    }
}
