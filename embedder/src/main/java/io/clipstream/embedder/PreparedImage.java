package io.clipstream.embedder;

import io.clipstream.model.image.ClipImageTransform;
import io.clipstream.model.image.InvalidImageException;
import io.clipstream.model.image.RgbImage;

/**
 * An image decoded and cut to a model's input size, ready for a batch. The encoded bytes stay beside the pixels: a
 * model switched in before the batch runs may want another size.
 */
public record PreparedImage(byte[] encoded, RgbImage pixels) {

    /** Decodes (limits checked first), resizes and centre-crops with the transform of the active model. */
    public static PreparedImage of(byte[] encoded, ClipImageTransform transform) throws InvalidImageException {
        return new PreparedImage(encoded, transform.preprocess(encoded));
    }

    /** The pixels at {@code transform}'s size, prepared again from the bytes if they were cut for another size. */
    RgbImage pixelsFor(ClipImageTransform transform) {
        if (pixels.width() == transform.size() && pixels.height() == transform.size()) {
            return pixels;
        }
        try {
            return transform.preprocess(encoded);
        } catch (InvalidImageException e) {
            // The same bytes decoded under the same limits a moment ago.
            throw new IllegalStateException("image decoded before but not now: " + e.getMessage(), e);
        }
    }
}
