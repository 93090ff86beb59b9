package io.clipstream.model.image;

import java.util.OptionalInt;
import java.util.OptionalLong;

/**
 * The image limits as configuration reads them, one set of names for every service that decodes images:
 * {@code clipstream.image.max-bytes}, {@code clipstream.image.max-pixels}, {@code clipstream.image.min-side}; what is
 * not set keeps {@link ImageLimits#DEFAULT}, the one place the defaults live. A service maps it with
 * {@code @ConfigMapping(prefix = ImageLimitsConfig.PREFIX) interface ... extends ImageLimitsConfig {}}, so that
 * {@code model} needs no configuration library.
 */
public interface ImageLimitsConfig {

    String PREFIX = "clipstream.image";

    /** Largest encoded image accepted, in bytes. */
    OptionalLong maxBytes();

    /** Largest width × height accepted, read from the header before decoding (the decompression-bomb guard). */
    OptionalLong maxPixels();

    /** Smallest width or height accepted. */
    OptionalInt minSide();

    default ImageLimits limits() {
        ImageLimits defaults = ImageLimits.DEFAULT;
        return new ImageLimits(maxBytes().orElse(defaults.maxBytes()), maxPixels().orElse(defaults.maxPixels()),
                minSide().orElse(defaults.minSide()));
    }
}
