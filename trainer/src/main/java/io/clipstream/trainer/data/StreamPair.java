package io.clipstream.trainer.data;

import io.clipstream.model.image.RgbImage;
import java.util.Map;
import java.util.Objects;

/**
 * A pair as read from the stream: its id, clean caption, event time, the RGB image already at the model's image
 * size (the stream may carry another training size; it is resized once, when read) and the attributes it was sent
 * with (a name and keywords for the {@link CaptionMix}, among others).
 */
public record StreamPair(String pairId, String caption, long eventTimeMillis, RgbImage image,
        Map<String, String> attributes) {

    public StreamPair {
        Objects.requireNonNull(pairId, "pairId");
        Objects.requireNonNull(caption, "caption");
        Objects.requireNonNull(image, "image");
        attributes = attributes == null ? Map.of() : Map.copyOf(attributes);
    }
}
