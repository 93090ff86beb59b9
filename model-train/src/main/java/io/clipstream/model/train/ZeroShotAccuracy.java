package io.clipstream.model.train;

import java.util.List;

/**
 * Zero-shot classification accuracy over labelled images.
 *
 * @param images how many images were classified
 * @param labels how many labels they were classified among
 * @param top1 share of images whose label was the most probable
 * @param top5 share of images whose label was among the five most probable
 * @param ranks per image, how many labels were strictly more probable than its own
 */
public record ZeroShotAccuracy(int images, int labels, double top1, double top5, List<Integer> ranks) {

    public ZeroShotAccuracy {
        ranks = List.copyOf(ranks);
    }

    /** Per image, whether its label was among the k most probable. */
    public boolean[] hits(int k) {
        return RetrievalRecall.hits(ranks, k);
    }

    /** Top-1 accuracy of guessing: 1 / labels. */
    public double chanceTop1() {
        return 1.0 / labels;
    }
}
