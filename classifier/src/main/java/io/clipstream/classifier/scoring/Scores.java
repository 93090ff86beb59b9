package io.clipstream.classifier.scoring;

/**
 * The scores of {@code images} images against {@code labels} labels, row-major: cosine similarities and
 * probabilities = softmax(scale × cosine) over the labels of each image.
 */
public record Scores(int images, int labels, float[] similarities, float[] probabilities) {

    public float similarity(int image, int label) {
        return similarities[image * labels + label];
    }

    public float probability(int image, int label) {
        return probabilities[image * labels + label];
    }

    /**
     * The {@code k} most probable labels of {@code image}, best first (ties: the earlier label first). A partial
     * selection, O(labels × k): sets of 1,000 labels usually want 5.
     */
    public int[] topK(int image, int k) {
        int keep = Math.max(0, Math.min(k, labels)); // a set written around the API may say 0
        int[] best = new int[keep];
        if (keep == 0) {
            return best;
        }
        int held = 0;
        int row = image * labels;
        for (int label = 0; label < labels; label++) {
            float p = probabilities[row + label];
            if (held == keep && p <= probabilities[row + best[held - 1]]) {
                continue;
            }
            int at = held == keep ? keep - 1 : held++;
            while (at > 0 && probabilities[row + best[at - 1]] < p) {
                best[at] = best[at - 1];
                at--;
            }
            best[at] = label;
        }
        return best;
    }
}
