package io.clipstream.trainer.data;

import io.clipstream.model.image.RgbImage;
import java.util.Objects;

/**
 * A pair as read from the stream: its id, clean caption, event time and the RGB image already at the model's image
 * size (the stream may carry another training size; it is resized once, when read).
 */
public record StreamPair(String pairId, String caption, long eventTimeMillis, RgbImage image) {

    public StreamPair {
        Objects.requireNonNull(pairId, "pairId");
        Objects.requireNonNull(caption, "caption");
        Objects.requireNonNull(image, "image");
    }
}
