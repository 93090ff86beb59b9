package io.clipstream.embedder;

import io.clipstream.model.image.ClipImageTransform;
import io.clipstream.model.image.DecodeBudget;
import io.clipstream.model.image.DecodeBudgetExhaustedException;
import io.clipstream.model.image.InvalidImageException;
import io.clipstream.model.image.RgbImage;
import java.time.Duration;

/**
 * An image decoded and cut to a model's input size, ready for a batch.
 *
 * @param encoded the encoded bytes, kept beside the pixels where a model switched in before the batch runs may want
 *                another size (HTTP, the request holds them anyway); {@code null} on the stream, where they are let go
 *                once the pixels are made: a record read again after a size change is prepared again
 */
public record PreparedImage(byte[] encoded, RgbImage pixels) {

    /** The image was prepared for a model of another size and its bytes are gone: read the record again. */
    public static final class SizeChangedException extends RuntimeException {
        SizeChangedException(int prepared, int wanted) {
            super("image prepared at " + prepared + " px, the model now serving wants " + wanted
                    + " px; the record is read again");
        }
    }

    /** Decodes (limits checked first), resizes and centre-crops with the transform of the active model. */
    public static PreparedImage of(byte[] encoded, ClipImageTransform transform) throws InvalidImageException {
        return new PreparedImage(encoded, transform.preprocess(encoded));
    }

    /**
     * For the stream: prepared under {@code budget}, waiting for it as long as it takes (back-pressure), and kept
     * without the encoded bytes.
     */
    public static PreparedImage of(byte[] encoded, ClipImageTransform transform, DecodeBudget budget)
            throws InvalidImageException, InterruptedException {
        return new PreparedImage(null, transform.preprocess(encoded, budget));
    }

    /**
     * For HTTP: prepared under {@code budget}, waiting at most {@code wait}.
     *
     * @throws DecodeBudgetExhaustedException when no budget came free in time
     */
    public static PreparedImage of(byte[] encoded, ClipImageTransform transform, DecodeBudget budget, Duration wait)
            throws InvalidImageException, InterruptedException {
        return new PreparedImage(encoded, transform.preprocess(encoded, budget, wait));
    }

    /** The heap this image holds, in bytes. */
    public long bytes() {
        return pixels.pixels().length + (encoded == null ? 0 : encoded.length);
    }

    /** The pixels at {@code transform}'s size, prepared again from the bytes if they were cut for another size. */
    RgbImage pixelsFor(ClipImageTransform transform) {
        if (pixels.width() == transform.size() && pixels.height() == transform.size()) {
            return pixels;
        }
        if (encoded == null) {
            throw new SizeChangedException(pixels.width(), transform.size());
        }
        try {
            return transform.preprocess(encoded);
        } catch (InvalidImageException e) {
            // The same bytes decoded under the same limits a moment ago.
            throw new IllegalStateException("image decoded before but not now: " + e.getMessage(), e);
        }
    }
}
