package io.clipstream.embedder.stream;

import io.clipstream.schemas.RejectReason;
import java.time.Instant;
import java.util.Map;

/** What one record of clipstream.images asks for: an image to embed, or why there is none. */
sealed interface ImageInput {

    /** The image id when it could be read, else {@code null}. */
    String imageId();

    Map<String, String> attributes();

    /**
     * An encoded image to embed.
     *
     * @param encoded     the encoded image; {@code null} once it is prepared (the pixels are what is kept)
     * @param contentType what the producer declared, or {@code null}; the decoder goes by the bytes
     */
    record Image(String imageId, byte[] encoded, String contentType, Instant eventTime,
            Map<String, String> attributes) implements ImageInput {

        /** This image without its encoded bytes, for records whose pixels are prepared. */
        public Image withoutEncoded() {
            return new Image(imageId, null, contentType, eventTime, attributes);
        }
    }

    /** A record that cannot be embedded; it goes to clipstream.images.rejected with this reason. */
    record Invalid(String imageId, RejectReason reason, String message, Map<String, String> attributes)
            implements ImageInput {
    }
}
