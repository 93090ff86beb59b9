package io.clipstream.model.train;

import java.util.Collections;
import java.util.List;
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
 * @param imageToTextRanks per image query, how many texts scored strictly higher than its own caption
 * @param textToImageRanks per text query, how many images scored strictly higher than its own image
 */
public record RetrievalRecall(int pool, SortedMap<Integer, Double> imageToText,
        SortedMap<Integer, Double> textToImage, List<Integer> imageToTextRanks, List<Integer> textToImageRanks) {

    public RetrievalRecall {
        imageToText = Collections.unmodifiableSortedMap(new TreeMap<>(imageToText));
        textToImage = Collections.unmodifiableSortedMap(new TreeMap<>(textToImage));
        imageToTextRanks = List.copyOf(imageToTextRanks);
        textToImageRanks = List.copyOf(textToImageRanks);
    }

    /** Per image query (pair order), whether its caption was among the k most similar texts. */
    public boolean[] imageToTextHits(int k) {
        return hits(imageToTextRanks, k);
    }

    /** Per text query (pair order), whether its image was among the k most similar images. */
    public boolean[] textToImageHits(int k) {
        return hits(textToImageRanks, k);
    }

    static boolean[] hits(List<Integer> ranks, int k) {
        boolean[] hits = new boolean[ranks.size()];
        for (int i = 0; i < hits.length; i++) {
            hits[i] = ranks.get(i) < k;
        }
        return hits;
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
