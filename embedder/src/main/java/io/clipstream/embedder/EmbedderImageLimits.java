package io.clipstream.embedder;

import io.clipstream.model.image.ImageLimitsConfig;
import io.smallrye.config.ConfigMapping;

/** The image limits shared with ingest ({@code clipstream.image.*}), checked on the header before decoding. */
@ConfigMapping(prefix = ImageLimitsConfig.PREFIX)
public interface EmbedderImageLimits extends ImageLimitsConfig {
}
