package io.clipstream.model.train;

/**
 * Zero-shot classification accuracy over labelled images.
 *
 * @param images how many images were classified
 * @param labels how many labels they were classified among
 * @param top1 share of images whose label was the most probable
 * @param top5 share of images whose label was among the five most probable
 */
public record ZeroShotAccuracy(int images, int labels, double top1, double top5) {

    /** Top-1 accuracy of guessing: 1 / labels. */
    public double chanceTop1() {
        return 1.0 / labels;
    }
}
