package io.clipstream.model.train;

import io.clipstream.model.image.RgbImage;

/**
 * One image and its caption, the unit of training data.
 *
 * @param image the image, ideally already at the model's size (ingest stores it so)
 * @param caption the text that goes with it
 */
public record TrainingPair(RgbImage image, String caption) {

    public TrainingPair {
        if (image == null || caption == null) {
            throw new IllegalArgumentException("A training pair needs an image and a caption");
        }
    }

    /** Interleaved RGB bytes of a {@code size}×{@code size} image (as ingest stores them) and a caption. */
    public static TrainingPair ofRgb(byte[] rgb, int size, String caption) {
        return new TrainingPair(new RgbImage(size, size, rgb), caption);
    }
}
